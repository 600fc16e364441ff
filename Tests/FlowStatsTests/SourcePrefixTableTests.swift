import FlowLogParser
import FlowStats
import Testing

/// ``SourcePrefixTable``: the same table for any split of the sources into parts and any merge
/// order, equal to the first step of the ladder at which the sources fit, with exact counts. The
/// expected table is counted here from the generated sources.
@Suite("source prefix table")
struct SourcePrefixTableTests {
  static let v4Lengths = [32, 24, 16, 8, 0]
  static let v6Lengths = [128, 64, 48, 32, 16, 0]

  /// `value` masked to its first `length` bits, as text `a.b.c.d/length`.
  static func v4Prefix(_ value: UInt32, _ length: Int) -> String {
    let masked = length == 0 ? 0 : value & ~UInt32(0) << (32 - length)
    return (0..<4).map { String((masked >> (24 - 8 * $0)) & 0xFF) }.joined(separator: ".") + "/\(length)"
  }

  @Test("any split and merge order gives the table of all the sources", arguments: 1...20)
  func splits(seed: Int) throws {
    var random = SplitMix64(state: UInt64(seed))
    let capacity = Int.random(in: 2...40, using: &random)
    let spread = UInt32.random(in: 1...4, using: &random)
    var sources: [UInt32] = []
    for _ in 0..<Int.random(in: 0...600, using: &random) {
      let a = UInt32.random(in: 0..<spread, using: &random)
      let b = UInt32.random(in: 0..<(spread * 3), using: &random)
      sources.append(10 << 24 | a << 16 | b << 8 | UInt32.random(in: 0..<(spread * 20), using: &random))
    }
    // The oracle: the first length at which the distinct prefixes number at most the capacity.
    var length = 0
    for candidate in Self.v4Lengths where Set(sources.map { Self.v4Prefix($0, candidate) }).count <= capacity {
      length = candidate
      break
    }
    var expected: [String: UInt64] = [:]
    for source in sources { expected[Self.v4Prefix(source, length), default: 0] += 1 }

    var results: [[String: UInt64]] = []
    for _ in 0..<4 {
      var parts = Array(repeating: SourcePrefixTable(capacity: capacity), count: Int.random(in: 1...5, using: &random))
      for source in sources.shuffled(using: &random) {
        parts[Int.random(in: 0..<parts.count, using: &random)].add(IPAddress(ipv4: source), packets: 1, bytes: 10)
      }
      parts.shuffle(using: &random)
      // Merge in a random tree shape: pairs at random until one is left.
      while parts.count > 1 {
        let i = Int.random(in: 0..<parts.count, using: &random)
        let other = parts.remove(at: i)
        let j = Int.random(in: 0..<parts.count, using: &random)
        parts[j].merge(other)
      }
      let table = parts[0]
      #expect(table.count <= capacity)
      #expect(table.ipv4PrefixLength == length)
      #expect(table.isAggregated == (length < 32))
      var got: [String: UInt64] = [:]
      for entry in table.entries {
        got["\(entry.prefix.address)/\(entry.prefix.prefixLength)"] = entry.counters.records
        #expect(entry.counters.bytes == entry.counters.records * 10)
      }
      results.append(got)
    }
    for result in results { #expect(result == expected) }
  }

  @Test("IPv4 and IPv6 step together, each on its own ladder")
  func bothFamilies() {
    var table = SourcePrefixTable(capacity: 2)
    table.add(IPAddress(ipv4: 0x0A00_0001), packets: 1, bytes: 1)
    table.add(IPAddress(ipv4: 0xC000_0201), packets: 1, bytes: 1)
    #expect(!table.isAggregated)
    table.add(IPAddress(text: "2001:db8::1")!, packets: 1, bytes: 1)
    // Three keys at /32 and /128, /24 and /64, /16 and /48, /8 and /32; two at /0 and /16.
    #expect(table.count == 2)
    #expect(table.ipv4PrefixLength == 0 && table.ipv6PrefixLength == 16)
    #expect(table.entries.map(\.counters.records).reduce(0, +) == 3)
  }
}
