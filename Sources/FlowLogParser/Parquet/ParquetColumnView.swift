/// What rendering a row needs of one column, read once per row group: its decoded values and how
/// they convert, as plain values (no reference counting per row).
struct ParquetColumnView {
  /// How the values convert: ``ParquetValueConversion`` without its payloads.
  enum Kind: UInt8 {
    case signed, unsigned32, unsigned64, timestamp, text, floatingPoint, never
  }
  var kind: Kind
  var perSecond: Int64
  var field: FlowField
  var values: ParquetColumnValues

  init(_ column: ParquetFileReader.MappedColumn) {
    field = column.field
    values = column.reader.values
    perSecond = 1
    switch column.conversion {
    case .signed: kind = .signed
    case .unsigned(let bits): kind = bits == 32 ? .unsigned32 : .unsigned64
    case .timestamp(let unit):
      kind = .timestamp
      perSecond = max(1, unit)
    case .text: kind = .text
    case .floatingPoint: kind = .floatingPoint
    case .never: kind = .never
    }
  }
}
