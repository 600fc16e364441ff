import FlowLogParser

/// Writes each record as one JSON object per line (`records --format ndjson`): keys are the
/// layout's field names as AWS spells them, integers are numbers, `-` is null, addresses are
/// strings (IPv6 in RFC 5952 form), everything else is a string. Columns of unknown fields are left out.
public struct NDJSONRecordWriter: FlowRecordSink {
  private var out = OutputBuffer()
  private var columns: [(field: FlowField, key: [UInt8])] = []

  /// A writer to standard output.
  public init() {}

  public mutating func layoutDidChange(_ layout: FlowLayout) {
    columns = layout.columns.compactMap { column in
      guard case .field(let field) = column else { return nil }
      return (field, Array("\"\(field.name)\":".utf8))
    }
  }

  public mutating func consume(_ record: FlowRecord, at position: RecordPosition) {
    out.append(UInt8(ascii: "{"))
    for (index, column) in columns.enumerated() {
      if index > 0 { out.append(UInt8(ascii: ",")) }
      column.key.withUnsafeBytes { out.append($0) }
      Self.appendValue(of: column.field, in: record, to: &out)
    }
    out.append(UInt8(ascii: "}"))
    out.append(0x0A)
    out.flushIfNeeded()
  }

  /// Writes what is still buffered.
  public mutating func finish() { out.flush() }

  @inline(__always)
  static func appendValue(of field: FlowField, in record: FlowRecord, to out: inout OutputBuffer) {
    guard record.fields.contains(field) else {
      out.append("null")
      return
    }
    switch field.kind {
    case .integer, .timestamp:
      out.appendDecimal(record.integer(field)!)
    case .address:
      out.append(UInt8(ascii: "\""))
      record.address(field)!.append(to: &out.bytes)
      out.append(UInt8(ascii: "\""))
    case .action:
      out.append(UInt8(ascii: "\""))
      out.append(record.action!.name)
      out.append(UInt8(ascii: "\""))
    case .logStatus:
      out.append(UInt8(ascii: "\""))
      out.append(record.logStatus!.name)
      out.append(UInt8(ascii: "\""))
    case .text:
      out.append(UInt8(ascii: "\""))
      TextEscaping.appendJSONString(record.text(field)!, to: &out)
      out.append(UInt8(ascii: "\""))
    }
  }
}
