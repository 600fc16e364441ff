import Dispatch
import Synchronization

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A sink whose work can be split across workers: partial sinks of disjoint inputs combine with
/// `merge`, which must be associative and commutative so the result does not depend on the split.
public protocol MergeableRecordSink: FlowRecordSink, Sendable {
  /// Adds what `other` saw.
  mutating func merge(_ other: Self)

  /// Whether the sink holds more than one worker's share of its bounded tables when `workers`
  /// read in parallel. The reader then merges the sink into the run's result and goes on with a
  /// fresh one, so that every worker's tables can hold everything the whole run has room for
  /// (a worker never drops keys below the run's capacity) while together they stay within about
  /// one capacity, not one per worker. False by default.
  func holdsMoreThanShare(ofWorkers workers: Int) -> Bool
}

extension MergeableRecordSink {
  public func holdsMoreThanShare(ofWorkers workers: Int) -> Bool { false }
}

/// Reads many inputs on many cores.
///
/// - Many files go to a pool of workers, largest first; each worker owns a reader and a sink.
/// - A large plain file is split at line boundaries into pieces; a quick first pass counts the
///   lines of each piece and finds header lines, so that every piece knows its first line number
///   and the layout in force where it starts.
/// - A compressed file read while cores are free is decompressed on a thread of its own.
///
/// Partial sinks are merged once at the end; issues are merged in input order, so output is the
/// same for any number of workers.
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
  public static var processorCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }

  /// One unit of work: a whole input, or a piece of a split plain file.
  struct WorkItem: Sendable {
    var inputIndex: Int
    var range: Range<UInt64>?  // nil: the whole input
    var part: PartPlan
    var size: UInt64
  }

  /// The serialisable parts of ``FlowLogReader/Part``.
  struct PartPlan: Sendable {
    var layout: FlowLayout?
    var linesBefore = 0
    var countsAsFile = true
    var pipelined = false
  }

  /// Reads every input into sinks made by `makeSink`, merged into one.
  public func read<Sink: MergeableRecordSink>(
    _ inputs: [InputFile], makeSink: @escaping @Sendable () -> Sink
  ) -> (sink: Sink, counts: InputCounts, issues: IssueLog) {
    let items = plan(inputs)
    let workers = min(jobs, max(1, items.count))
    // Largest first, so that one big item does not start last and leave a core idle.
    let order = items.indices.sorted { (items[$0].size, -$0) > (items[$1].size, -$1) }
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
        let itemIndex = order[slot]
        let item = items[itemIndex]
        var issues = IssueLog()
        let counts = Self.run(item, inputs: inputs, reader: reader, into: &sink, handOver: handOver, issues: &issues)
        local.append((itemIndex, counts, issues))
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

  private static func run<Sink: FlowRecordSink>(
    _ item: WorkItem, inputs: [InputFile], reader: FlowLogReader, into sink: inout Sink,
    handOver: ((inout Sink) -> Bool)?, issues: inout IssueLog
  ) -> InputCounts {
    let input = inputs[item.inputIndex]
    var part = FlowLogReader.Part()
    part.layout = item.part.layout
    part.linesBefore = item.part.linesBefore
    part.countsAsFile = item.part.countsAsFile
    part.pipelined = item.part.pipelined
    guard let range = item.range else {
      return reader.read(input, inputIndex: item.inputIndex, part: part, into: &sink, handOver: handOver, issues: &issues)
    }
    part.sniff = false
    part.offset = range.lowerBound
    do {
      let source = try FileRangeSource(path: input.path, start: range.lowerBound, end: range.upperBound)
      return reader.read(
        source, name: input.path, inputIndex: item.inputIndex, skipUnsupported: false, part: part, into: &sink,
        handOver: handOver, issues: &issues)
    } catch {
      issues.record(ParseIssue(file: input.path, line: nil, offset: error.offset, kind: .unreadable, reason: error.message))
      return InputCounts()
    }
  }

  /// Splits large plain files into pieces and marks compressed files to pipeline when cores are free.
  func plan(_ inputs: [InputFile]) -> [WorkItem] {
    var items: [WorkItem] = []
    let spareCores = jobs > inputs.count
    for (index, input) in inputs.enumerated() {
      var whole = WorkItem(inputIndex: index, range: nil, part: PartPlan(), size: input.size)
      guard jobs > 1, !input.isStandardInput, input.size >= splitThreshold, let format = Self.sniff(input.path) else {
        items.append(whole)
        continue
      }
      switch format {
      case .plain:
        if let pieces = split(input, index: index) {
          items += pieces
        } else {
          items.append(whole)
        }
      case .gzip, .zstd:
        whole.part.pipelined = spareCores
        items.append(whole)
      case .unsupported:
        items.append(whole)
      }
    }
    return items
  }

  /// The format of a file from its first block: content that is not flow log text is never split
  /// (read whole, it is skipped or reported as one input).
  private static func sniff(_ path: String) -> InputFormat? {
    guard let source = try? FileRangeSource(path: path, start: 0, end: UInt64(InputContent.sniffLength)) else {
      return nil
    }
    let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: InputContent.sniffLength, alignment: 1)
    defer { scratch.deallocate() }
    let n = (try? source.read(into: scratch)) ?? 0
    return InputFormat.detect(scratch[0..<n])
  }

  /// Pieces of a plain file at line boundaries, each knowing its first line number and layout.
  private func split(_ input: InputFile, index: Int) -> [WorkItem]? {
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
    DispatchQueue.concurrentPerform(iterations: ranges.count) { k in
      let scan = Self.scan(path: input.path, range: ranges[k])
      scans.withLock { $0[k] = scan }
    }
    let pieceScans = scans.withLock { $0 }
    var items: [WorkItem] = []
    var linesBefore = 0
    var layout = options.layout
    for (k, range) in ranges.enumerated() {
      guard let scan = pieceScans[k], scan.ok else { return nil }
      items.append(
        WorkItem(
          inputIndex: index, range: range,
          part: PartPlan(layout: layout, linesBefore: linesBefore, countsAsFile: k == 0, pipelined: false),
          size: range.upperBound - range.lowerBound))
      linesBefore += scan.lines
      // The layout after this piece: its last header line that makes a layout.
      for header in scan.headers.reversed() {
        if let parsed = header.withUnsafeBytes({ (try? FlowLayout(headerLine: $0)) ?? nil }) {
          layout = parsed
          break
        }
      }
    }
    return items
  }

  struct PieceScan: Sendable {
    var ok = true
    var lines = 0
    /// The text of header-like lines, in order (few: usually none or one).
    var headers: [[UInt8]] = []
  }

  /// Counts the lines of a piece and keeps its header lines.
  private static func scan(path: String, range: Range<UInt64>) -> PieceScan {
    var result = PieceScan()
    guard let source = try? FileRangeSource(path: path, start: range.lowerBound, end: range.upperBound) else {
      result.ok = false
      return result
    }
    let capacity = 1 << 20
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: capacity + 1, alignment: 64)
    defer { buffer.deallocate() }
    let base = buffer.baseAddress!
    var filled = 0
    var atLineStart = true
    var partial: [UInt8]? = nil  // a header candidate that spans a buffer boundary
    while true {
      guard let n = try? source.read(into: UnsafeMutableRawBufferPointer(start: base, count: capacity)) else {
        result.ok = false
        return result
      }
      if n == 0 { break }
      filled = n
      var p = 0
      if var pending = partial {
        // Finish a header candidate that began in the previous buffer.
        if let hit = memchr(base, 0x0A, filled) {
          let end = base.distance(to: UnsafeMutableRawPointer(hit))
          pending += UnsafeRawBufferPointer(start: base, count: end)
          Self.keepIfHeader(pending, into: &result)
          partial = nil
          result.lines += 1
          p = end + 1
          atLineStart = true
        } else {
          pending += UnsafeRawBufferPointer(start: base, count: filled)
          partial = pending.count > 65_536 ? nil : pending
          continue
        }
      }
      while p < filled {
        if atLineStart {
          var q = p
          while q < filled, base.load(fromByteOffset: q, as: UInt8.self) == 0x20 { q += 1 }
          if q < filled, FlowLayout.mayStartHeader(base.load(fromByteOffset: q, as: UInt8.self)) {
            if let hit = memchr(base + q, 0x0A, filled - q) {
              let end = base.distance(to: UnsafeMutableRawPointer(hit))
              Self.keepIfHeader(Array(UnsafeRawBufferPointer(start: base + q, count: end - q)), into: &result)
            } else {
              partial = Array(UnsafeRawBufferPointer(start: base + q, count: filled - q))
            }
          }
        }
        guard let hit = memchr(base + p, 0x0A, filled - p) else {
          atLineStart = false
          p = filled
          break
        }
        result.lines += 1
        p = base.distance(to: UnsafeMutableRawPointer(hit)) + 1
        atLineStart = true
      }
    }
    if let pending = partial { Self.keepIfHeader(pending, into: &result) }
    if !atLineStart || partial != nil { result.lines += 1 }  // a last line without a newline
    return result
  }

  private static func keepIfHeader(_ line: [UInt8], into result: inout PieceScan) {
    var trimmed = line
    while let last = trimmed.last, last == 0x20 || last == 0x0D { trimmed.removeLast() }
    if trimmed.withUnsafeBytes({ FlowLogReader.firstTokenIsFieldName($0) }) { result.headers.append(trimmed) }
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
      if let hit = memchr(buffer.baseAddress!, 0x0A, n) {
        return offset + UInt64(buffer.baseAddress!.distance(to: UnsafeMutableRawPointer(hit))) + 1
      }
      offset += UInt64(n)
    }
  }
}
