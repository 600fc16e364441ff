import Dispatch
import Synchronization

/// Reads many inputs on many cores.
///
/// - Many files go to a pool of workers, largest first; each worker owns a reader and a sink.
/// - A large plain file is split at line boundaries into pieces; a quick first pass counts the
///   lines of each piece and finds header lines, so that every piece knows its first line number
///   and the layout in force where it starts.
/// - A compressed file read while cores are free is decompressed on a thread of its own.
///
/// A worker whose sink holds more than its share of the bounded tables hands it to the run's merged
/// result and goes on with a fresh one; the rest are merged at the end. Issues are merged in input
/// order. Below the tables' capacities the output is the same for any number of workers and any
/// split of the inputs; past them it says it is approximate.
public struct ParallelReader: Sendable {
  /// How inputs are read.
  public var options: ReaderOptions
  /// Workers (threads) to use.
  public var jobs: Int
  /// Plain files at least this large are split across workers.
  public var splitThreshold: UInt64
  /// The smallest piece a split makes.
  public var minimumPieceSize: UInt64

  /// A reader with `jobs` workers.
  public init(
    options: ReaderOptions = ReaderOptions(), jobs: Int, splitThreshold: UInt64 = 32 << 20,
    minimumPieceSize: UInt64 = 4 << 20
  ) {
    self.options = options
    self.jobs = max(1, jobs)
    self.splitThreshold = max(1, splitThreshold)
    self.minimumPieceSize = max(1, minimumPieceSize)
  }

  /// The number of online processors.
  public static var processorCount: Int { Syscalls.processorCount }

  /// Reads every input into sinks made by `makeSink`, merged into one.
  public func read<Sink: MergeableRecordSink>(
    _ inputs: [InputFile], makeSink: @escaping @Sendable () -> Sink
  ) -> (sink: Sink, counts: InputCounts, issues: IssueLog) {
    let planned = plan(inputs)
    let workers = min(jobs, max(1, planned.count))
    // Largest first, so that one big job does not start last and leave a core idle.
    let order = planned.indices.sorted { (planned[$0].size, -$0) > (planned[$1].size, -$1) }
    let next = Atomic<Int>(0)
    let results = Mutex<[(Int, InputCounts, IssueLog)]>([])
    // Partial sinks merged so far: workers hand theirs over when it outgrows its share, and at the end.
    let merged = Mutex<Sink?>(nil)
    let options = self.options

    DispatchQueue.concurrentPerform(iterations: workers) { _ in
      let reader = FlowLogReader(options: options)
      var sink = makeSink()
      // Hands the sink over when it holds more than its share; true when it was replaced.
      let handOver: (inout Sink) -> Bool = { sink in
        guard sink.holdsMoreThanShare(ofWorkers: workers) else { return false }
        let full = sink
        sink = makeSink()
        Self.mergeInto(merged, full)
        return true
      }
      var local: [(Int, InputCounts, IssueLog)] = []
      while true {
        let slot = next.wrappingAdd(1, ordering: .relaxed).oldValue
        guard slot < order.count else { break }
        let jobIndex = order[slot]
        var issues = IssueLog()
        let counts = reader.read(planned[jobIndex], from: nil, into: &sink, handOver: handOver, issues: &issues)
        local.append((jobIndex, counts, issues))
      }
      Self.mergeInto(merged, sink)
      results.withLock { $0 += local }
    }

    // Taken out of the lock, so the result is uniquely referenced (a copy there cost a whole
    // worker's tables of memory).
    let result = merged.withLock { taken in
      defer { taken = nil }
      return taken
    }
    var counts = InputCounts()
    var issues = IssueLog()
    for (_, itemCounts, itemIssues) in results.withLock({ $0 }).sorted(by: { $0.0 < $1.0 }) {
      counts.add(itemCounts)
      issues.merge(itemIssues)
    }
    return (result ?? makeSink(), counts, issues)
  }

  /// Merges a worker's partial sink into the run's result.
  private static func mergeInto<Sink: MergeableRecordSink>(_ merged: borrowing Mutex<Sink?>, _ partial: Sink) {
    merged.withLock { result in
      if result == nil {
        result = partial
      } else {
        result!.merge(partial)
      }
    }
  }

  /// Splits large plain files into pieces and marks compressed files to pipeline when cores are
  /// free, by the format each input was sniffed as at discovery.
  func plan(_ inputs: [InputFile]) -> [ReadJob] {
    var jobs: [ReadJob] = []
    let spareCores = self.jobs > inputs.count
    for (index, input) in inputs.enumerated() {
      var whole = ReadJob(input, index: index)
      guard self.jobs > 1, !input.isStandardInput, input.size >= splitThreshold else {
        jobs.append(whole)
        continue
      }
      // An input not found by discovery (made by hand) is sniffed here, once: its jobs carry the verdict.
      if whole.input.sniff == nil { whole.input.sniff = InputSniff(path: input.path) }
      // A Parquet file is split into runs of row groups.
      if let sniff = whole.input.sniff, sniff.content.isParquet, !sniff.isCompressed {
        jobs += splitParquet(whole.input, index: index) ?? [whole]
        continue
      }
      // Content that is not flow log text is never split (read whole, it is skipped or reported
      // as one input); nor is an input that could not be sniffed.
      guard let sniff = whole.input.sniff, sniff.isRead else {
        jobs.append(whole)
        continue
      }
      if sniff.isCompressed {
        whole.pipelined = spareCores
        jobs.append(whole)
      } else if !sniff.content.isText {
        jobs.append(whole)  // JSON is not cut at newlines: it is read whole
      } else {
        jobs += split(whole.input, index: index) ?? [whole]
      }
    }
    return jobs
  }

  /// Pieces of a Parquet file, runs of its row groups, each knowing the line number of its first
  /// row; nil when it has fewer than two row groups or its footer cannot be read (it is then read
  /// whole, and its fault reported once).
  private func splitParquet(_ input: InputFile, index: Int) -> [ReadJob]? {
    guard let file = ParquetFileReader.open(path: input.path, size: input.size) else { return nil }
    let groups = file.metadata.rowGroups
    let pieceCount = min(jobs * 2, groups.count)
    guard pieceCount > 1, groups.allSatisfy({ $0.numRows >= 0 }) else { return nil }
    var pieces: [ReadJob] = []
    var firstLineNumber = 1
    for k in 0..<pieceCount {
      let range = (groups.count * k / pieceCount)..<(groups.count * (k + 1) / pieceCount)
      guard !range.isEmpty else { continue }
      let rows = groups[range].reduce(0) { $0 + Int($1.numRows) }
      pieces.append(
        ReadJob(
          rowGroups: range, of: input, index: index, firstLineNumber: firstLineNumber,
          size: input.size * UInt64(range.count) / UInt64(groups.count)))
      firstLineNumber += rows
    }
    return pieces
  }

  /// Pieces of a plain file at line boundaries, each knowing its first line number and layout.
  private func split(_ input: InputFile, index: Int) -> [ReadJob]? {
    let pieceCount = min(jobs * 4, Int(input.size / minimumPieceSize) + 1)
    guard pieceCount > 1 else { return nil }
    // Cut points: just after the first newline at or after each even split.
    var cuts: [UInt64] = [0]
    for k in 1..<pieceCount {
      let target = input.size * UInt64(k) / UInt64(pieceCount)
      guard let cut = Self.nextLineStart(path: input.path, from: target, limit: input.size) else { return nil }
      if cut > cuts.last! && cut < input.size { cuts.append(cut) }
    }
    cuts.append(input.size)
    let ranges = (0..<(cuts.count - 1)).map { cuts[$0]..<cuts[$0 + 1] }

    // First pass, in parallel: lines and header lines of each piece.
    let scans = Mutex<[Int: PieceScan]>([:])
    let options = self.options
    DispatchQueue.concurrentPerform(iterations: ranges.count) { k in
      let scan = PieceScan(path: input.path, range: ranges[k], options: options)
      scans.withLock { $0[k] = scan }
    }
    let pieceScans = scans.withLock { $0 }
    var pieces: [ReadJob] = []
    var firstLineNumber = 1
    var layout = options.layout
    for (k, range) in ranges.enumerated() {
      guard let scan = pieceScans[k], scan.ok else { return nil }
      pieces.append(ReadJob(piece: range, of: input, index: index, firstLineNumber: firstLineNumber, layout: layout))
      firstLineNumber += scan.lines
      // The layout after this piece: its last header line that makes a layout.
      for header in scan.headers.reversed() {
        if let parsed = header.withUnsafeBytes({ (try? FlowLayout(headerLine: $0)) ?? nil }) {
          layout = parsed
          break
        }
      }
    }
    return pieces
  }

  /// The offset just past the first newline at or after `from` (or `limit` when there is none).
  private static func nextLineStart(path: String, from: UInt64, limit: UInt64) -> UInt64? {
    guard let source = try? FileRangeSource(path: path, start: from, end: limit) else { return nil }
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 16, alignment: 16)
    defer { buffer.deallocate() }
    var offset = from
    while true {
      guard let n = try? source.read(into: buffer) else { return nil }
      if n == 0 { return limit }
      if let newline = LineCutter.firstNewline(in: UnsafeRawBufferPointer(rebasing: buffer[0..<n])) {
        return offset + UInt64(newline) + 1
      }
      offset += UInt64(n)
    }
  }
}
