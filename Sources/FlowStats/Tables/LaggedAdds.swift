import FlowLogParser

/// The last ``lag`` adds to a table whose keys are scattered in memory, applied ``lag`` records
/// late: each add is queued when its record is read and its key's memory is prefetched, and by
/// the time it is applied the cache line has arrived, while the records in between were decoded.
///
/// Sums do not depend on the order of adds, so a table with lagged adds counts the same; its
/// readers must include the adds still queued (``forEachQueued(_:)``).
struct LaggedAdds<Key> {
  /// One queued add.
  struct Add {
    var key: Key
    var action: FlowAction?
    var packets: UInt64
    var bytes: UInt64
  }

  /// Records between an add and its application.
  static var lag: Int { 8 }

  private var ring: InlineArray<8, Add>
  private var count = 0
  /// The oldest add, once the ring is full; the next free place before.
  private var next = 0

  /// An empty queue; `placeholder` fills the unused places.
  init(placeholder: Key) {
    ring = InlineArray(repeating: Add(key: placeholder, action: nil, packets: 0, bytes: 0))
  }

  /// Queues `add`; returns the add queued ``lag`` adds ago, now due, once the ring is full.
  @inline(__always)
  mutating func push(_ add: Add) -> Add? {
    let position = next
    next = (position &+ 1) & (Self.lag &- 1)
    if count == Self.lag {
      let due = ring[position]
      ring[position] = add
      return due
    }
    ring[position] = add
    count &+= 1
    return nil
  }

  /// Hands over every queued add, leaving them queued.
  func forEachQueued(_ body: (Add) -> Void) {
    for k in 0..<count { body(ring[k]) }
  }

  /// Whether no add is queued.
  var isEmpty: Bool { count == 0 }
}

extension LaggedAdds: Sendable where Key: Sendable {}
extension LaggedAdds.Add: Sendable where Key: Sendable {}
