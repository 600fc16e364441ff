import FlowLogParser
import FlowStats
import Testing

/// The index of ``HeavyHitterTable`` (slots with a tag of each key's hash, sized ahead of a merge),
/// checked against a Dictionary on keys made to collide.
@Suite("Heavy-hitter table: index")
struct HeavyHitterIndexTests {
  /// A key whose hash the test chooses, so that keys can share an index slot, a tag, or both.
  struct Key: CounterTableKey {
    var id: UInt64
    var hash: UInt64
    var tableHash: UInt64 { hash }
  }

  /// `count` keys in `groups` groups. `sameSlot`: a group's keys share their whole hash (index
  /// position and tag); otherwise they share the tag bits (32 to 39) and differ in the position.
  static func keys(count: Int, groups: UInt64, sameSlot: Bool, seed: UInt64) -> [Key] {
    var random = SplitMix64(state: seed)
    return (0..<count).map { id in
      let group = random.next() % groups
      let hash =
        sameSlot
        ? group &* 0x9E37_79B9_7F4A_7C15
        : (random.next() & ~(0xFF << 32)) | (group & 0xFF) << 32
      return Key(id: UInt64(id), hash: hash)
    }
  }

  @Test("keys that share slots or tags are counted apart, in one table and merged", arguments: [true, false])
  func collidingKeys(sameSlot: Bool) {
    let keys = Self.keys(count: 3_000, groups: 24, sameSlot: sameSlot, seed: sameSlot ? 7 : 8)
    var random = SplitMix64(state: 99)
    let stream = (0..<20_000).map { _ in keys[Int(random.next() % UInt64(keys.count))] }
    var truth: [Key: UInt64] = [:]
    for key in stream { truth[key, default: 0] += 1 }

    var whole = HeavyHitterTable<Key, TrafficCounters>(capacity: 10_000)
    for key in stream { whole.add(key, action: .accept, packets: 1, bytes: 1) }
    // Three parts merged: each merge sizes the index for the union at once.
    var parts = [HeavyHitterTable<Key, TrafficCounters>](repeating: HeavyHitterTable(capacity: 10_000), count: 3)
    for (position, key) in stream.enumerated() { parts[position % 3].add(key, action: .accept, packets: 1, bytes: 1) }
    var merged = parts[0]
    merged.merge(parts[1])
    merged.merge(parts[2])

    for table in [whole, merged] {
      #expect(!table.isApproximate)
      #expect(table.count == truth.count)
      let counted = Dictionary(uniqueKeysWithValues: table.allEntries.map { ($0.key, $0.counters.accept) })
      #expect(counted == truth)
    }
  }

  @Test("past the capacity, evictions free their slots: every kept key is counted from its admission")
  func evictions() {
    let keys = Self.keys(count: 600, groups: 16, sameSlot: true, seed: 3)
    var table = HeavyHitterTable<Key, TrafficCounters>(capacity: 64)
    var random = SplitMix64(state: 5)
    for _ in 0..<30_000 {
      let key = keys[Int(random.next() % UInt64(keys.count))]
      table.add(key, action: .reject, packets: 1, bytes: 1)
    }
    // Keys 0 to 9 are then added 1,000 times each: heavier than anything, so kept, each found
    // again (not admitted twice) on every add after its first.
    for key in keys.prefix(10) {
      for _ in 0..<1_000 { table.add(key, action: .accept, packets: 1, bytes: 1) }
    }
    #expect(table.count == 64)
    let kept = Dictionary(grouping: table.allEntries, by: \.key)
    #expect(kept.values.allSatisfy { $0.count == 1 })
    for key in keys.prefix(10) { #expect(kept[key]?.first?.counters.accept == 1_000) }
  }
}
