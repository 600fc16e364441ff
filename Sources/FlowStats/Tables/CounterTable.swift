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

/// An open-addressing hash table from small keys to ``TrafficCounters``.
///
/// Written by hand because the standard Dictionary hashes with seeded SipHash, which cost a
/// measured 7 % of `summary` time for two lookups per record; these keys need only a multiply.
public struct CounterTable<Key: CounterTableKey>: Sendable {
  private var keys: [Key?]
  private var values: [TrafficCounters]
  private var shift: UInt64
  /// The number of keys.
  public private(set) var count = 0

  /// An empty table.
  public init() {
    let capacity = 64
    keys = Array(repeating: nil, count: capacity)
    values = Array(repeating: TrafficCounters(), count: capacity)
    shift = 64 - 6
  }

  /// Counts one record under `key`.
  @inline(__always)
  public mutating func add(_ key: Key, action: FlowAction?, packets: UInt64, bytes: UInt64) {
    let slot = findOrInsert(key)
    values[slot].add(action: action, packets: packets, bytes: bytes)
  }

  /// Adds `counters` under `key`.
  public mutating func add(_ key: Key, _ counters: TrafficCounters) {
    let slot = findOrInsert(key)
    values[slot].add(counters)
  }

  /// The counters of `key`, if it was seen.
  public subscript(key: Key) -> TrafficCounters? {
    let mask = keys.count - 1
    var index = Int(truncatingIfNeeded: key.tableHash >> shift)
    while let existing = keys[index] {
      if existing == key { return values[index] }
      index = (index + 1) & mask
    }
    return nil
  }

  /// Every key with its counters, in no particular order.
  public var entries: [(key: Key, counters: TrafficCounters)] {
    var result: [(key: Key, counters: TrafficCounters)] = []
    result.reserveCapacity(count)
    for index in 0..<keys.count {
      if let key = keys[index] { result.append((key, values[index])) }
    }
    return result
  }

  /// Adds every key of `other`.
  public mutating func merge(_ other: CounterTable<Key>) {
    for index in 0..<other.keys.count {
      if let key = other.keys[index] { add(key, other.values[index]) }
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
    values = Array(repeating: TrafficCounters(), count: capacity)
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
