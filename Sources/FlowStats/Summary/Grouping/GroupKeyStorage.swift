/// How a key's value is packed into a ``GroupKey``: its width in bits (a power of two, so that
/// packing the widest first never splits a value across words).
enum GroupKeyStorage: Sendable {
  /// An IPv4 or IPv6 address: 128 bits, and a family bit.
  case address
  /// A port: 16 bits.
  case port
  /// A protocol number or action: 8 bits.
  case byte
  /// A 64-bit integer.
  case integer
  /// An interned text id: 32 bits.
  case text
  /// An index into the run's flow log ids: 32 bits.
  case flowLog

  var bits: Int {
    switch self {
    case .address: 128
    case .integer: 64
    case .text, .flowLog: 32
    case .port: 16
    case .byte: 8
    }
  }
}
