import FlowStats
import Testing

@Suite("Distinct sketch")
struct DistinctSketchTests {
  @Test("exact below its capacity, whatever repeats", arguments: [0, 1, 2, 19, 20, 31])
  func exactBelowCapacity(distinct: Int) {
    var sketch = DistinctSketch<UInt16>()
    for round in 0..<3 {
      for port in 0..<distinct { sketch.insert(UInt16(1000 + port * 7 + round * 0)) }
    }
    #expect(sketch.isExact)
    #expect(sketch.count == distinct)
    #expect(sketch.exactValues == (0..<distinct).map { UInt16(1000 + $0 * 7) })
  }

  @Test("every port has its own rank, so port counts never collide")
  func portRanksAreABijection() {
    var seen = Set<UInt16>()
    for port in 0...Int(UInt16.max) { seen.insert(UInt16(port).sketchRank) }
    #expect(seen.count == 65_536)
  }

  @Test(
    "past its capacity: an estimate within three standard errors, and never below the capacity",
    arguments: [32, 100, 1_000, 20_000])
  func estimate(distinct: Int) {
    var ports = DistinctSketch<UInt16>()
    var hosts = DistinctSketch<UInt32>()
    var state: UInt64 = 0x1234_5678
    for value in 0..<distinct {
      ports.insert(UInt16(truncatingIfNeeded: value &* 3 &+ 1))
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      hosts.insert(UInt32(truncatingIfNeeded: state >> 32))
    }
    for count in [ports.count, hosts.count] {
      #expect(!ports.isExact)
      #expect(count >= DistinctSketch<UInt16>.capacity)
      // Relative standard error ≈ 1/√(k − 2) ≈ 0.18 for k = 32.
      #expect(
        Double(count) > Double(distinct) * 0.45 && Double(count) < Double(distinct) * 1.55,
        "estimated \(count) for \(distinct)")
    }
  }

  @Test("merging sketches of parts gives the sketch of the whole, in any order")
  func mergeIsOrderIndependent() {
    let values = (0..<500).map { UInt32(truncatingIfNeeded: ($0 * 2_654_435_761) >> 3) }
    var whole = DistinctSketch<UInt32>()
    for v in values { whole.insert(v) }
    var parts = [DistinctSketch<UInt32>(), DistinctSketch<UInt32>(), DistinctSketch<UInt32>()]
    for (i, v) in values.enumerated() { parts[i % 3].insert(v) }
    var forward = parts[0]
    forward.merge(parts[1])
    forward.merge(parts[2])
    var backward = parts[2]
    backward.merge(parts[1])
    backward.merge(parts[0])
    var reversed = DistinctSketch<UInt32>()
    for v in values.reversed() { reversed.insert(v) }
    #expect(forward.count == whole.count)
    #expect(backward.count == whole.count)
    #expect(reversed.count == whole.count)
  }
}

@Suite("Small distinct set")
struct SmallDistinctSetTests {
  static func values(_ n: Int, seed: UInt32) -> [UInt32] {
    (0..<n).map { UInt32(truncatingIfNeeded: (UInt64($0) &+ UInt64(seed)) &* 0x9E37_79B9_7F4A_7C15 >> 17) }
  }

  @Test("counts as the sketch does, inline or not", arguments: [0, 1, 2, 3, 20, 31, 32, 500])
  func countsAsTheSketch(n: Int) {
    var small = SmallDistinctSet<UInt32>()
    var sketch = DistinctSketch<UInt32>()
    for v in Self.values(n, seed: 1) + Self.values(n, seed: 1) {  // every value twice
      small.insert(v)
      sketch.insert(v)
    }
    #expect(small.count == sketch.count)
    #expect(small.isExact == sketch.isExact)
  }

  @Test(
    "merging any two sizes equals inserting everything into one",
    arguments: [(0, 3), (1, 1), (2, 2), (1, 5), (5, 2), (40, 40)])
  func merge(sizes: (Int, Int)) {
    let a = Self.values(sizes.0, seed: 1)
    let b = Self.values(sizes.1, seed: 1_000)
    var left = SmallDistinctSet<UInt32>()
    var right = SmallDistinctSet<UInt32>()
    var whole = DistinctSketch<UInt32>()
    for v in a {
      left.insert(v)
      whole.insert(v)
    }
    for v in b {
      right.insert(v)
      whole.insert(v)
    }
    var merged = left
    merged.merge(right)
    var reversed = right
    reversed.merge(left)
    #expect(merged.count == whole.count)
    #expect(reversed.count == whole.count)
  }

  @Test("a copy is independent of the original once it grew past two values")
  func copyOnWrite() {
    var original = SmallDistinctSet<UInt32>()
    for v in Self.values(10, seed: 7) { original.insert(v) }
    var copy = original
    for v in Self.values(10, seed: 99) { copy.insert(v) }
    var other = original
    other.merge(copy)
    #expect(original.count == 10)
    #expect(copy.count == 20)
    #expect(other.count == 20)
  }
}
