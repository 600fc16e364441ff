/// Which IP protocols a rule covers.
public enum ProtocolMatch: Sendable, Hashable, CustomStringConvertible {
  /// Every protocol.
  case any
  /// These protocol numbers (`tcp` is 6, `udp` 17, `icmp` 1 and 58).
  case numbers(Set<UInt8>)

  /// Parses `tcp`, `udp`, `icmp`, `icmpv6`, `any` or a number 0-255.
  public init?(name: String) {
    switch name.lowercased() {
    case "any", "all", "-1": self = .any
    case "tcp": self = .numbers([6])
    case "udp": self = .numbers([17])
    case "icmp": self = .numbers([1, 58])
    case "icmpv6": self = .numbers([58])
    default:
      guard let n = UInt8(name) else { return nil }
      self = .numbers([n])
    }
  }

  /// Whether protocol number `value` is covered.
  @inline(__always)
  public func matches(_ value: UInt8) -> Bool {
    switch self {
    case .any: true
    case .numbers(let set): set.contains(value)
    }
  }

  public var description: String {
    switch self {
    case .any: "any"
    case .numbers(let set):
      set == [6]
        ? "tcp" : set == [17] ? "udp" : set == [1, 58] ? "icmp" : set.sorted().map(String.init).joined(separator: ",")
    }
  }
}
