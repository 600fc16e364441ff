import FlowLogParser
import FlowStats
import Testing

@Suite("Heavy-hitter table")
struct HeavyHitterTableTests {
  /// A deterministic stream: `heavy` keys with `weight` records each, interleaved with `singletons`
  /// keys seen once.
  static func stream(heavy: Int, weight: Int, singletons: Int) -> [UInt64] {
    var keys: [UInt64] = []
    var single: UInt64 = 1_000_000
    for round in 0..<weight {
      for h in 0..<heavy { keys.append(UInt64(h)) }
      for _ in 0..<(singletons / weight) {
        keys.append(single)
        single += 1
      }
      _ = round
    }
    return keys
  }

  static func trueCounts(_ keys: [UInt64]) -> [UInt64: UInt64] {
    var counts: [UInt64: UInt64] = [:]
    for key in keys { counts[key, default: 0] += 1 }
    return counts
  }

  @Test("exact below the capacity")
  func exact() {
    var table = HeavyHitterTable<UInt64, TrafficCounters>(capacity: 10_000)
    let keys = Self.stream(heavy: 50, weight: 20, singletons: 5_000)
    for key in keys { table.add(key, action: .accept, packets: 2, bytes: 10) }
    let truth = Self.trueCounts(keys)
    #expect(!table.isApproximate)
    #expect(table.count == truth.count)
    for entry in table.allEntries {
      #expect(entry.counters.accept == truth[entry.key])
      #expect(entry.counters.packets == 2 * truth[entry.key]!)
      #expect(entry.error == 0)
    }
  }

  @Test("past the capacity: every heavy key kept, and every count within the stated bound", arguments: [1, 2, 3])
  func boundedAndCorrect(parts: Int) {
    let keys = Self.stream(heavy: 20, weight: 200, singletons: 100_000)
    let truth = Self.trueCounts(keys)
    let size = (keys.count + parts - 1) / parts
    var tables: [HeavyHitterTable<UInt64, TrafficCounters>] = []
    for start in stride(from: 0, to: keys.count, by: size) {
      var table = HeavyHitterTable<UInt64, TrafficCounters>(capacity: 1_000)
      for key in keys[start..<min(start + size, keys.count)] { table.add(key, action: .reject, packets: 1, bytes: 1) }
      tables.append(table)
    }
    var table = tables[0]
    for other in tables.dropFirst() { table.merge(other) }
    #expect(table.isApproximate)
    #expect(table.count <= 1_000)
    let bound = table.maximumError
    let kept = Dictionary(uniqueKeysWithValues: table.allEntries.map { ($0.key, $0) })
    for heavy in 0..<UInt64(20) {
      let entry = kept[heavy]
      #expect(entry != nil, "heavy key \(heavy) lost")
      if let entry {
        #expect(entry.counters.reject <= truth[heavy]!)
        #expect(truth[heavy]! <= entry.counters.reject + bound)
      }
    }
    for (key, count) in truth where kept[key] == nil {
      #expect(count <= bound, "missing key \(key) had \(count) > bound \(bound)")
    }
    #expect(bound < 200)
  }

  /// Merging in any order and grouping, exact parts into approximate results and approximate
  /// into exact: the merged table says it is approximate exactly when a key was lost, and its
  /// bound is never too small, for any key kept or not. The oracle is a dictionary of true counts.
  @Test(
    "merges of random splits: approximate whenever a part was, and every count within the bound",
    arguments: UInt64(1)...UInt64(12))
  func randomMerges(seed: UInt64) {
    var random = SplitMix64(state: seed)
    let capacity = 64
    // Parts of a skewed stream: small parts of heavy keys only (exact, and whose keys a lossy
    // table keeps: merging them must not make it look exact), and large parts of a few heavy
    // keys, keys that recur in every part (light in each, heavier together) and many light ones.
    var keys: [UInt64] = []
    var parts: [HeavyHitterTable<UInt64, TrafficCounters>] = []
    for _ in 0..<Int.random(in: 2...8, using: &random) {
      var table = HeavyHitterTable<UInt64, TrafficCounters>(capacity: capacity)
      let small = Bool.random(using: &random)
      for _ in 0..<(small ? Int.random(in: 1...40, using: &random) : Int.random(in: 200...2_000, using: &random)) {
        let key: UInt64
        switch small ? 0 : Int.random(in: 0..<10, using: &random) {
        case 0..<3: key = UInt64.random(in: 0..<8, using: &random)
        case 3..<5: key = UInt64.random(in: 100..<180, using: &random)
        default: key = UInt64.random(in: 1_000..<100_000, using: &random)
        }
        keys.append(key)
        table.add(key, action: .accept, packets: 1, bytes: 1)
      }
      parts.append(table)
    }
    let truth = Self.trueCounts(keys)
    let anyPartLost = parts.contains(where: \.isApproximate) || truth.count > capacity
    // Merge in a random tree.
    while parts.count > 1 {
      let i = Int.random(in: 0..<parts.count, using: &random)
      var a = parts.remove(at: i)
      let b = parts.remove(at: Int.random(in: 0..<parts.count, using: &random))
      a.merge(b)
      parts.append(a)
    }
    let table = parts[0]
    #expect(table.isApproximate == anyPartLost, "seed \(seed)")
    #expect(table.count <= capacity)
    let bound = table.maximumError
    let kept = Dictionary(uniqueKeysWithValues: table.allEntries.map { ($0.key, $0) })
    for (key, count) in truth {
      if let entry = kept[key] {
        #expect(entry.counters.accept <= count, "seed \(seed), key \(key)")
        #expect(
          count <= entry.counters.accept + bound,
          "seed \(seed), key \(key): \(count) > \(entry.counters.accept) + \(bound)")
      } else {
        #expect(count <= bound, "seed \(seed): missing key \(key) had \(count) > bound \(bound)")
      }
    }
  }

  @Test("an exact table absorbing one that lost keys says it is approximate")
  func exactAbsorbsApproximate() {
    var lossy = HeavyHitterTable<UInt64, TrafficCounters>(capacity: 16)
    for key in 0..<UInt64(40) { lossy.add(key, action: .accept, packets: 1, bytes: 1) }
    var exact = HeavyHitterTable<UInt64, TrafficCounters>(capacity: 16)
    exact.add(39, action: .accept, packets: 1, bytes: 1)  // the last key added: one the lossy table kept
    #expect(lossy.isApproximate && !exact.isApproximate)
    exact.merge(lossy)
    #expect(exact.isApproximate)
    #expect(exact.maximumError >= 1)
  }

  @Test("summary says when its source table is approximate")
  func summaryFlag() {
    var lines: [String] = []
    for i in 0..<3_000 { lines.append("2 1 eni-a 10.\(i / 256 % 256).\(i % 256).1 10.9.9.9 1 22 6 1 1 1 2 REJECT OK") }
    for _ in 0..<500 { lines.append("2 1 eni-a 203.0.113.7 10.9.9.9 1 22 6 1 1 1 2 REJECT OK") }
    var aggregator = SummaryAggregator(options: SummaryOptions(top: 3, sourceCapacity: 256))
    var issues = IssueLog()
    let counts = FlowLogReader().read(
      MemorySource(Array(lines.joined(separator: "\n").utf8)), name: "scan", into: &aggregator, issues: &issues)
    let report = SummaryReport(aggregate: aggregator, counts: counts, issues: issues)
    #expect(report.approximate?.table == "by_source_cidr")
    #expect(report.approximate?.keptKeys == 256)
    #expect(report.bySourceCIDR.first?.cidr == "203.0.113.0/24")
    #expect(report.records.reject == 3_500)  // totals stay exact
    #expect(report.tableSizes.bySourceCIDR == 256)
  }
}

@Suite("Heavy-hitter table: growing the capacity")
struct HeavyHitterCapacityTests {
  @Test("a full table given more room keeps its bounds and still says it is approximate")
  func raiseCapacity() {
    let keys = HeavyHitterTableTests.stream(heavy: 10, weight: 100, singletons: 20_000)
    let truth = HeavyHitterTableTests.trueCounts(keys)
    var table = HeavyHitterTable<UInt64, TrafficCounters>(capacity: 100)
    for key in keys.prefix(keys.count / 2) { table.add(key, action: .reject, packets: 1, bytes: 1) }
    #expect(table.isApproximate)
    table.raiseCapacity(to: 400)
    for key in keys.dropFirst(keys.count / 2) { table.add(key, action: .reject, packets: 1, bytes: 1) }
    #expect(table.isApproximate)
    #expect(table.count <= 400)
    let bound = table.maximumError
    let kept = Dictionary(uniqueKeysWithValues: table.allEntries.map { ($0.key, $0) })
    for (key, count) in truth {
      if let entry = kept[key] {
        #expect(entry.counters.reject <= count && count <= entry.counters.reject + entry.error)
      } else {
        #expect(count <= bound)
      }
    }
    for heavy in 0..<UInt64(10) { #expect(kept[heavy] != nil) }
  }
}
