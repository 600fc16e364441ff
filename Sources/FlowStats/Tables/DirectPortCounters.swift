import CIntrinsics
import FlowLogParser

/// Counters per TCP and UDP destination port, indexed directly: the first 65,536 slots are TCP's,
/// the next 65,536 UDP's (4 MiB in all).
///
/// Reply traffic spreads over every ephemeral port, so a record's slot is as good as random and
/// is rarely in cache: the miss cost a fifth of a `summary`. Adds are therefore lagged
/// (``LaggedAdds``): each prefetches its slot and is applied a few records later. ``settled``
/// and every reading of the table include the adds still queued.
struct DirectPortCounters {
  /// The counters, without the queued adds.
  private var slots: [TrafficCounters]
  private var queued = LaggedAdds<Int32>(placeholder: 0)

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

  /// Counts one record in `slot`: queued behind a prefetch, applied a few records later.
  @inline(__always)
  mutating func add(slot: Int, action: FlowAction?, packets: UInt64, bytes: UInt64) {
    let due = queued.push(.init(key: Int32(truncatingIfNeeded: slot), action: action, packets: packets, bytes: bytes))
    slots.withUnsafeMutableBufferPointer { counters in
      flowlens_prefetch_for_write(counters.baseAddress! + slot)
      if let due { counters[Int(due.key)].add(action: due.action, packets: due.packets, bytes: due.bytes) }
    }
  }

  /// Adds a key's counts to `slot` at once (merging, reading a partial result).
  mutating func add(slot: Int, _ counters: TrafficCounters) {
    slots[slot].add(counters)
  }

  /// Applies the queued adds.
  mutating func settle() {
    let queued = self.queued
    self.queued = LaggedAdds(placeholder: 0)
    queued.forEachQueued { slots[Int($0.key)].add(action: $0.action, packets: $0.packets, bytes: $0.bytes) }
  }

  /// Every slot's counters, the queued adds included.
  var settled: [TrafficCounters] {
    var copy = self
    copy.settle()
    return copy.slots
  }
}
