import FlowLogParser

/// An IPv4 or IPv6 prefix such as `10.0.0.0/16` or `2001:db8::/32`.
public struct CIDR: Hashable, Sendable, CustomStringConvertible {
  /// The first address of the prefix (host bits cleared).
  public let address: IPAddress
  /// The prefix length: 0-32 for IPv4, 0-128 for IPv6.
  public let prefixLength: Int

  /// The prefix of `address` with `prefixLength` bits; host bits are cleared.
  public init(address: IPAddress, prefixLength: Int) {
    self.prefixLength = max(0, min(prefixLength, address.bitWidth))
    self.address = address.masked(toPrefix: self.prefixLength)
  }

  /// Parses `a.b.c.d/n`, `x:y::/n`, or a bare address (a /32 or /128). Host bits must be zero
  /// unless `strict` is false (`10.0.0.5/16` is then read as `10.0.0.0/16`).
  public init?(_ text: String, strict: Bool = false) {
    let parts = text.split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count <= 2, let address = IPAddress(text: parts[0]) else { return nil }
    var length = address.bitWidth
    if parts.count == 2 {
      guard !parts[1].isEmpty, parts[1].allSatisfy(\.isASCIIDigit), parts[1].count <= 3, let n = Int(parts[1]),
        n <= address.bitWidth
      else { return nil }
      length = n
    }
    if strict && address.masked(toPrefix: length) != address { return nil }
    self.init(address: address, prefixLength: length)
  }

  /// Whether `candidate` lies in the prefix (never across address families).
  public func contains(_ candidate: IPAddress) -> Bool {
    candidate.isIPv6 == address.isIPv6 && candidate.masked(toPrefix: prefixLength) == address
  }

  /// The last address of the prefix.
  public var lastAddress: IPAddress {
    var last = address
    if address.isIPv6 {
      if prefixLength < 64 {
        last.high |= prefixLength == 0 ? .max : UInt64.max >> UInt64(prefixLength)
        last.low = .max
      } else if prefixLength < 128 {
        last.low |= UInt64.max >> UInt64(prefixLength - 64)
      }
    } else if prefixLength < 32 {
      last.low |= UInt64(UInt32.max >> UInt32(prefixLength))
    }
    return last
  }

  public var description: String { "\(address)/\(prefixLength)" }
}

extension Character {
  fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
