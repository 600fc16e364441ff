import CIntrinsics
import FlowLogParser

/// Counters per TCP and UDP destination port, indexed directly: the first 65,536 slots are TCP's,
/// the next 65,536 UDP's (4 MiB in all).
///
/// Reply traffic spreads over every ephemeral port, so a record's slot is as good as random and
/// is rarely in cache: the miss cost a fifth of a `summary`. Each add therefore prefetches its slot
/// and is applied ``lag`` records later, when the line has arrived; the decoding of the records in
/// between hides the wait. Sums do not depend on the order of adds, so the counts are the same;
/// ``settled`` and every reading of the table include the adds still queued.
struct DirectPortCounters {
  /// The counters, without the queued adds.
  private var slots: [TrafficCounters]
  /// Adds not applied yet, a ring of ``lag`` entries; the next to apply is at `next`.
  private var queued = InlineArray<8, QueuedAdd>(repeating: QueuedAdd())
  private var queuedCount = 0
  private var next = 0

  /// Records between an add and its application.
  static let lag = 8

  private struct QueuedAdd {
    var slot: Int32 = 0
    var action: FlowAction?
    var packets: UInt64 = 0
    var bytes: UInt64 = 0
  }

  /// The number of slots.
  static let slotCount = 2 << 16

  /// Zero counters.
  init() {
    slots = Array(repeating: TrafficCounters(), count: Self.slotCount)
  }

  /// The slot of a TCP (6) or UDP (17) port.
  @inline(__always)
  static func slot(port: UInt64, proto: UInt64) -> Int {
    Int(truncatingIfNeeded: port & 0xFFFF) | (proto == 17 ? 65_536 : 0)
  }

  /// The port and protocol of a slot.
  static func key(ofSlot slot: Int) -> (port: UInt64, proto: UInt64) {
    (UInt64(slot & 0xFFFF), slot < 65_536 ? 6 : 17)
  }

  /// Counts one record in `slot`: queued behind a prefetch, applied ``lag`` records later.
  @inline(__always)
  mutating func add(slot: Int, action: FlowAction?, packets: UInt64, bytes: UInt64) {
    let position = next
    let due = queued[position]
    let full = queuedCount == Self.lag
    slots.withUnsafeMutableBufferPointer { counters in
      flowlens_prefetch_for_write(counters.baseAddress! + slot)
      if full { counters[Int(due.slot)].add(action: due.action, packets: due.packets, bytes: due.bytes) }
    }
    if !full { queuedCount &+= 1 }
    queued[position] = QueuedAdd(slot: Int32(truncatingIfNeeded: slot), action: action, packets: packets, bytes: bytes)
    next = (position &+ 1) & (Self.lag - 1)
  }

  /// Adds a key's counts to `slot` at once (merging, reading a partial result).
  mutating func add(slot: Int, _ counters: TrafficCounters) {
    slots[slot].add(counters)
  }

  /// Applies the queued adds.
  mutating func settle() {
    for k in 0..<queuedCount {
      let due = queued[k]
      slots[Int(due.slot)].add(action: due.action, packets: due.packets, bytes: due.bytes)
    }
    queuedCount = 0
    next = 0
  }

  /// Every slot's counters, the queued adds included.
  var settled: [TrafficCounters] {
    var copy = self
    copy.settle()
    return copy.slots
  }
}
