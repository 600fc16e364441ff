#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Receives the records a ``FlowLogReader`` decodes.
public protocol FlowRecordSink {
  /// Called once per record, in input order. The record is valid only during the call.
  mutating func consume(_ record: FlowRecord, at position: RecordPosition)
  /// Called when the active layout changes: at the start of each input and at each header line.
  mutating func layoutDidChange(_ layout: FlowLayout)
}

extension FlowRecordSink {
  public mutating func layoutDidChange(_ layout: FlowLayout) {}
}

/// Where a record was found.
public struct RecordPosition: Sendable, Hashable {
  /// The index of the input in the run.
  public var inputIndex: Int
  /// The 1-based line number.
  public var line: Int
}

/// How inputs are read.
public struct ReaderOptions: Sendable {
  /// The layout for input without a header line (`--log-format`); a header line in the input
  /// wins. Nil means the default v2 layout.
  public var layout: FlowLayout?
  /// Lines longer than this many bytes are malformed and never buffered whole.
  public var maxLineLength: Int
  /// The size of the reused read buffer.
  public var bufferSize: Int
  /// Where readers report bytes and records as they go, for a progress display; nil for none.
  public var progress: ProgressCounter?

  /// Options with the default line limit (64 KiB) and a 1 MiB buffer.
  public init(
    layout: FlowLayout? = nil, maxLineLength: Int = 64 * 1024, bufferSize: Int = 1 << 20,
    progress: ProgressCounter? = nil
  ) {
    self.layout = layout
    self.maxLineLength = max(1, maxLineLength)
    self.bufferSize = max(4096, bufferSize)
    self.progress = progress
  }
}

/// What reading one input amounted to. Every non-empty line is exactly one of header, record,
/// malformed: `lines == headers + records + malformed + blank`.
public struct InputCounts: Sendable, Hashable, Codable {
  /// Inputs read (1 for one input).
  public var files = 0
  /// Bytes read from disk or standard input (compressed bytes for compressed input).
  public var bytes: UInt64 = 0
  /// Bytes of text after decompression.
  public var decodedBytes: UInt64 = 0
  /// Lines, counting a final line without a newline.
  public var lines = 0
  /// Header lines.
  public var headers = 0
  /// Lines decoded as records.
  public var records = 0
  /// Lines that could not be decoded.
  public var malformed = 0
  /// Empty lines, or lines of spaces.
  public var blank = 0

  /// Empty counts.
  public init() {}

  /// Adds another input's counts.
  public mutating func add(_ other: InputCounts) {
    files += other.files
    bytes += other.bytes
    decodedBytes += other.decodedBytes
    lines += other.lines
    headers += other.headers
    records += other.records
    malformed += other.malformed
    blank += other.blank
  }
}

/// Reads flow log inputs line by line and hands each record to a sink.
///
/// Each input is read with `read(2)` into one reused buffer, decompressed when its first bytes say
/// gzip or zstd, and cut into lines with `memchr`. Lines are classified as blank, header (which sets
/// the layout from there on), record, or malformed; nothing is allocated per record.
public final class FlowLogReader {
  /// The options in force.
  public let options: ReaderOptions
  private let decoder: RecordDecoder
  private let buffer: UnsafeMutableRawBufferPointer

  /// A reader with `options`; it can read any number of inputs, one after another.
  public init(options: ReaderOptions = ReaderOptions()) {
    self.options = options
    decoder = RecordDecoder(layout: options.layout ?? .defaultV2)
    buffer = .allocate(byteCount: options.bufferSize + options.maxLineLength + 1, alignment: 64)
  }

  deinit { buffer.deallocate() }

  /// Reads one input to its end. Problems are recorded in `issues`, never thrown: a broken
  /// stream stops that input, but every record before the fault has reached the sink.
  public func read<Sink: FlowRecordSink>(
    _ input: InputFile, inputIndex: Int = 0, into sink: inout Sink, issues: inout IssueLog
  ) -> InputCounts {
    read(input, inputIndex: inputIndex, part: .whole, into: &sink, issues: &issues)
  }

  /// Reads one input, or a part of it. `handOver` is offered the sink after each buffer of lines
  /// and may replace it (see ``MergeableRecordSink/holdsMoreThanShare(ofWorkers:)``); it returns
  /// true when it did, and the new sink is then told the layout in force.
  func read<Sink: FlowRecordSink>(
    _ input: InputFile, inputIndex: Int, part: Part, into sink: inout Sink,
    handOver: ((inout Sink) -> Bool)? = nil, issues: inout IssueLog
  ) -> InputCounts {
    let raw: any ByteSource
    if input.isStandardInput {
      raw = FileDescriptorSource(descriptor: STDIN_FILENO)
    } else {
      do {
        raw = try FileDescriptorSource(path: input.path)
      } catch {
        issues.record(ParseIssue(file: input.path, line: nil, offset: nil, kind: .unreadable, reason: error.message))
        return InputCounts()
      }
    }
    return read(
      raw, name: input.path, inputIndex: inputIndex, skipUnsupported: input.foundInDirectory, part: part,
      into: &sink, handOver: handOver, issues: &issues)
  }

  /// Reads a byte source to its end, naming it `name` in issues.
  /// - Parameter skipUnsupported: note a format flowlens does not read (Parquet, xz, …) as a
  ///   skipped file rather than an input error; for files found by walking a directory.
  public func read<Sink: FlowRecordSink>(
    _ raw: any ByteSource, name: String, inputIndex: Int = 0, skipUnsupported: Bool = false,
    into sink: inout Sink, issues: inout IssueLog
  ) -> InputCounts {
    read(raw, name: name, inputIndex: inputIndex, skipUnsupported: skipUnsupported, part: .whole, into: &sink, issues: &issues)
  }

  /// Where a read starts: a whole input, or one piece of a plain file split at line boundaries.
  struct Part {
    /// Detect the format from the first bytes (a whole input); false for a piece of a plain file.
    var sniff = true
    /// The layout in force where the piece starts (the last header before it); nil: from the options.
    var layout: FlowLayout?
    /// Lines before the piece, so that line numbers stay those of the whole file.
    var linesBefore = 0
    /// The piece's offset in the file.
    var offset: UInt64 = 0
    /// Whether this read counts as a file (only the first piece of a split file does).
    var countsAsFile = true
    /// Decompress on another thread (for a single compressed input when cores are free).
    var pipelined = false

    static let whole = Part()
  }

  func read<Sink: FlowRecordSink>(
    _ raw: any ByteSource, name: String, inputIndex: Int, skipUnsupported: Bool, part: Part,
    into sink: inout Sink, handOver: ((inout Sink) -> Bool)? = nil, issues: inout IssueLog
  ) -> InputCounts {
    var counts = InputCounts()
    counts.files = part.countsAsFile ? 1 : 0
    readLines(
      raw, name: name, inputIndex: inputIndex, skipUnsupported: skipUnsupported, part: part, counts: &counts,
      into: &sink, handOver: handOver, issues: &issues)
    counts.bytes = raw.bytesConsumed
    return counts
  }

  private func readLines<Sink: FlowRecordSink>(
    _ raw: any ByteSource, name: String, inputIndex: Int, skipUnsupported: Bool, part: Part,
    counts: inout InputCounts, into sink: inout Sink, handOver: ((inout Sink) -> Bool)?, issues: inout IssueLog
  ) {
    var source: any ByteSource = raw
    var compressed = false
    if part.sniff {
      do {
        let opened = try InputFormat.open(raw)
        guard let decoded = opened.source else {
          // Plainly not a flow log: noted and left out when found in a directory, else an input error.
          let reason = opened.rejection ?? "\(opened.format.name) input is not supported"
          issues.record(
            ParseIssue(
              file: name, line: nil, offset: nil, kind: skipUnsupported ? .skippedFile : .unsupportedFormat,
              reason: skipUnsupported ? "skipped: \(reason)" : reason))
          counts.files = skipUnsupported ? 0 : 1
          return
        }
        source = decoded
        compressed = opened.format != .plain
      } catch {
        issues.record(ParseIssue(file: name, line: nil, offset: error.offset, kind: .unreadable, reason: error.message))
        return
      }
    }
    if part.pipelined { source = PipelinedSource(source) }
    // What progress is measured on: the raw file, or the pipeline (whose thread reads the raw file).
    let meter = part.pipelined ? source : raw

    decoder.setLayout(part.layout ?? options.layout ?? .defaultV2)
    sink.layoutDidChange(decoder.layout)
    var state = LineState(name: name, inputIndex: inputIndex)
    state.lineNumber = part.linesBefore
    let base = buffer.baseAddress!
    let capacity = buffer.count
    var filled = 0  // bytes in the buffer
    var lineStart = 0  // start of the first unprocessed line in the buffer
    var streamOffset: UInt64 = part.offset  // decoded offset of buffer[0]
    var discarding = false  // inside a line already reported as too long
    var reportedBytes: UInt64 = 0  // what was last told to options.progress
    var reportedRecords = 0
    defer {
      options.progress?.add(bytes: meter.bytesConsumed &- reportedBytes, records: UInt64(counts.records - reportedRecords))
    }

    while true {
      let n: Int
      do {
        n = try source.read(into: UnsafeMutableRawBufferPointer(start: base + filled, count: capacity - filled))
      } catch {
        // Lines completed before the fault were handled; the partial tail is not trusted.
        counts.decodedBytes = streamOffset + UInt64(filled) - part.offset
        if filled > lineStart && !discarding {
          state.lineNumber += 1
          counts.lines += 1
          counts.malformed += 1
          issues.record(
            ParseIssue(
              file: name, line: state.lineNumber, offset: streamOffset + UInt64(lineStart), kind: .incompleteLine,
              reason: "line cut off by the stream fault below; not counted as a record"))
        }
        let kind: ParseIssue.Kind = compressed ? .badStream : .unreadable
        issues.record(ParseIssue(file: name, line: nil, offset: error.offset, kind: kind, reason: error.message))
        return
      }
      if n == 0 { break }
      if let progress = options.progress {
        let consumed = meter.bytesConsumed
        progress.add(bytes: consumed &- reportedBytes, records: UInt64(counts.records - reportedRecords))
        reportedBytes = consumed
        reportedRecords = counts.records
      }
      let scanFrom = filled
      filled += n
      // Cut complete lines.
      var searchFrom = max(lineStart, scanFrom)
      while searchFrom < filled, let hit = memchr(base + searchFrom, 0x0A, filled - searchFrom) {
        let newline = base.distance(to: UnsafeMutableRawPointer(hit))
        if discarding {
          discarding = false
        } else {
          handleLine(
            UnsafeRawBufferPointer(start: base + lineStart, count: newline - lineStart),
            offset: streamOffset + UInt64(lineStart), state: &state, counts: &counts, sink: &sink, issues: &issues)
        }
        lineStart = newline + 1
        searchFrom = lineStart
      }
      if let handOver, handOver(&sink) { sink.layoutDidChange(decoder.layout) }
      // Keep the partial line at the front of the buffer, unless it is already too long.
      let partial = filled - lineStart
      if !discarding && partial > options.maxLineLength {
        discarding = true
        reportTooLong(offset: streamOffset + UInt64(lineStart), state: &state, counts: &counts, issues: &issues)
      }
      if discarding {
        streamOffset += UInt64(filled)
        filled = 0
        lineStart = 0
      } else {
        if lineStart > 0 && partial > 0 { memmove(base, base + lineStart, partial) }
        streamOffset += UInt64(lineStart)
        filled = partial
        lineStart = 0
      }
    }
    if filled > lineStart && !discarding {
      // A final line without a newline.
      handleLine(
        UnsafeRawBufferPointer(start: base + lineStart, count: filled - lineStart),
        offset: streamOffset + UInt64(lineStart), state: &state, counts: &counts, sink: &sink, issues: &issues)
    }
    counts.decodedBytes = streamOffset + UInt64(filled) - part.offset
  }

  private struct LineState {
    var name: String
    var inputIndex: Int
    var lineNumber = 0
  }

  private func reportTooLong(offset: UInt64, state: inout LineState, counts: inout InputCounts, issues: inout IssueLog) {
    state.lineNumber += 1
    counts.lines += 1
    counts.malformed += 1
    issues.record(
      ParseIssue(
        file: state.name, line: state.lineNumber, offset: offset, kind: .lineTooLong,
        reason: "line longer than \(options.maxLineLength) bytes"))
  }

  @inline(__always)
  private func handleLine<Sink: FlowRecordSink>(
    _ rawLine: UnsafeRawBufferPointer, offset: UInt64, state: inout LineState, counts: inout InputCounts,
    sink: inout Sink, issues: inout IssueLog
  ) {
    if rawLine.count > options.maxLineLength {
      reportTooLong(offset: offset, state: &state, counts: &counts, issues: &issues)
      return
    }
    state.lineNumber += 1
    counts.lines += 1
    // Trim spaces and a trailing '\r'.
    var start = 0
    var end = rawLine.count
    while end > start, rawLine[end - 1] == 0x20 || rawLine[end - 1] == 0x0D { end -= 1 }
    while start < end, rawLine[start] == 0x20 { start += 1 }
    if start == end {
      counts.blank += 1
      return
    }
    var line = UnsafeRawBufferPointer(rebasing: rawLine[start..<end])
    let first = line[0]

    if FlowLayout.mayStartHeader(first), Self.firstTokenIsFieldName(line) {
      handleHeader(line, offset: offset, state: &state, counts: &counts, sink: &sink, issues: &issues)
      return
    }
    if first &- 0x30 < 10, let stripped = Self.strippingCloudWatchTimestamp(line) {
      line = stripped
    }
    switch decoder.decode(line) {
    case .success(let record):
      counts.records += 1
      sink.consume(record, at: RecordPosition(inputIndex: state.inputIndex, line: state.lineNumber))
    case .failure(let error):
      counts.malformed += 1
      issues.record(
        ParseIssue(
          file: state.name, line: state.lineNumber, offset: offset, kind: ParseIssue.Kind(error.kind),
          reason: error.reason(layout: decoder.layout, line: line)))
    }
  }

  private func handleHeader<Sink: FlowRecordSink>(
    _ line: UnsafeRawBufferPointer, offset: UInt64, state: inout LineState, counts: inout InputCounts,
    sink: inout Sink, issues: inout IssueLog
  ) {
    do {
      guard let layout = try FlowLayout(headerLine: line) else {
        // First token is a field name but the rest is not name-shaped: not a header.
        counts.malformed += 1
        issues.record(
          ParseIssue(
            file: state.name, line: state.lineNumber, offset: offset, kind: .badHeader,
            reason: "line starts with a field name but is not a header line"))
        return
      }
      counts.headers += 1
      decoder.setLayout(layout)
      sink.layoutDidChange(layout)
      let unknown = layout.unknownNames
      if !unknown.isEmpty {
        issues.record(
          ParseIssue(
            file: state.name, line: state.lineNumber, offset: offset, kind: .unknownHeaderField,
            reason: "header names unknown fields (\(unknown.joined(separator: ", "))); their columns are ignored"))
      }
    } catch {
      counts.malformed += 1
      issues.record(
        ParseIssue(
          file: state.name, line: state.lineNumber, offset: offset, kind: .badHeader,
          reason: "header line: \(error.description); the previous layout stays in force"))
    }
  }

  /// Whether the line's first token is a known field name (the mark of a header line).
  @inline(__always)
  static func firstTokenIsFieldName(_ line: UnsafeRawBufferPointer) -> Bool {
    var end = 0
    while end < line.count, end <= FieldNameTable.maxLength, line[end] != 0x20 { end += 1 }
    return FlowField(nameBytes: UnsafeRawBufferPointer(rebasing: line[0..<end])) != nil
  }

  /// Strips the ISO-8601 timestamp that a CloudWatch Logs export to S3 puts before each record
  /// (`2018-09-22T20:28:14.000Z 2 123456789010 …`); nil when the line does not start with one.
  static func strippingCloudWatchTimestamp(_ line: UnsafeRawBufferPointer) -> UnsafeRawBufferPointer? {
    var end = 0
    while end < line.count, line[end] != 0x20 { end += 1 }
    guard end >= 20, end <= 35, line[4] == UInt8(ascii: "-"), line[7] == UInt8(ascii: "-"),
      line[10] == UInt8(ascii: "T"), line[13] == UInt8(ascii: ":"), line[16] == UInt8(ascii: ":"),
      line[end - 1] == UInt8(ascii: "Z") || line[end - 6] == UInt8(ascii: "+") || line[end - 6] == UInt8(ascii: "-")
    else { return nil }
    for i in [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18] where line[i] &- 0x30 > 9 { return nil }
    var start = end
    while start < line.count, line[start] == 0x20 { start += 1 }
    guard start < line.count else { return nil }
    return UnsafeRawBufferPointer(rebasing: line[start...])
  }
}

extension FlowLogReader {
  /// Reads every input in order into one sink.
  /// - Returns: the counts of all inputs together.
  public func readAll<Sink: FlowRecordSink>(
    _ inputs: [InputFile], into sink: inout Sink, issues: inout IssueLog
  ) -> InputCounts {
    var total = InputCounts()
    for (index, input) in inputs.enumerated() {
      total.add(read(input, inputIndex: index, into: &sink, issues: &issues))
    }
    return total
  }
}
