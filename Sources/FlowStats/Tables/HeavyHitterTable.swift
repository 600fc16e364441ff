import FlowLogParser

/// Traffic counters per key that stay exact up to `capacity` keys and then keep the heaviest keys
/// with the Space-Saving algorithm (Metwally, Agrawal, El Abbadi 2005), so that memory is bounded
/// whatever the cardinality (a spoofed scan from ten million sources).
///
/// Beyond the capacity a new key takes the place of the key with the fewest records and inherits
/// that count as its `error`: the key's true records are between its counted records and counted
/// records + error. Counted accept, reject, packets and bytes are exact since the key was admitted.
/// Below the capacity every error is 0 and the table is exact.
public struct HeavyHitterTable<Key: CounterTableKey>: Sendable {
  /// An entry: counters since admission, and the records the key may have had before.
  public struct Entry: Sendable, Hashable {
    public var key: Key
    public var counters: TrafficCounters
    /// Records the key may have had before it was admitted (0 while the table is exact).
    public var error: UInt64

    /// The count the table ranks keys by.
    var weight: UInt64 { counters.records &+ error }
  }

  /// The most keys kept.
  public let capacity: Int
  private var entries: [Entry] = []
  /// Open-addressing index from key to entry: entry index + 1, 0 empty, -1 deleted.
  private var slots: [Int32]
  private var shift: UInt64
  private var deleted = 0
  /// Min-heap of entry indices by weight; built when the table first fills.
  private var heap: [Int32] = []
  private var heapPosition: [Int32] = []
  /// Records evicted in merges that no kept key accounts for (a bound on what a missing key had).
  public private(set) var mergeError: UInt64 = 0

  /// An empty table that is exact up to `capacity` keys.
  public init(capacity: Int = 1 << 18) {
    self.capacity = max(2, capacity)
    // The index starts small and doubles as keys arrive (to at most twice the capacity), so a
    // small input does not pay for a table sized for a scan.
    slots = Array(repeating: 0, count: 64)
    shift = 64 - 6
  }

  /// The number of keys kept.
  public var count: Int { entries.count }
  /// Whether any key was evicted: counts are then bounds, not exact.
  public var isApproximate: Bool { !heap.isEmpty || mergeError > 0 }
  /// Every kept entry, in no particular order.
  public var allEntries: [Entry] { entries }
  /// The largest possible undercount of any kept key's records, or of a key not kept.
  public var maximumError: UInt64 {
    var worst = mergeError
    for entry in entries where entry.error > worst { worst = entry.error }
    if let root = heap.first, entries[Int(root)].weight > worst { worst = entries[Int(root)].weight }
    return worst
  }

  /// Counts one record under `key`.
  @inline(__always)
  public mutating func add(_ key: Key, action: FlowAction?, packets: UInt64, bytes: UInt64) {
    var one = TrafficCounters()
    one.add(action: action, packets: packets, bytes: bytes)
    add(key, one, error: 0)
  }

  /// Adds counters (and a possible undercount) under `key`.
  public mutating func add(_ key: Key, _ counters: TrafficCounters, error: UInt64 = 0) {
    if let index = find(key) {
      entries[index].counters.add(counters)
      entries[index].error &+= error
      if !heap.isEmpty { siftDown(Int(heapPosition[index])) }
      return
    }
    if entries.count < capacity {
      if (entries.count + 1) * 2 > slots.count { growIndex() }
      insertSlot(key, index: entries.count)
      entries.append(Entry(key: key, counters: counters, error: error))
      if entries.count == capacity { buildHeap() }
      return
    }
    // Full: the lightest key makes room, and the newcomer inherits its weight as error.
    let victim = Int(heap[0])
    let inherited = entries[victim].weight
    removeSlot(entries[victim].key)
    insertSlot(key, index: victim)
    entries[victim] = Entry(key: key, counters: counters, error: inherited &+ error)
    siftDown(0)
  }

  /// Adds every entry of `other`. When the union holds more keys than the capacity, the lightest
  /// are dropped and their weight bounds what any missing key had.
  public mutating func merge(_ other: HeavyHitterTable<Key>) {
    mergeError = max(mergeError, other.mergeError)
    for entry in other.entries {
      if find(entry.key) == nil && entries.count >= capacity {
        // Space-Saving's rule applied to a merged entry: whichever is lighter goes.
        let lightest = entries[Int(heap[0])].weight
        if entry.weight <= lightest {
          mergeError = max(mergeError, entry.weight)
          continue
        }
      }
      add(entry.key, entry.counters, error: entry.error)
    }
  }

  // MARK: - Index

  @inline(__always)
  private func find(_ key: Key) -> Int? {
    let mask = slots.count - 1
    var i = Int(truncatingIfNeeded: key.tableHash >> shift)
    while true {
      let slot = slots[i]
      if slot == 0 { return nil }
      if slot > 0, entries[Int(slot) - 1].key == key { return Int(slot) - 1 }
      i = (i + 1) & mask
    }
  }

  private mutating func insertSlot(_ key: Key, index: Int) {
    let mask = slots.count - 1
    var i = Int(truncatingIfNeeded: key.tableHash >> shift)
    while slots[i] > 0 { i = (i + 1) & mask }
    if slots[i] < 0 { deleted -= 1 }
    slots[i] = Int32(index + 1)
  }

  private mutating func removeSlot(_ key: Key) {
    let mask = slots.count - 1
    var i = Int(truncatingIfNeeded: key.tableHash >> shift)
    while true {
      let slot = slots[i]
      if slot > 0, entries[Int(slot) - 1].key == key {
        slots[i] = -1
        deleted += 1
        break
      }
      i = (i + 1) & mask
    }
    if deleted * 4 > slots.count { rebuildIndex() }
  }

  /// Doubles the index.
  private mutating func growIndex() {
    slots = Array(repeating: 0, count: slots.count * 2)
    shift -= 1
    deleted = 0
    for (index, entry) in entries.enumerated() { insertSlot(entry.key, index: index) }
  }

  /// Drops the deletion marks, which otherwise lengthen every probe.
  private mutating func rebuildIndex() {
    slots = Array(repeating: 0, count: slots.count)
    deleted = 0
    for (index, entry) in entries.enumerated() { insertSlot(entry.key, index: index) }
  }

  // MARK: - Heap

  private mutating func buildHeap() {
    heap = (0..<entries.count).map { Int32($0) }
    heapPosition = (0..<entries.count).map { Int32($0) }
    var i = entries.count / 2 - 1
    while i >= 0 {
      siftDown(i)
      i -= 1
    }
  }

  private mutating func siftDown(_ start: Int) {
    var i = start
    let n = heap.count
    while true {
      let left = 2 * i + 1
      if left >= n { return }
      var smallest = left
      let right = left + 1
      if right < n && entries[Int(heap[right])].weight < entries[Int(heap[left])].weight { smallest = right }
      if entries[Int(heap[smallest])].weight >= entries[Int(heap[i])].weight { return }
      heap.swapAt(i, smallest)
      heapPosition[Int(heap[i])] = Int32(i)
      heapPosition[Int(heap[smallest])] = Int32(smallest)
      i = smallest
    }
  }
}
