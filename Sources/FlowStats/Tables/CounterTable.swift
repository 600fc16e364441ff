import FlowLogParser

/// A key of a ``CounterTable``: a small fixed-size value with a cheap, well-mixed hash.
public protocol CounterTableKey: Hashable, Sendable {
  /// 64 well-mixed bits; the table uses the high bits.
  var tableHash: UInt64 { get }
}

extension UInt64: CounterTableKey {
  @inline(__always) public var tableHash: UInt64 { self &* 0x9E37_79B9_7F4A_7C15 }
}

extension IPAddress: CounterTableKey {
  @inline(__always) public var tableHash: UInt64 {
    let h = (high &* 0xFF51_AFD7_ED55_8CCD) ^ (low &+ (isIPv6 ? 0x5555 : 0))
    return (h ^ (h >> 29)) &* 0x9E37_79B9_7F4A_7C15
  }
}

/// An open-addressing hash table from small keys to values, probed linearly.
///
/// Written by hand because the standard Dictionary hashes with seeded SipHash, which cost a
/// measured 7 % of `summary` and 10 % of `audit` time; these keys need only a multiply.
public struct FlatTable<Key: CounterTableKey, Value: Sendable>: Sendable {
  private var keys: [Key?]
  private var values: [Value]
  private var shift: UInt64
  private let empty: Value
  /// The number of keys.
  public private(set) var count = 0

  /// An empty table whose new entries start as `empty`.
  public init(empty: Value) {
    let capacity = 64
    self.empty = empty
    keys = Array(repeating: nil, count: capacity)
    values = Array(repeating: empty, count: capacity)
    shift = 64 - 6
  }

  /// Changes the value of `key` (starting from `empty` when it is new) and returns what `body` returns.
  @inline(__always)
  @discardableResult
  public mutating func update<R>(_ key: Key, _ body: (inout Value) -> R) -> R {
    let slot = findOrInsert(key)
    return body(&values[slot])
  }

  /// Like ``update(_:_:)``, and also says whether `key` was new.
  @inline(__always)
  @discardableResult
  public mutating func upsert(_ key: Key, _ body: (inout Value) -> Void) -> Bool {
    let before = count
    let slot = findOrInsert(key)
    body(&values[slot])
    return count != before
  }

  /// The value of `key`, if it was added.
  public subscript(key: Key) -> Value? {
    let mask = keys.count - 1
    var index = Int(truncatingIfNeeded: key.tableHash >> shift)
    while let existing = keys[index] {
      if existing == key { return values[index] }
      index = (index + 1) & mask
    }
    return nil
  }

  /// Every key with its value, in no particular order.
  public var entries: [(key: Key, value: Value)] {
    var result: [(key: Key, value: Value)] = []
    result.reserveCapacity(count)
    for index in 0..<keys.count {
      if let key = keys[index] { result.append((key, values[index])) }
    }
    return result
  }

  /// Adds every entry of `other`, combining values of keys both have with `combine`.
  public mutating func merge(_ other: FlatTable<Key, Value>, _ combine: (inout Value, Value) -> Void) {
    // Grow to the other's size first: inserting another table's keys in slot order into a smaller
    // table piles them into long probe runs (measured: 15 % of a whole run before this).
    while keys.count < other.keys.count { grow() }
    for index in 0..<other.keys.count {
      if let key = other.keys[index] { update(key) { combine(&$0, other.values[index]) } }
    }
  }

  @inline(__always)
  private mutating func findOrInsert(_ key: Key) -> Int {
    let mask = keys.count - 1
    var index = Int(truncatingIfNeeded: key.tableHash >> shift)
    while let existing = keys[index] {
      if existing == key { return index }
      index = (index + 1) & mask
    }
    keys[index] = key
    count += 1
    if count * 4 > keys.count * 3 {  // keep the load under 3/4
      grow()
      return findSlot(key)
    }
    return index
  }

  private func findSlot(_ key: Key) -> Int {
    let mask = keys.count - 1
    var index = Int(truncatingIfNeeded: key.tableHash >> shift)
    while keys[index] != key { index = (index + 1) & mask }
    return index
  }

  private mutating func grow() {
    let oldKeys = keys
    let oldValues = values
    let capacity = keys.count * 2
    keys = Array(repeating: nil, count: capacity)
    values = Array(repeating: empty, count: capacity)
    shift -= 1
    let mask = capacity - 1
    for old in 0..<oldKeys.count {
      guard let key = oldKeys[old] else { continue }
      var index = Int(truncatingIfNeeded: key.tableHash >> shift)
      while keys[index] != nil { index = (index + 1) & mask }
      keys[index] = key
      values[index] = oldValues[old]
    }
  }
}

/// Traffic counters per key: the tables of `summary`.
public typealias CounterTable<Key: CounterTableKey> = FlatTable<Key, TrafficCounters>

extension FlatTable where Value == TrafficCounters {
  /// An empty table of counters.
  public init() { self.init(empty: TrafficCounters()) }

  /// Counts one record under `key`.
  @inline(__always)
  public mutating func add(_ key: Key, action: FlowAction?, packets: UInt64, bytes: UInt64) {
    update(key) { $0.add(action: action, packets: packets, bytes: bytes) }
  }

  /// Adds `counters` under `key`.
  @inline(__always)
  public mutating func add(_ key: Key, _ counters: TrafficCounters) {
    update(key) { $0.add(counters) }
  }

  /// Adds another table's counters.
  public mutating func merge(_ other: CounterTable<Key>) {
    merge(other) { $0.add($1) }
  }

  /// Every key with its counters, in no particular order.
  public var counters: [(key: Key, counters: TrafficCounters)] { entries.map { ($0.key, $0.value) } }
}

extension FlatTable where Key: StateCodable, Value: StateCodable {
  /// Writes the table for a partial result: the number of keys, then each key and value.
  public func write(to writer: inout StateWriter) {
    writer.count(count)
    for index in 0..<keys.count {
      if let key = keys[index] {
        key.write(to: &writer)
        values[index].write(to: &writer)
      }
    }
  }

  /// Reads a table written by ``write(to:)``; no key may appear twice.
  public init(from reader: inout StateReader, empty: Value) throws(StateError) {
    self.init(empty: empty)
    for _ in 0..<(try reader.count(minimumBytes: 2)) {
      let at = reader.position
      let key = try Key(from: &reader)
      let value = try Value(from: &reader)
      guard upsert(key, { $0 = value }) else { throw reader.error(at: at, "a table key appears twice") }
    }
  }
}
