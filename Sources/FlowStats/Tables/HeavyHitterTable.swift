import CIntrinsics
import FlowLogParser

/// A value kept per key by a ``HeavyHitterTable``: counts of records that can be combined.
public protocol HeavyHitterValue: Sendable {
  /// The records counted: what the table ranks keys by.
  var records: UInt64 { get }
  /// Adds what another part of the input counted under the same key.
  mutating func merge(_ other: Self)
}

extension TrafficCounters: HeavyHitterValue {
  /// Adds another key's counts.
  public mutating func merge(_ other: TrafficCounters) { add(other) }
}

/// Values per key that stay exact up to `capacity` keys and then keep the heaviest keys with the
/// Space-Saving algorithm (Metwally, Agrawal, El Abbadi 2005), so that memory is bounded whatever
/// the cardinality (a spoofed scan from ten million sources).
///
/// Beyond the capacity a new key takes the place of the key with the fewest records and inherits
/// that count as its `error`: the key's true records are between its counted records and counted
/// records + error. What the value counts is exact since the key was admitted. Below the capacity
/// every error is 0 and the table is exact, and the same whatever order keys arrive in.
public struct HeavyHitterTable<Key: CounterTableKey, Value: HeavyHitterValue>: Sendable {
  /// An entry: the value since admission, and the records the key may have had before.
  public struct Entry: Sendable {
    public var key: Key
    public var value: Value
    /// Records the key may have had before it was admitted (0 while the table is exact).
    public var error: UInt64

    /// The count the table ranks keys by.
    var weight: UInt64 { value.records &+ error }
  }

  /// The most keys kept.
  public private(set) var capacity: Int
  private var entries: [Entry] = []
  /// Open-addressing index from key to entry: entry index + 1, 0 empty, -1 deleted.
  private var slots: [Int32]
  /// Eight bits of the hash of each slot's key (``tag(_:)``), so that a probe passes over another
  /// key's slot without reading its entry: an entry read is a cache miss for scattered keys, and a
  /// new key (most of a scan's) passed over 1.5 of them on average at half load.
  private var tags: [UInt8]
  private var shift: UInt64
  private var deleted = 0
  /// A slot of the heap: an entry and its weight, kept here so that sifting reads one array. The
  /// weight saturates at 2^32 − 1 (8 bytes a slot); past that the order among such keys is loose.
  private struct HeapSlot {
    var weight: UInt32
    var entry: Int32
  }
  /// Min-heap of entries by weight; built when the table first fills.
  private var heap: [HeapSlot] = []
  private var heapPosition: [Int32] = []
  /// Records evicted in merges that no kept key accounts for (a bound on what a missing key had).
  public private(set) var mergeError: UInt64 = 0
  /// The weight of the heaviest key evicted: what a key not kept may have had at most.
  private var evictedWeight: UInt64 = 0
  /// Whether any key was evicted.
  private var hasEvicted = false

  /// What a new key's value starts from.
  private let empty: Value

  /// An empty table that is exact up to `capacity` keys, whose new values start as `empty`.
  public init(capacity: Int = 1 << 18, empty: Value) {
    self.capacity = max(2, capacity)
    self.empty = empty
    // The index starts small and doubles as keys arrive (to at most twice the capacity), so a
    // small input does not pay for a table sized for a scan.
    slots = Array(repeating: 0, count: 64)
    tags = Array(repeating: 0, count: 64)
    shift = 64 - 6
  }

  /// The number of keys kept.
  public var count: Int { entries.count }
  /// Whether any key was evicted: counts are then bounds, not exact.
  public var isApproximate: Bool { hasEvicted || mergeError > 0 }
  /// Every kept entry, in no particular order.
  public var allEntries: [Entry] { entries }
  /// The largest possible undercount of any kept key's records, or of a key not kept.
  public var maximumError: UInt64 {
    var worst = max(mergeError, evictedWeight)
    for entry in entries where entry.error > worst { worst = entry.error }
    return worst
  }

  /// Changes the value of `key`, which starts from `empty` when the key is new (taking the place
  /// of the lightest key when the table is full). `body` may only add to the value's records.
  @inline(__always)
  public mutating func update(_ key: Key, _ body: (inout Value) -> Void) {
    if let index = find(key) {
      body(&entries[index].value)
      if !heap.isEmpty { reweigh(index) }
      return
    }
    let index = admit(key, error: 0)
    body(&entries[index].value)
    if !heap.isEmpty { reweigh(index) }
  }

  /// Adds `value` (and a possible undercount) under `key`.
  public mutating func add(_ key: Key, _ value: Value, error: UInt64 = 0) {
    if let index = find(key) {
      entries[index].value.merge(value)
      entries[index].error &+= error
      if !heap.isEmpty { reweigh(index) }
      return
    }
    let index = admit(key, error: error)
    entries[index].value = value
    if !heap.isEmpty { reweigh(index) }
  }

  /// Makes an entry for a new key, with the empty value; returns its index.
  private mutating func admit(_ key: Key, error: UInt64) -> Int {
    if entries.count < capacity {
      if (entries.count + 1) * 2 > slots.count { growIndex() }
      let index = entries.count
      insertSlot(key, index: index)
      // Room after evictions (the capacity was raised): the key may have been evicted before.
      let earlier = hasEvicted || mergeError > 0 ? max(evictedWeight, mergeError) : 0
      entries.append(Entry(key: key, value: empty, error: error &+ earlier))
      if entries.count == capacity { buildHeap() }
      return index
    }
    // Full: the lightest key makes room, and the newcomer inherits its weight as error.
    let victim = Int(heap[0].entry)
    let inherited = entries[victim].weight
    hasEvicted = true
    evictedWeight = max(evictedWeight, inherited)
    removeSlot(entries[victim].key)
    insertSlot(key, index: victim)
    entries[victim] = Entry(key: key, value: empty, error: inherited &+ error)
    return victim
  }

  /// Lets the table keep up to `newCapacity` keys from now on (never fewer than now). Counts and
  /// errors stay valid.
  public mutating func raiseCapacity(to newCapacity: Int) {
    guard newCapacity > capacity else { return }
    capacity = newCapacity
    // The heap of lightest keys is needed only when full; it is built again when the table fills.
    heap = []
    heapPosition = []
  }

  /// Whether the table holds more than one worker's share of its capacity when `workers` read in
  /// parallel: the worker's partial result should then go into the run's merged result, so that
  /// the workers' tables together hold about half a capacity of keys beside the merged result's
  /// one, not one capacity each. The share is half the capacity over the workers (at least 4,096
  /// keys, so that small tables are not handed over often). Never with one worker.
  public func holdsMoreThanShare(ofWorkers workers: Int) -> Bool {
    workers > 1 && entries.count >= max(min(capacity, 4_096), capacity / (2 * workers))
  }

  /// Adds every entry of `other`. When the union holds more keys than the capacity, the lightest
  /// are dropped and their weight bounds what any missing key had.
  public mutating func merge(_ other: HeavyHitterTable<Key, Value>) {
    merge(other) { _, _ in }
  }

  /// Like ``merge(_:)``, with each of the other table's entries translated by `translate` first
  /// (for entries that hold a worker's own numbering, such as interned interface ids).
  ///
  /// The result is exact when both tables are and their union fits the capacity. Otherwise it is
  /// approximate, with a bound that holds for every key: a key's count in the union may be low by
  /// what each side may have missed of it (each side's ``maximumError``) plus, for a key dropped or
  /// evicted here, the weight it had. The bound is conservative, never too small. (Space-Saving's
  /// own rule — every new key takes the lightest key's place — would keep a tighter bound, but
  /// under a spoofed flood it costs a heap update per merged key while the other workers wait
  /// for the merged result: 1.9× the audit's time. Dropping a merged key lighter than the
  /// lightest kept one is O(1); the price is a bound that grows by the weight dropped per merge.)
  public mutating func merge(_ other: HeavyHitterTable<Key, Value>, translate: (inout Key, inout Value) -> Void) {
    var bound = isApproximate ? maximumError : 0
    bound.addSaturating(other.isApproximate ? other.maximumError : 0)
    let evictedBefore = hasEvicted
    let evictedWeightBefore = evictedWeight
    var droppedWeight: UInt64 = 0
    var dropped = false
    reserve(forAdding: other.entries.count)
    let incoming = other.entries
    for position in incoming.indices {
      // The other table's keys are as good as random here: their index slots and entries are
      // fetched ahead, the slot 16 keys ahead and the entry (through the then cached slot) 8.
      // (Prefetched by the key before `translate`, which changes no key of a scattered table.)
      if position &+ 16 < incoming.count { prefetchSlot(incoming[position &+ 16].key) }
      if position &+ 8 < incoming.count { prefetch(incoming[position &+ 8].key) }
      var entry = incoming[position]
      translate(&entry.key, &entry.value)
      if let index = find(entry.key) {
        entries[index].value.merge(entry.value)
        entries[index].error &+= entry.error
        if !heap.isEmpty { reweigh(index) }
        continue
      }
      if entries.count >= capacity {
        // Space-Saving's rule applied to a merged entry: whichever is lighter goes.
        let lightest = entries[Int(heap[0].entry)].weight
        if entry.weight <= lightest {
          dropped = true
          droppedWeight = max(droppedWeight, entry.weight)
          continue
        }
      }
      let index = admit(entry.key, error: entry.error)
      entries[index].value = entry.value
      if !heap.isEmpty { reweigh(index) }
    }
    if hasEvicted && (!evictedBefore || evictedWeight > evictedWeightBefore) {
      droppedWeight = max(droppedWeight, evictedWeight)
      dropped = true
    }
    hasEvicted = hasEvicted || other.hasEvicted || dropped
    evictedWeight = max(evictedWeight, other.evictedWeight)
    if bound > 0 || dropped || other.mergeError > 0 {
      var lost = bound
      lost.addSaturating(droppedWeight)
      mergeError = max(mergeError, other.mergeError, lost, 1)
    }
  }

  // MARK: - Index

  /// The tag of a key's hash: bits the index position (the top bits) leaves out, in all but
  /// tables of more than 2^24 slots.
  @inline(__always)
  private static func tag(_ hash: UInt64) -> UInt8 { UInt8(truncatingIfNeeded: hash >> 32) }

  @inline(__always)
  private func find(_ key: Key) -> Int? {
    let mask = slots.count - 1
    let hash = key.tableHash
    let tag = Self.tag(hash)
    var i = Int(truncatingIfNeeded: hash >> shift)
    while true {
      let slot = slots[i]
      if slot == 0 { return nil }
      if slot > 0, tags[i] == tag, entries[Int(slot) - 1].key == key { return Int(slot) - 1 }
      i = (i + 1) & mask
    }
  }

  private mutating func insertSlot(_ key: Key, index: Int) {
    let mask = slots.count - 1
    let hash = key.tableHash
    var i = Int(truncatingIfNeeded: hash >> shift)
    while slots[i] > 0 { i = (i + 1) & mask }
    if slots[i] < 0 { deleted -= 1 }
    slots[i] = Int32(index + 1)
    tags[i] = Self.tag(hash)
  }

  private mutating func removeSlot(_ key: Key) {
    let mask = slots.count - 1
    let hash = key.tableHash
    let tag = Self.tag(hash)
    var i = Int(truncatingIfNeeded: hash >> shift)
    while true {
      let slot = slots[i]
      if slot > 0, tags[i] == tag, entries[Int(slot) - 1].key == key {
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
    growIndex(toSlots: slots.count * 2)
  }

  /// Makes the index `slotCount` slots (a larger power of two) and indexes the entries again.
  private mutating func growIndex(toSlots slotCount: Int) {
    slots = Array(repeating: 0, count: slotCount)
    tags = Array(repeating: 0, count: slotCount)
    shift = UInt64(64 - slotCount.trailingZeroBitCount)
    deleted = 0
    for (index, entry) in entries.enumerated() { insertSlot(entry.key, index: index) }
  }

  /// Sizes the index for `count` more keys (as many as the capacity lets in) at once: a merge
  /// that doubled it step by step indexed every key again at each step. (The entries still grow
  /// by doubling: reserving exactly what each merge needs would copy them at every merge.)
  private mutating func reserve(forAdding count: Int) {
    let keys = min(capacity, entries.count + count)
    var slotCount = slots.count
    while keys * 2 > slotCount { slotCount *= 2 }
    if slotCount > slots.count { growIndex(toSlots: slotCount) }
  }

  /// Drops the deletion marks, which otherwise lengthen every probe.
  private mutating func rebuildIndex() {
    slots = Array(repeating: 0, count: slots.count)
    tags = Array(repeating: 0, count: slots.count)
    deleted = 0
    for (index, entry) in entries.enumerated() { insertSlot(entry.key, index: index) }
  }

  // MARK: - Heap

  private mutating func buildHeap() {
    heap = entries.indices.map { HeapSlot(weight: UInt32(clamping: entries[$0].weight), entry: Int32($0)) }
    heapPosition = entries.indices.map { Int32($0) }
    var i = entries.count / 2 - 1
    while i >= 0 {
      siftDown(i)
      i -= 1
    }
  }

  /// Moves an entry whose weight grew to its place in the heap.
  @inline(__always)
  private mutating func reweigh(_ index: Int) {
    let position = Int(heapPosition[index])
    heap[position].weight = UInt32(clamping: entries[index].weight)
    siftDown(position)
  }

  private mutating func siftDown(_ start: Int) {
    var i = start
    let n = heap.count
    let moving = heap[i]
    while true {
      let left = 2 * i + 1
      if left >= n { break }
      var smallest = left
      let right = left + 1
      if right < n && heap[right].weight < heap[left].weight { smallest = right }
      if heap[smallest].weight >= moving.weight { break }
      heap[i] = heap[smallest]
      heapPosition[Int(heap[i].entry)] = Int32(i)
      i = smallest
    }
    heap[i] = moving
    heapPosition[Int(moving.entry)] = Int32(i)
  }
}

extension HeavyHitterTable where Value == TrafficCounters {
  /// An empty table of traffic counters, exact up to `capacity` keys.
  public init(capacity: Int = 1 << 18) { self.init(capacity: capacity, empty: TrafficCounters()) }

  /// Counts one record under `key`.
  @inline(__always)
  public mutating func add(_ key: Key, action: FlowAction?, packets: UInt64, bytes: UInt64) {
    update(key) { $0.add(action: action, packets: packets, bytes: bytes) }
  }
}

extension HeavyHitterTable.Entry where Value == TrafficCounters {
  /// The entry's traffic counters.
  public var counters: TrafficCounters { value }
}

extension HeavyHitterTable where Key: StateCodable, Value: StateCodable {
  /// Writes the table for a partial result: capacity, eviction state (whether a key was evicted,
  /// the heaviest evicted weight, the merge error), then each entry (key, value, error).
  /// The index and the heap are not written: they are rebuilt when the table is read.
  public func write(to writer: inout StateWriter) {
    writer.count(capacity)
    writer.bool(hasEvicted)
    writer.uint(evictedWeight)
    writer.uint(mergeError)
    writer.count(entries.count)
    for entry in entries {
      entry.key.write(to: &writer)
      entry.value.write(to: &writer)
      writer.uint(entry.error)
    }
  }

  /// Reads a table written by ``write(to:)``; new values start as `empty`. The capacity read must
  /// be `expectedCapacity` (what the options in force give) and no key may appear twice.
  public init(from reader: inout StateReader, empty: Value, expectedCapacity: Int) throws(StateError) {
    let at = reader.position
    let capacity = Int(try reader.uint(atMost: UInt64(Int32.max / 2), "table capacity"))
    guard capacity == max(2, expectedCapacity) else {
      throw reader.error(at: at, "table capacity \(capacity) is not the \(expectedCapacity) the options give")
    }
    self.init(capacity: capacity, empty: empty)
    hasEvicted = try reader.bool()
    evictedWeight = try reader.uint()
    mergeError = try reader.uint()
    let countAt = reader.position
    let count = try reader.count(minimumBytes: 3)
    guard count <= self.capacity else {
      throw reader.error(at: countAt, "\(count) entries in a table of capacity \(self.capacity)")
    }
    entries.reserveCapacity(count)
    for _ in 0..<count {
      let keyAt = reader.position
      let key = try Key(from: &reader)
      let value = try Value(from: &reader)
      let error = try reader.uint()
      guard find(key) == nil else { throw reader.error(at: keyAt, "a table key appears twice") }
      if (entries.count + 1) * 2 > slots.count { growIndex() }
      insertSlot(key, index: entries.count)
      entries.append(Entry(key: key, value: value, error: error))
    }
    if entries.count == self.capacity { buildHeap() }
  }
}

extension HeavyHitterTable {
  /// Prefetches the entry of `key`, when one of the first index slots it may be in holds its tag:
  /// for a caller that updates the key a few records later (``LaggedAdds``).
  @inline(__always)
  func prefetch(_ key: Key) {
    let hash = key.tableHash
    let tag = Self.tag(hash)
    let mask = slots.count &- 1
    var i = Int(truncatingIfNeeded: hash >> shift)
    for _ in 0..<4 {
      let slot = slots[i]
      if slot == 0 { return }
      if slot > 0 && tags[i] == tag {
        entries.withUnsafeBufferPointer { flowlens_prefetch_for_write($0.baseAddress! + Int(slot &- 1)) }
        return
      }
      i = (i &+ 1) & mask
    }
  }

  /// Prefetches the first index slot of `key` and its tag, for a ``prefetch(_:)`` a few keys later.
  @inline(__always)
  func prefetchSlot(_ key: Key) {
    let i = Int(truncatingIfNeeded: key.tableHash >> shift)
    slots.withUnsafeBufferPointer { flowlens_prefetch_for_write($0.baseAddress! + i) }
    tags.withUnsafeBufferPointer { flowlens_prefetch_for_write($0.baseAddress! + i) }
  }
}
