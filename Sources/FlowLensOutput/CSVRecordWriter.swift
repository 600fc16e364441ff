import FlowLogParser

/// Writes records as CSV (`records --format csv`) with a header row of field names. Text from log
/// data is escaped as ``TextEscaping/csvCell(_:)`` says: no control byte reaches the output.
///
/// CSV cannot change its columns mid-file: the columns are those of the first layout seen. Records
/// of a later layout are written by field name, empty where they lack a field; fields outside the
/// first layout are dropped, and a note on standard error says so once.
public struct CSVRecordWriter: FlowRecordSink {
  private var out = OutputBuffer()
  private var columns: [FlowField]? = nil
  private var currentFields: [FlowField] = []
  private var warnedAboutLayout = false
  private var layoutChecked = false

  /// A writer to standard output.
  public init() {}

  public mutating func layoutDidChange(_ layout: FlowLayout) {
    currentFields = layout.columns.compactMap { column -> FlowField? in
      if case .field(let field) = column { return field }
      return nil
    }
    layoutChecked = false
  }

  /// Says once, at the first record of a layout other than the first, what CSV does about it.
  private mutating func checkLayout() {
    layoutChecked = true
    if let columns, !warnedAboutLayout && currentFields != columns {
      warnedAboutLayout = true
      StandardError.write(
        "flowlens: note: the input changes layout; CSV keeps the columns of the first layout "
          + "(\(columns.count) fields), use --format ndjson to keep every field\n")
    }
  }

  /// The columns are fixed by the layout of the first record (not the first layout announced:
  /// a header line may follow at once).
  private mutating func writeHeaderIfNeeded() {
    guard columns == nil else { return }
    columns = currentFields
    out.append(currentFields.map(\.name).joined(separator: ","))
    out.append(0x0A)
  }

  public mutating func consume(_ record: FlowRecord, at position: RecordPosition) {
    writeHeaderIfNeeded()
    if !layoutChecked { checkLayout() }
    guard let columns else { return }
    for (index, field) in columns.enumerated() {
      if index > 0 { out.append(UInt8(ascii: ",")) }
      guard record.fields.contains(field) else { continue }
      switch field.kind {
      case .integer, .timestamp: out.appendDecimal(record.integer(field)!)
      case .address: record.address(field)!.append(to: &out.bytes)
      case .action: out.append(record.action!.name)
      case .logStatus: out.append(record.logStatus!.name)
      case .text:
        let text = record.text(field)!
        if Self.isPlainCell(text) {
          out.append(text)
        } else {
          out.append(TextEscaping.csvCell(String(decoding: text, as: UTF8.self)))
        }
      }
    }
    out.append(0x0A)
    out.flushIfNeeded()
  }

  /// Writes what is still buffered.
  public mutating func finish() { out.flush() }

  /// A cell that needs no quoting, no formula neutralisation and no escaping (see
  /// ``TextEscaping/csvCell(_:)``); anything else, including every non-ASCII cell, goes there.
  @inline(__always)
  private static func isPlainCell(_ text: UnsafeRawBufferPointer) -> Bool {
    guard let first = text.first else { return true }
    if first == UInt8(ascii: "=") || first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
      || first == UInt8(ascii: "@")
    {
      return false
    }
    return !text.contains {
      $0 < 0x20 || $0 >= 0x7F || $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\")
    }
  }
}
