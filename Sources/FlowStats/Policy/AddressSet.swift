import FlowLogParser

/// A set of addresses given as prefixes, IPv4 and IPv6, with a membership test that costs a
/// binary search over merged ranges rather than a scan of every prefix.
public struct AddressSet: Hashable, Sendable, CustomStringConvertible {
  /// The prefixes as given.
  public let prefixes: [CIDR]
  /// Merged, sorted, non-overlapping ranges per family.
  private let ranges4: [ClosedRange<UInt32>]
  private let ranges6: [Range6]

  private struct Range6: Hashable, Sendable {
    var lower: (UInt64, UInt64)
    var upper: (UInt64, UInt64)
    static func == (a: Range6, b: Range6) -> Bool { a.lower == b.lower && a.upper == b.upper }
    func hash(into hasher: inout Hasher) {
      hasher.combine(lower.0)
      hasher.combine(lower.1)
      hasher.combine(upper.0)
      hasher.combine(upper.1)
    }
  }

  /// The empty set.
  public static let empty = AddressSet([])

  /// The set of addresses in any of `prefixes`.
  public init(_ prefixes: [CIDR]) {
    self.prefixes = prefixes
    var v4: [ClosedRange<UInt32>] = []
    var v6: [Range6] = []
    for prefix in prefixes {
      if prefix.address.isIPv6 {
        let last = prefix.lastAddress
        v6.append(Range6(lower: (prefix.address.high, prefix.address.low), upper: (last.high, last.low)))
      } else {
        v4.append(prefix.address.ipv4...prefix.lastAddress.ipv4)
      }
    }
    v4.sort { $0.lowerBound < $1.lowerBound }
    var merged4: [ClosedRange<UInt32>] = []
    for range in v4 {
      if let last = merged4.last, range.lowerBound <= last.upperBound || last.upperBound &+ 1 == range.lowerBound {
        merged4[merged4.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
      } else {
        merged4.append(range)
      }
    }
    v6.sort { $0.lower < $1.lower }
    var merged6: [Range6] = []
    for range in v6 {
      if let last = merged6.last, range.lower <= last.upper {
        if last.upper < range.upper { merged6[merged6.count - 1].upper = range.upper }
      } else {
        merged6.append(range)
      }
    }
    ranges4 = merged4
    ranges6 = merged6
  }

  /// Adds the prefixes of another set.
  public func union(_ other: AddressSet) -> AddressSet { AddressSet(prefixes + other.prefixes) }

  /// Whether the set has no prefix.
  public var isEmpty: Bool { prefixes.isEmpty }

  /// Whether `address` lies in any prefix of the set.
  public func contains(_ address: IPAddress) -> Bool {
    if address.isIPv6 {
      let key = (address.high, address.low)
      var lo = 0
      var hi = ranges6.count
      while lo < hi {  // first range whose upper bound is >= key
        let mid = (lo + hi) / 2
        if ranges6[mid].upper < key { lo = mid + 1 } else { hi = mid }
      }
      return lo < ranges6.count && ranges6[lo].lower <= key
    }
    let key = address.ipv4
    var lo = 0
    var hi = ranges4.count
    while lo < hi {
      let mid = (lo + hi) / 2
      if ranges4[mid].upperBound < key { lo = mid + 1 } else { hi = mid }
    }
    return lo < ranges4.count && ranges4[lo].lowerBound <= key
  }

  public var description: String { prefixes.map(\.description).joined(separator: ", ") }

  public static func == (a: AddressSet, b: AddressSet) -> Bool { a.prefixes == b.prefixes }
  public func hash(into hasher: inout Hasher) { hasher.combine(prefixes) }

  /// RFC 1918 and RFC 4193 (unique local) space: where private sources live.
  public static let privateRanges = AddressSet(
    ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"].compactMap { CIDR($0) })
}
