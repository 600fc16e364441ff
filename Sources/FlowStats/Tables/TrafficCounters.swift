import FlowLogParser

/// Traffic counts for one key of a table: records by action, and the sums of their packets and bytes.
public struct TrafficCounters: Sendable, Hashable, Codable {
  /// ACCEPT records.
  public var accept: UInt64 = 0
  /// REJECT records.
  public var reject: UInt64 = 0
  /// Sum of `packets` over the key's records.
  public var packets: UInt64 = 0
  /// Sum of `bytes` over the key's records.
  public var bytes: UInt64 = 0

  /// Zero counts.
  public init() {}

  /// Counts of the given values.
  public init(accept: UInt64, reject: UInt64, packets: UInt64, bytes: UInt64) {
    self.accept = accept
    self.reject = reject
    self.packets = packets
    self.bytes = bytes
  }

  /// ACCEPT plus REJECT records: the order of tables.
  public var records: UInt64 {
    var sum = accept
    sum.addSaturating(reject)
    return sum
  }

  /// Whether the packet or byte sum reached 2^64 − 1 and stopped there (see ``add(action:packets:bytes:)``).
  public var isSaturated: Bool { packets == .max || bytes == .max }

  /// Counts one record. Sums saturate at 2^64 − 1 rather than wrap: two records of 2^63 bytes
  /// are at least 2^64 − 1 bytes, never 0.
  @inline(__always)
  public mutating func add(action: FlowAction?, packets: UInt64, bytes: UInt64) {
    if action == .accept { accept &+= 1 } else if action == .reject { reject &+= 1 }
    self.packets.addSaturating(packets)
    self.bytes.addSaturating(bytes)
  }

  /// Adds another key's counts.
  @inline(__always)
  public mutating func add(_ other: TrafficCounters) {
    accept.addSaturating(other.accept)
    reject.addSaturating(other.reject)
    packets.addSaturating(other.packets)
    bytes.addSaturating(other.bytes)
  }
}
