/// A text value of a Parquet column decoded as the field it fills, the way ``RecordDecoder``
/// decodes the same token of a text record. Made once per dictionary entry and reused for every
/// row that refers to it; a value that is not `usable` (bad, `-`, or a case rare enough not to
/// be worth a path of its own) sends its row down the text path, which decides and reports it.
struct ParquetParsedValue {
  var usable: Bool
  /// The action's or log status's raw value.
  var small: UInt8
  /// The token's length in bytes.
  var length: UInt32
  var integer: UInt64
  var address: IPAddress

  static let unusable = ParquetParsedValue(
    usable: false, small: 0, length: 0, integer: 0, address: IPAddress(ipv4: 0))

  /// `token` decoded as a value of a field of kind `target` (whose largest value is `max`).
  static func parse(_ token: UnsafeRawBufferPointer, as target: RecordDecoder.ColumnPlan.Kind, max: UInt64) -> Self {
    guard let base = token.baseAddress, token.count > 0,
      RecordDecoder.tokenEnd(base, from: 0, to: token.count) == token.count,
      !(token.count == 1 && token.first == UInt8(ascii: "-"))
    else { return .unusable }
    var value = ParquetParsedValue.unusable
    switch target {
    case .integer, .timestamp:
      guard let integer = RecordDecoder.integerToken(token, kind: target, max: max) else { return .unusable }
      value.integer = integer
    case .address:
      guard let address = RecordDecoder.addressToken(token) else { return .unusable }
      value.address = address
    case .action:
      guard let action = RecordDecoder.action(token) else { return .unusable }
      value.small = action.rawValue
    case .logStatus:
      guard let status = RecordDecoder.logStatus(token) else { return .unusable }
      value.small = status.rawValue
    case .text:
      break
    case .unknown:
      return .unusable
    }
    value.usable = true
    value.length = UInt32(truncatingIfNeeded: token.count)
    return value
  }
}
