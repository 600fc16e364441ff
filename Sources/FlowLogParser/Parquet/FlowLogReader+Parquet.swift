/// Reading Parquet files: each row fills a record with the checks ``RecordDecoder`` applies to
/// the same values as text (see ``fillRow(_:columns:capacity:)``); a row that path does not take
/// becomes the text of a record in the reader's line buffer and is decoded as a line. Either way a
/// row and the same record as text give the same ``FlowRecord``, pass or fail the same checks,
/// and are counted the same way (a row is a line). Row groups are read one at a time; nothing is
/// allocated per row.
extension FlowLogReader {
  /// Reads the Parquet file of `job`, whose opening (`raw`) showed its `PAR1` magic.
  func readParquet<Sink: FlowRecordSink>(
    _ job: ReadJob, raw: any ByteSource, counts: inout InputCounts, into sink: inout Sink,
    handOver: ((inout Sink) -> Bool)?, issues: inout IssueLog
  ) {
    let name = job.input.path
    func fail(_ kind: ParseIssue.Kind, _ reason: String) {
      issues.record(ParseIssue(file: name, line: nil, offset: nil, kind: kind, reason: reason))
    }
    let access: ParquetRandomAccess
    var descriptor: Int32?
    defer { if let descriptor { Syscalls.close(descriptor) } }
    if let memory = raw as? MemorySource {
      access = .memory(memory.bytes)
    } else if !job.input.isStandardInput, let status = try? Syscalls.status(name), status.kind == .regular {
      do {
        let fd = try Syscalls.openForReading(name)
        descriptor = fd
        access = .file(descriptor: fd, size: status.size)
      } catch {
        fail(.unreadable, error.message)
        return
      }
    } else {
      fail(
        .unsupportedFormat,
        "Parquet needs a file, not a stream (its footer is at the end): save it to a file and name the file")
      return
    }
    let file: ParquetFileReader
    do {
      file = try ParquetFileReader(access, maxRowsPerGroup: options.maxParquetRowGroupRows)
    } catch {
      if error.kind == .notFlowLog && job.input.foundInDirectory {
        fail(.skippedFile, "skipped: Parquet file, \(error.message)")
        counts.files = 0
      } else {
        fail(Self.issueKind(error), Self.describe(error, rowGroup: nil))
      }
      return
    }
    // Every piece of a split file reads the footer; the first counts it, so that the total does
    // not depend on the split.
    let groups = job.rowGroups ?? 0..<file.rowGroupCount
    let isFirstPiece = groups.lowerBound == 0
    defer { counts.bytes = file.bytesRead - (isFirstPiece ? 0 : file.footerBytes) }
    if !file.unknownColumns.isEmpty && isFirstPiece {
      issues.record(
        ParseIssue(
          file: name, line: nil, offset: nil, kind: .unknownHeaderField,
          reason:
            "Parquet columns name unknown fields (\(file.unknownColumns.joined(separator: ", "))); they are not read"))
    }
    decoder.setLayout(file.layout)
    sink.layoutDidChange(file.layout)
    var state = LineState(name: name, inputIndex: job.inputIndex)
    state.lineNumber = job.firstLineNumber - 1
    var reportedBytes: UInt64 = 0
    let sliceRows = max(1, options.parquetSliceRows)
    let views = UnsafeMutableBufferPointer<ParquetColumnView>.allocate(capacity: file.columns.count)
    defer { views.deallocate() }
    var parsedDictionaries = [UnsafeMutableBufferPointer<ParquetParsedValue>](
      repeating: UnsafeMutableBufferPointer(start: nil, count: 0), count: file.columns.count)
    defer { for parsed in parsedDictionaries { parsed.deallocate() } }
    for group in groups where group < file.rowGroupCount {
      let rows: Int
      do {
        rows = try file.openRowGroup(group)
      } catch {
        // A broken row group is reported and left out; the groups after it are read (the footer
        // says where they are), so that the answer does not depend on how the file was split.
        fail(Self.issueKind(error), Self.describe(error, rowGroup: group))
        state.lineNumber += Int(clamping: max(0, file.metadata.rowGroups[group].numRows))
        continue
      }
      let recordsBefore = counts.records
      for index in parsedDictionaries.indices {
        parsedDictionaries[index].deallocate()
        parsedDictionaries[index] = UnsafeMutableBufferPointer(start: nil, count: 0)
      }
      var done = 0
      while done < rows {
        let count = min(sliceRows, rows - done)
        do {
          try file.readSlice(count)
        } catch {
          // A fault part-way through a row group: the rows before its slice were read; the rest
          // of the group is reported and left out, as a broken group is.
          fail(Self.issueKind(error), Self.describe(error, rowGroup: group))
          state.lineNumber += rows - done
          break
        }
        for (index, column) in file.columns.enumerated() {
          // The dictionary comes with the chunk's first page: decoded once per chunk.
          if done == 0 { parsedDictionaries[index] = ParquetColumnView.parseDictionary(of: column) }
          views.initializeElement(at: index, to: ParquetColumnView(column, parsedDictionary: parsedDictionaries[index]))
        }
        for row in 0..<count {
          handleRow(
            row, of: done, group: group, file: file, views: UnsafeBufferPointer(views), state: &state,
            counts: &counts, sink: &sink, issues: &issues)
        }
        done += count
      }
      options.progress?.add(bytes: file.bytesRead - reportedBytes, records: UInt64(counts.records - recordsBefore))
      reportedBytes = file.bytesRead
      if let handOver, handOver(&sink) { sink.layoutDidChange(decoder.layout) }
    }
  }

  private static func issueKind(_ error: ParquetError) -> ParseIssue.Kind {
    switch error.kind {
    case .corrupt: .badStream
    case .unsupported, .notFlowLog: .unsupportedFormat
    case .unreadable: .unreadable
    }
  }

  private static func describe(_ error: ParquetError, rowGroup: Int?) -> String {
    let place = rowGroup.map { "row group \($0 + 1), " } ?? ""
    switch error.kind {
    case .corrupt: return "Parquet file is corrupt or truncated: \(place)\(error.message)"
    case .unsupported, .notFlowLog: return "Parquet: \(place)\(error.message)"
    case .unreadable: return error.message
    }
  }

  /// Fills a record from one row (or, for a row that path does not take, renders it as a record's
  /// text and decodes it), and hands it on, as ``handleLine`` does a line.
  /// `row` is the row's index in the slice, which starts at row `sliceStart` of the group.
  private func handleRow<Sink: FlowRecordSink>(
    _ row: Int, of sliceStart: Int, group: Int, file: ParquetFileReader, views: UnsafeBufferPointer<ParquetColumnView>,
    state: inout LineState, counts: inout InputCounts, sink: inout Sink, issues: inout IssueLog
  ) {
    state.lineNumber += 1
    counts.lines += 1
    if let filled = fillRow(row, columns: views, capacity: min(options.maxLineLength, buffer.count)) {
      counts.decodedBytes += UInt64(filled.renderedLength + 1)
      let record = decoder.record(
        fields: filled.fields, line: UnsafeRawBufferPointer(rebasing: buffer[0..<filled.textEnd]),
        action: filled.action, logStatus: filled.logStatus)
      deliver(record, state: &state, counts: &counts, sink: &sink)
      return
    }
    let rendered = Self.render(row, columns: views, into: buffer, limit: options.maxLineLength)
    let length: Int
    switch rendered {
    case .line(let n):
      length = n
    case .tooLong:
      counts.malformed += 1
      issues.record(
        ParseIssue(
          file: state.name, line: state.lineNumber, offset: nil, kind: .lineTooLong,
          reason:
            "row group \(group + 1), row \(sliceStart + row + 1): the record is longer than \(options.maxLineLength) bytes"
        ))
      return
    case .bad(let kind, let column, var reason):
      if case .never(let type) = file.columns[column].conversion {
        reason = "\(type) values do not convert to \(file.columns[column].field.name)"
      }
      counts.malformed += 1
      issues.record(
        ParseIssue(
          file: state.name, line: state.lineNumber, offset: nil, kind: kind,
          reason:
            "row group \(group + 1), row \(sliceStart + row + 1), column \(file.columns[column].reader.name): \(reason)"
        ))
      return
    }
    counts.decodedBytes += UInt64(length + 1)
    let line = UnsafeRawBufferPointer(rebasing: buffer[0..<length])
    switch decoder.decode(line) {
    case .success(let record):
      deliver(record, state: &state, counts: &counts, sink: &sink)
    case .failure(let error):
      counts.malformed += 1
      var reason = error.reason(layout: decoder.layout, line: line)
      if error.column < file.columns.count, let colon = reason.firstIndex(of: ":") {
        reason = "column \(file.columns[error.column].reader.name)" + reason[colon...]
      }
      issues.record(
        ParseIssue(
          file: state.name, line: state.lineNumber, offset: nil, kind: ParseIssue.Kind(error.kind),
          reason: "row group \(group + 1), row \(sliceStart + row + 1), \(reason)"))
    }
  }

  /// What rendering a row gave.
  private enum RenderedRow {
    case line(Int)
    case tooLong
    /// A value that converts to no text a record could hold: the kind, the column, the reason.
    case bad(ParseIssue.Kind, Int, String)
  }

  /// Writes row `row` of the columns as a record's text: values separated by spaces, `-` for a null.
  private static func render(
    _ row: Int, columns: UnsafeBufferPointer<ParquetColumnView>, into buffer: UnsafeMutableRawBufferPointer, limit: Int
  ) -> RenderedRow {
    let base = buffer.baseAddress!
    let capacity = min(limit, buffer.count)
    var p = 0
    for index in 0..<columns.count {
      let column = columns[index]
      let values = column.values
      // Room for a separator and the longest number (20 digits and a sign).
      if index > 0 {
        guard p < capacity else { return .tooLong }
        base.storeBytes(of: 0x20, toByteOffset: p, as: UInt8.self)
        p += 1
      }
      guard values.present[row] else {
        guard p < capacity else { return .tooLong }
        base.storeBytes(of: UInt8(ascii: "-"), toByteOffset: p, as: UInt8.self)
        p += 1
        continue
      }
      switch column.kind {
      case .signed:
        let value = values.integers[row]
        guard writeDecimal(value.magnitude, negative: value < 0, base: base, at: &p, capacity: capacity) else {
          return .tooLong
        }
      case .unsigned32, .unsigned64:
        let raw = values.integers[row]
        let value = column.kind == .unsigned32 ? UInt64(UInt32(truncatingIfNeeded: raw)) : UInt64(bitPattern: raw)
        guard writeDecimal(value, negative: false, base: base, at: &p, capacity: capacity) else { return .tooLong }
      case .timestamp:
        let perSecond = column.perSecond
        let value = values.integers[row]
        guard value >= 0 else {
          return .bad(.badInteger, index, "timestamp \(value) is before 1970")
        }
        guard writeDecimal(UInt64(value / perSecond), negative: false, base: base, at: &p, capacity: capacity)
        else { return .tooLong }
      case .floatingPoint:
        let value = Double(bitPattern: UInt64(bitPattern: values.integers[row]))
        guard value >= 0, value < 18_446_744_073_709_551_616.0, value.rounded(.towardZero) == value else {
          return .bad(badKind(column.field), index, "\(value) is not an unsigned integer")
        }
        guard writeDecimal(UInt64(value), negative: false, base: base, at: &p, capacity: capacity) else {
          return .tooLong
        }
      case .text:
        let text = values.bytes(row, dictionary: column.dictionary)
        guard text.count > 0 else {
          return .bad(.fieldCount, index, "empty text (a null marks an absent value)")
        }
        guard text.count <= capacity - p else { return .tooLong }
        // Identifiers hold no space or control byte: such a value could not be a token of a record.
        if RecordDecoder.tokenEnd(text.baseAddress!, from: 0, to: text.count) != text.count {
          return .bad(
            .controlCharacter, index, "\(TextSanitizer.quoted(text)) contains a space or a control character")
        }
        (base + p).copyMemory(from: text.baseAddress!, byteCount: text.count)
        p += text.count
      case .never:
        return .bad(badKind(column.field), index, "")
      }
    }
    return .line(p)
  }

  /// The kind of issue for a value that does not convert to `field`.
  private static func badKind(_ field: FlowField) -> ParseIssue.Kind {
    switch field.kind {
    case .address: .badAddress
    case .action: .badAction
    case .logStatus: .badLogStatus
    case .integer, .timestamp, .text: .badInteger
    }
  }

  /// Writes `value` in decimal (after a minus sign when `negative`); false when it does not fit.
  @inline(__always)
  static func writeDecimal(
    _ value: UInt64, negative: Bool, base: UnsafeMutableRawPointer, at p: inout Int, capacity: Int
  ) -> Bool {
    var digits = 1
    var rest = value / 10
    while rest > 0 {
      digits += 1
      rest /= 10
    }
    let length = digits + (negative ? 1 : 0)
    guard length <= capacity - p else { return false }
    if negative { base.storeBytes(of: UInt8(ascii: "-"), toByteOffset: p, as: UInt8.self) }
    var v = value
    var q = p + length - 1
    for _ in 0..<digits {
      base.storeBytes(of: UInt8(truncatingIfNeeded: v % 10) &+ 0x30, toByteOffset: q, as: UInt8.self)
      v /= 10
      q -= 1
    }
    p += length
    return true
  }
}
