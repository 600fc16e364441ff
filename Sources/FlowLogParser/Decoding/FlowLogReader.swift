/// Reads flow log inputs line by line and hands each record to a sink.
///
/// Each input is read with `read(2)` into one reused buffer, decompressed when its first bytes say
/// gzip or zstd, and cut into lines by a ``LineCutter``. Lines are classified as blank, header
/// (which sets the layout from there on), record, or malformed; nothing is allocated per record.
public final class FlowLogReader {
  /// The options in force.
  public let options: ReaderOptions
  let decoder: RecordDecoder
  let filter: (any RecordFilter)?
  let buffer: UnsafeMutableRawBufferPointer

  /// A reader with `options`; it can read any number of inputs, one after another.
  public init(options: ReaderOptions = ReaderOptions()) {
    self.options = options
    decoder = RecordDecoder(layout: options.layout ?? .defaultV2)
    filter = options.filter
    buffer = .allocate(
      byteCount: LineCutter.bufferSize(readSize: options.bufferSize, maxLineLength: options.maxLineLength),
      alignment: 64)
  }

  deinit { buffer.deallocate() }

  /// Reads one job — a whole input, or a piece of one — to its end: the one way in. Problems are
  /// recorded in `issues`, never thrown: a broken stream stops that input, but every record
  /// before the fault has reached the sink.
  /// - Parameter source: the bytes of the input, when they come from elsewhere than the file
  ///   `job.input` names (a ``MemorySource``); nil to open the file, or standard input.
  public func read<Sink: FlowRecordSink>(
    _ job: ReadJob, from source: (any ByteSource)? = nil, into sink: inout Sink, issues: inout IssueLog
  ) -> InputCounts {
    read(job, from: source, into: &sink, handOver: nil, issues: &issues)
  }

  /// Reads the whole of `source`, an input named `name`: a shorthand for the job of a whole input.
  public func read<Sink: FlowRecordSink>(
    _ source: any ByteSource, name: String, inputIndex: Int = 0, into sink: inout Sink, issues: inout IssueLog
  ) -> InputCounts {
    let input = InputFile(path: name, size: 0, foundInDirectory: false)
    return read(ReadJob(input, index: inputIndex), from: source, into: &sink, handOver: nil, issues: &issues)
  }

  /// Reads a job. `handOver` is offered the sink after each buffer of lines and may replace it
  /// (see ``MergeableRecordSink/holdsMoreThanShare(ofWorkers:)``); it returns true when it did,
  /// and the new sink is then told the layout in force.
  func read<Sink: FlowRecordSink>(
    _ job: ReadJob, from source: (any ByteSource)?, into sink: inout Sink, handOver: ((inout Sink) -> Bool)?,
    issues: inout IssueLog
  ) -> InputCounts {
    let name = job.input.path
    let raw: any ByteSource
    do throws(SourceError) {
      if let source {
        raw = source
      } else if let range = job.range {
        raw = try FileRangeSource(path: name, start: range.lowerBound, end: range.upperBound)
      } else if job.input.isStandardInput {
        raw = FileDescriptorSource.standardInput()
      } else {
        raw = try FileDescriptorSource(path: name)
      }
    } catch {
      // A piece says where in the file it failed; a whole file that cannot be opened, not.
      let offset = job.range == nil ? nil : error.offset
      issues.record(ParseIssue(file: name, line: nil, offset: offset, kind: .unreadable, reason: error.message))
      return InputCounts()
    }
    var counts = InputCounts()
    counts.files = job.countsAsFile ? 1 : 0
    readLines(raw, job: job, counts: &counts, into: &sink, handOver: handOver, issues: &issues)
    // A Parquet file is read at offsets of its own and counts its bytes itself.
    if counts.bytes == 0 { counts.bytes = raw.bytesConsumed }
    return counts
  }

  private func readLines<Sink: FlowRecordSink>(
    _ raw: any ByteSource, job: ReadJob, counts: inout InputCounts, into sink: inout Sink,
    handOver: ((inout Sink) -> Bool)?, issues: inout IssueLog
  ) {
    let name = job.input.path
    var source: any ByteSource = raw
    var compressed = false
    let known = job.input.sniff
    // What the text holds: a piece of a split file is always text.
    var content = job.range == nil ? known?.content ?? .text : .text
    // A piece of a split file, and a file sniffed as plain text at discovery, are read as they are.
    if job.range == nil && known?.format != .plain {
      do {
        let opened = try InputFormat.open(raw, known: known)
        guard let decoded = opened.source else {
          if opened.sniff.content.isParquet && !opened.sniff.isCompressed {
            readParquet(job, raw: raw, counts: &counts, into: &sink, handOver: handOver, issues: &issues)
            return
          }
          // Plainly not a flow log: noted and left out when found in a directory, else an input error.
          let skip = job.input.foundInDirectory
          let reason = opened.sniff.rejection ?? "\(opened.sniff.format.name) input is not supported"
          issues.record(
            ParseIssue(
              file: name, line: nil, offset: nil, kind: skip ? .skippedFile : .unsupportedFormat,
              reason: skip ? "skipped: \(reason)" : reason))
          counts.files = skip ? 0 : 1
          return
        }
        source = decoded
        compressed = opened.sniff.isCompressed
        content = opened.sniff.content
      } catch {
        issues.record(ParseIssue(file: name, line: nil, offset: error.offset, kind: .unreadable, reason: error.message))
        return
      }
    }
    if job.pipelined { source = PipelinedSource(source) }
    // What progress is measured on: the raw file, or the pipeline (whose thread reads the raw file).
    let meter = job.pipelined ? source : raw

    decoder.setLayout(job.layout ?? options.layout ?? .defaultV2)
    sink.layoutDidChange(decoder.layout)
    var state = LineState(name: name, inputIndex: job.inputIndex)
    state.lineNumber = job.firstLineNumber - 1
    if case .cloudWatchLogs = content {
      state.linesAreEvents = true
      readEvents(
        source, meter: meter, compressed: compressed, state: &state, counts: &counts, into: &sink,
        handOver: handOver, issues: &issues)
      return
    }
    var cutter = LineCutter(
      buffer: buffer, maxLineLength: options.maxLineLength, startingAt: job.range?.lowerBound ?? 0)
    var reported = ProgressTally()
    defer { reported.report(to: options.progress, meter: meter, records: counts.records) }

    while true {
      do {
        guard try cutter.read(from: source) else { break }
      } catch {
        // Lines completed before the fault were handled; the partial tail is not trusted.
        counts.decodedBytes = cutter.bytesRead
        if let offset = cutter.pendingLineOffset {
          state.lineNumber += 1
          counts.lines += 1
          counts.malformed += 1
          issues.record(
            ParseIssue(
              file: name, line: state.lineNumber, offset: offset, kind: .incompleteLine,
              reason: "line cut off by the stream fault below; not counted as a record"))
        }
        let kind: ParseIssue.Kind = compressed ? .badStream : .unreadable
        issues.record(ParseIssue(file: name, line: nil, offset: error.offset, kind: kind, reason: error.message))
        return
      }
      reported.report(to: options.progress, meter: meter, records: counts.records)
      while let piece = cutter.nextLine() {
        switch piece {
        case .line(let line, let offset):
          handleLine(line, offset: offset, state: &state, counts: &counts, sink: &sink, issues: &issues)
        case .tooLong(let offset):
          reportTooLong(offset: offset, state: &state, counts: &counts, issues: &issues)
        }
      }
      if let handOver, handOver(&sink) { sink.layoutDidChange(decoder.layout) }
    }
    if case .line(let line, let offset) = cutter.finalLine() {
      // A final line without a newline.
      handleLine(line, offset: offset, state: &state, counts: &counts, sink: &sink, issues: &issues)
    }
    counts.decodedBytes = cutter.bytesRead
  }

  struct LineState {
    var name: String
    var inputIndex: Int
    /// The number of the line in hand; of the log event, in CloudWatch Logs JSON.
    var lineNumber = 0
    /// Whether the fields of the layout in force are in ``InputCounts/fieldsSeen`` yet.
    var layoutNoted = false
    /// Whether the lines are the log events of CloudWatch Logs JSON: issues then name the event.
    var linesAreEvents = false

    /// An issue about the line in hand.
    func issue(offset: UInt64, kind: ParseIssue.Kind, reason: String) -> ParseIssue {
      linesAreEvents
        ? ParseIssue(file: name, event: lineNumber, offset: offset, kind: kind, reason: reason)
        : ParseIssue(file: name, line: lineNumber, offset: offset, kind: kind, reason: reason)
    }
  }

  /// Reads CloudWatch Logs JSON: each log event's message is a line, numbered by the event's index.
  private func readEvents<Sink: FlowRecordSink>(
    _ source: any ByteSource, meter: any ByteSource, compressed: Bool, state: inout LineState,
    counts: inout InputCounts, into sink: inout Sink, handOver: ((inout Sink) -> Bool)?, issues: inout IssueLog
  ) {
    // One message buffer per input: nothing is allocated per event.
    var scanner = CloudWatchEventScanner(
      buffer: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<options.bufferSize]),
      maxMessageLength: options.maxLineLength)
    var reported = ProgressTally()
    defer { reported.report(to: options.progress, meter: meter, records: counts.records) }
    var more = true
    while more {
      do {
        more = try scanner.read(from: source)
      } catch {
        counts.decodedBytes = scanner.bytesRead
        if let pending = scanner.pendingEvent {
          state.lineNumber = pending.event
          counts.lines += 1
          counts.malformed += 1
          issues.record(
            state.issue(
              offset: pending.offset, kind: .incompleteLine,
              reason: "log event cut off by the stream fault below; not counted as a record"))
        }
        let kind: ParseIssue.Kind = compressed ? .badStream : .unreadable
        issues.record(ParseIssue(file: state.name, line: nil, offset: error.offset, kind: kind, reason: error.message))
        return
      }
      reported.report(to: options.progress, meter: meter, records: counts.records)
      while let piece = scanner.nextPiece() {
        switch piece {
        case .message(let message, let event, let offset):
          state.lineNumber = event - 1
          handleLine(message, offset: offset, state: &state, counts: &counts, sink: &sink, issues: &issues)
        case .badEvent(let event, let offset, let kind, let reason):
          state.lineNumber = event
          counts.lines += 1
          counts.malformed += 1
          issues.record(state.issue(offset: offset, kind: kind, reason: reason))
        case .skippedPayload(let offset, let messageType, let events):
          issues.record(
            ParseIssue(
              file: state.name, line: nil, offset: offset, kind: .controlMessage,
              reason: "CloudWatch Logs \(messageType) payload skipped (\(events) log "
                + "\(events == 1 ? "event" : "events")): only DATA_MESSAGE payloads carry flow log records"))
        case .malformed(let offset, let reason):
          counts.decodedBytes = scanner.bytesRead
          let place = compressed ? " (byte \(offset) of the decompressed text)" : ""
          issues.record(
            ParseIssue(
              file: state.name, line: nil, offset: offset, kind: .badJSON,
              reason: "CloudWatch Logs JSON\(place): \(reason); the log events before it are counted"))
          return
        }
      }
      if let handOver, handOver(&sink) { sink.layoutDidChange(decoder.layout) }
    }
    counts.decodedBytes = scanner.bytesRead
  }

  private func reportTooLong(offset: UInt64, state: inout LineState, counts: inout InputCounts, issues: inout IssueLog)
  {
    state.lineNumber += 1
    counts.lines += 1
    counts.malformed += 1
    issues.record(
      state.issue(offset: offset, kind: .lineTooLong, reason: "line longer than \(options.maxLineLength) bytes"))
  }

  @inline(__always)
  private func handleLine<Sink: FlowRecordSink>(
    _ rawLine: UnsafeRawBufferPointer, offset: UInt64, state: inout LineState, counts: inout InputCounts,
    sink: inout Sink, issues: inout IssueLog
  ) {
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
    // A record starts with a digit too; its fifth byte is rarely the timestamp's '-'.
    if first &- 0x30 < 10, line.count > 20, line[4] == UInt8(ascii: "-"),
      let stripped = Self.strippingCloudWatchTimestamp(line)
    {
      line = stripped
    }
    switch decoder.decode(line) {
    case .success(let record):
      deliver(record, state: &state, counts: &counts, sink: &sink)
    case .failure(let error):
      counts.malformed += 1
      issues.record(
        state.issue(
          offset: offset, kind: ParseIssue.Kind(error.kind), reason: error.reason(layout: decoder.layout, line: line)))
    }
  }

  /// Hands a valid record to the sink, unless the filter turns it away: the one way every input
  /// form (text, CloudWatch events, Parquet rows) delivers a record and counts it.
  @inline(__always)
  func deliver<Sink: FlowRecordSink>(
    _ record: FlowRecord, state: inout LineState, counts: inout InputCounts, sink: inout Sink
  ) {
    // One branch per record without a filter, once the layout is noted; the rest out of line.
    if filter != nil || !state.layoutNoted, !admits(record, state: &state, counts: &counts) { return }
    counts.records += 1
    sink.consume(record, at: RecordPosition(inputIndex: state.inputIndex, line: state.lineNumber))
  }

  /// Notes the layout's fields for the first record under it, and asks the filter; false (the
  /// record counted as filtered) when the filter turns it away.
  @inline(never)
  func admits(_ record: FlowRecord, state: inout LineState, counts: inout InputCounts) -> Bool {
    if !state.layoutNoted {
      counts.fieldsSeen.formUnion(decoder.layout.fields)
      state.layoutNoted = true
    }
    if let filter, !filter.matches(record) {
      counts.filtered += 1
      return false
    }
    return true
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
          state.issue(
            offset: offset, kind: .badHeader, reason: "line starts with a field name but is not a header line"))
        return
      }
      counts.headers += 1
      decoder.setLayout(layout)
      state.layoutNoted = false
      sink.layoutDidChange(layout)
      let unknown = layout.unknownNames
      if !unknown.isEmpty {
        issues.record(
          state.issue(
            offset: offset, kind: .unknownHeaderField,
            reason: "header names unknown fields (\(unknown.joined(separator: ", "))); their columns are ignored"))
      }
    } catch {
      counts.malformed += 1
      issues.record(
        state.issue(
          offset: offset, kind: .badHeader,
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
      total.add(read(ReadJob(input, index: index), into: &sink, issues: &issues))
    }
    return total
  }
}

/// What a reader last told ``ReaderOptions/progress``, so that each report adds only what is new.
private struct ProgressTally {
  var bytes: UInt64 = 0
  var records = 0

  /// Tells `progress` (when there is one) the bytes `meter` consumed and the records counted
  /// since the last report.
  mutating func report(to progress: ProgressCounter?, meter: any ByteSource, records now: Int) {
    guard let progress else { return }
    let consumed = meter.bytesConsumed
    progress.add(bytes: consumed &- bytes, records: UInt64(now - records))
    bytes = consumed
    records = now
  }
}
