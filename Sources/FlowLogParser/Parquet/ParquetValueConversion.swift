/// How a column's values become the text of a flow log field, decided once per file from its
/// physical and logical types. The text is then decoded exactly as a text record's token is, so
/// that a Parquet row and the same record as text make the same ``FlowRecord`` (or fail the same way).
enum ParquetValueConversion: Sendable, Hashable {
  /// Signed integers (INT32, INT64), as decimal text.
  case signed
  /// Unsigned integers stored in INT32 or INT64 (UINT_32, UINT_64), as decimal text.
  case unsigned(bits: Int)
  /// A TIMESTAMP in units of 1/`perSecond` of a second, as Unix seconds.
  case timestamp(perSecond: Int64)
  /// Text (BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY), as it is.
  case text
  /// FLOAT or DOUBLE (stored as a Double's bits): an integral value converts, any other does not.
  case floatingPoint
  /// No value of this type converts (BOOLEAN, INT96, a DECIMAL with a scale): the reason.
  case never(String)

  init(physicalType: Int32, convertedType: Int32?, logical: ParquetLogicalType?, scale: Int32?) {
    switch physicalType {
    case ParquetColumnReader.int32, ParquetColumnReader.int64:
      let bits = physicalType == ParquetColumnReader.int32 ? 32 : 64
      switch logical {
      case .timestamp(let perSecond)?:
        self = .timestamp(perSecond: perSecond)
        return
      case .integer(_, signed: false)?:
        self = .unsigned(bits: bits)
        return
      case .decimal(let scale)? where scale != 0:
        self = .never("a DECIMAL with scale \(scale)")
        return
      default: break
      }
      switch convertedType {
      case 9?: self = .timestamp(perSecond: 1000)
      case 10?: self = .timestamp(perSecond: 1_000_000)
      case 11?, 12?, 13?, 14?: self = .unsigned(bits: bits)
      case 5? where (scale ?? 0) != 0: self = .never("a DECIMAL with scale \(scale ?? 0)")
      default: self = .signed
      }
    case ParquetColumnReader.byteArray, ParquetColumnReader.fixedLenByteArray: self = .text
    case ParquetColumnReader.float, ParquetColumnReader.double: self = .floatingPoint
    case ParquetColumnReader.boolean: self = .never("BOOLEAN")
    case ParquetColumnReader.int96: self = .never("INT96")
    default: self = .never("physical type \(physicalType)")
    }
  }
}
