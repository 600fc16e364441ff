/// Writes a record back as flow log text in a layout: the inverse of ``RecordDecoder``.
///
/// Absent fields are written `-`; integers in decimal (timestamps in seconds); addresses in their
/// canonical form; text as its bytes. Decoding the output with the same layout gives the same
/// record, which is what the fuzzer's differential oracle checks.
public enum RecordTextEncoder {
  /// Appends the record's fields in `layout` order, separated by single spaces, without a newline.
  /// Columns of unknown fields are written `-`.
  public static func append(_ record: FlowRecord, layout: FlowLayout, to out: inout [UInt8]) {
    for (index, column) in layout.columns.enumerated() {
      if index > 0 { out.append(0x20) }
      guard case .field(let field) = column, record.fields.contains(field) else {
        out.append(UInt8(ascii: "-"))
        continue
      }
      switch field.kind {
      case .integer, .timestamp: out.append(contentsOf: String(record.integer(field)!).utf8)
      case .address: record.address(field)!.append(to: &out)
      case .action: out.append(contentsOf: record.action!.name.utf8)
      case .logStatus: out.append(contentsOf: record.logStatus!.name.utf8)
      case .text: out.append(contentsOf: record.text(field)!)
      }
    }
  }
}
