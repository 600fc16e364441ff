import FlowLogParser

/// One grouped value of a `summary --by` row, typed as `records --format ndjson` types it:
/// numbers as JSON numbers, addresses, prefixes and texts as strings, absent as null.
public enum GroupValue: Sendable, Hashable, Comparable, CustomStringConvertible, Codable {
  /// A number (port, protocol, traffic path).
  case number(UInt64)
  /// An address.
  case address(IPAddress)
  /// An address masked to a prefix length.
  case prefix(IPAddress, length: Int)
  /// A text (an id, an action, a direction, a service name).
  case text(String)
  /// The record lacks the value (not in its layout, or `-`): a group of its own.
  case absent

  /// The value as text cells show it (`-` when absent).
  public var description: String {
    switch self {
    case .number(let value): String(value)
    case .address(let address): address.description
    case .prefix(let address, let length): "\(address)/\(length)"
    case .text(let text): text
    case .absent: "-"
    }
  }

  /// The order of the key order: numbers numerically, addresses IPv4 before IPv6 and then
  /// numerically, texts by their characters; absent values last.
  public static func < (a: GroupValue, b: GroupValue) -> Bool {
    switch (a, b) {
    case (.number(let x), .number(let y)): return x < y
    case (.address(let x), .address(let y)): return x < y
    case (.prefix(let x, let lx), .prefix(let y, let ly)): return x != y ? x < y : lx < ly
    case (.text(let x), .text(let y)): return x < y
    default: return a.rank < b.rank
    }
  }

  private var rank: Int {
    switch self {
    case .number: 0
    case .address: 1
    case .prefix: 2
    case .text: 3
    case .absent: 4
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    switch self {
    case .number(let value): try container.encode(value)
    case .absent: try container.encodeNil()
    default: try container.encode(description)
    }
  }

  /// Decodes JSON as written: a number, null, or a string (kept as text).
  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .absent
    } else if let number = try? container.decode(UInt64.self) {
      self = .number(number)
    } else {
      self = .text(try container.decode(String.self))
    }
  }
}
