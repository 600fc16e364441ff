/// A value a ``DistinctSketch`` can count: it ranks values by a well-mixed permutation of their bits,
/// so that the smallest ranks are a uniform sample of the distinct values.
public protocol DistinctSketchElement: FixedWidthInteger, UnsignedInteger, Sendable {
  /// A bijection of the value's bits, spreading nearby values over the whole range.
  var sketchRank: Self { get }
}

extension UInt16: DistinctSketchElement {
  /// Two multiply–xorshift rounds: a bijection on 16 bits, so distinct ports never share a rank.
  @inline(__always) public var sketchRank: UInt16 {
    var x = self &* 0x9E37
    x ^= x >> 7
    x = x &* 0x5D09
    return x ^ (x >> 8)
  }
}

extension UInt32: DistinctSketchElement {
  /// Identity: 32-bit elements are already hashes (of addresses).
  @inline(__always) public var sketchRank: UInt32 { self }
}

/// Something that counts distinct values, exactly up to a point, and merges.
public protocol DistinctCounting: Sendable {
  init()
  /// Whether ``count`` is exact.
  var isExact: Bool { get }
  /// The number of distinct values.
  var count: Int { get }
  /// Adds the values of another.
  mutating func merge(_ other: Self)
}

/// The number of distinct values added, in fixed memory: keeps the ``capacity`` values of smallest
/// rank (a k-minimum-values sketch, Bar-Yossef et al. 2002).
///
/// Exact while fewer than ``capacity`` distinct values were added — enough for the scan thresholds
/// (20 by default) to be decided exactly — and an estimate beyond, with a relative standard error
/// of about 1/√(capacity − 2) ≈ 18 %. Order-independent and mergeable: the sketch of a union is the
/// merge of the sketches, so results do not depend on how the input was split.
public struct DistinctSketch<Element: DistinctSketchElement>: DistinctCounting {
  /// The values kept: the most for which the count is exact, plus one.
  public static var capacity: Int { 32 }
  private var values = InlineArray<32, Element>(repeating: 0)
  private var kept: UInt8 = 0
  /// The largest rank among the kept values (meaningful once the sketch is full).
  private var largestRank: Element = 0

  /// An empty sketch.
  public init() {}

  /// Whether the count is exact (fewer than ``capacity`` distinct values were added).
  public var isExact: Bool { Int(kept) < Self.capacity }

  /// The number of distinct values: exact while ``isExact``, otherwise an estimate that is never
  /// below ``capacity``.
  public var count: Int {
    if isExact { return Int(kept) }
    let universe = Double(Element.max) + 1
    let estimate = Double(Self.capacity - 1) * universe / (Double(largestRank) + 1)
    return max(Self.capacity, Int(estimate.rounded()))
  }

  /// The distinct values, when they were all kept (nil once the sketch is full).
  public var exactValues: [Element]? {
    guard isExact else { return nil }
    return (0..<Int(kept)).map { values[$0] }.sorted()
  }

  /// Adds a value.
  @inline(__always)
  public mutating func insert(_ value: Element) {
    let rank = value.sketchRank
    let n = Int(kept)
    if n == Self.capacity && rank >= largestRank { return }  // not among the smallest, or kept already
    for i in 0..<n where values[i] == value { return }
    if n < Self.capacity {
      values[n] = value
      kept += 1
      if n == 0 || rank > largestRank { largestRank = rank }
      return
    }
    // Full: the value of largest rank leaves, and the new largest is found.
    var newLargest: Element = rank
    var replaced = false
    for i in 0..<n {
      let r = values[i].sketchRank
      if !replaced && r == largestRank {
        values[i] = value
        replaced = true
      } else if r > newLargest {
        newLargest = r
      }
    }
    largestRank = newLargest
  }

  /// Adds the values another sketch kept: the result is the sketch of both inputs together.
  public mutating func merge(_ other: DistinctSketch<Element>) {
    for i in 0..<Int(other.kept) { insert(other.values[i]) }
  }
}

/// Distinct values of one key in at most 24 bytes while there are at most two — most keys of a busy
/// table see one or two — and a ``DistinctSketch`` on the heap beyond, so that a table holds several
/// times the keys in the same memory. Counts exactly as the sketch does.
public struct SmallDistinctSet<Element: DistinctSketchElement>: DistinctCounting {
  /// The sketch of a set past two values; copied before a write when shared.
  final class Box: @unchecked Sendable {  // mutated only while uniquely referenced
    var sketch = DistinctSketch<Element>()
  }

  private var first: Element = 0
  private var second: Element = 0
  private var inline: UInt8 = 0
  private var box: Box?

  /// An empty set.
  public init() {}

  /// Whether the count is exact.
  public var isExact: Bool { box?.sketch.isExact ?? true }
  /// The number of distinct values (an estimate past the sketch's capacity).
  public var count: Int { box?.sketch.count ?? Int(inline) }

  /// Adds a value.
  @inline(__always)
  public mutating func insert(_ value: Element) {
    if box != nil {
      if !isKnownUniquelyReferenced(&box) { box = copy(box!) }
      box!.sketch.insert(value)
      return
    }
    switch inline {
    case 0:
      first = value
      inline = 1
    case 1 where value != first:
      second = value
      inline = 2
    case 2 where value != first && value != second:
      let grown = Box()
      grown.sketch.insert(first)
      grown.sketch.insert(second)
      grown.sketch.insert(value)
      box = grown
    default:
      break
    }
  }

  /// Adds the values of another set.
  public mutating func merge(_ other: SmallDistinctSet<Element>) {
    if let theirs = other.box {
      if box == nil {
        let grown = Box()
        grown.sketch = theirs.sketch
        if inline >= 1 { grown.sketch.insert(first) }
        if inline >= 2 { grown.sketch.insert(second) }
        box = grown
      } else {
        if !isKnownUniquelyReferenced(&box) { box = copy(box!) }
        box!.sketch.merge(theirs.sketch)
      }
      return
    }
    if other.inline >= 1 { insert(other.first) }
    if other.inline >= 2 { insert(other.second) }
  }

  private func copy(_ box: Box) -> Box {
    let copy = Box()
    copy.sketch = box.sketch
    return copy
  }
}

extension DistinctSketch {
  /// The values kept (all of them while exact; the smallest-ranked ones past that).
  var keptValues: [Element] { (0..<Int(kept)).map { values[$0] } }
}

extension SmallDistinctSet: StateCodable {
  /// The values kept, as a count and fixed-width little-endian values. Read back they are inserted
  /// again, which rebuilds the same set (and, past two values, the same sketch).
  public func write(to writer: inout StateWriter) {
    let values: [Element] =
      box.map { $0.sketch.keptValues } ?? (inline >= 2 ? [first, second] : inline == 1 ? [first] : [])
    writer.bool(box != nil)
    writer.count(values.count)
    for value in values { writer.fixed64(UInt64(value)) }
  }

  public init(from reader: inout StateReader) throws(StateError) {
    self.init()
    let boxed = try reader.bool()
    let at = reader.position
    let n = try reader.count(minimumBytes: 8)
    guard n <= DistinctSketch<Element>.capacity, boxed || n <= 2, !boxed || n >= 3 else {
      throw reader.error(at: at, "a distinct set of \(n) values is not valid")
    }
    for _ in 0..<n {
      let valueAt = reader.position
      let raw = try reader.fixed64()
      guard let value = Element(exactly: raw) else { throw reader.error(at: valueAt, "value \(raw) out of range") }
      insert(value)
    }
  }
}
