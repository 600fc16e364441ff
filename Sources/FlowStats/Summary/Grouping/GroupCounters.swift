import FlowLogParser

/// Counts for one row of a `summary --by` table or one timeline bucket: every record counted (with
/// or without an action), those ACCEPTed and REJECTed, and the sums of their packets and bytes.
public struct GroupCounters: Sendable, Hashable, Codable, HeavyHitterValue {
  /// Records counted.
  public var records: UInt64 = 0
  /// ACCEPT records.
  public var accept: UInt64 = 0
  /// REJECT records.
  public var reject: UInt64 = 0
  /// Sum of `packets`; saturates at 2^64 − 1.
  public var packets: UInt64 = 0
  /// Sum of `bytes`; saturates at 2^64 − 1.
  public var bytes: UInt64 = 0

  /// Zero counts.
  public init() {}

  /// Counts of the given values.
  public init(records: UInt64, accept: UInt64, reject: UInt64, packets: UInt64, bytes: UInt64) {
    self.records = records
    self.accept = accept
    self.reject = reject
    self.packets = packets
    self.bytes = bytes
  }

  /// Counts one record.
  @inline(__always)
  public mutating func add(action: FlowAction?, packets: UInt64, bytes: UInt64) {
    records &+= 1
    if action == .accept { accept &+= 1 } else if action == .reject { reject &+= 1 }
    self.packets.addSaturating(packets)
    self.bytes.addSaturating(bytes)
  }

  /// Adds another part's counts of the same key.
  public mutating func merge(_ other: GroupCounters) {
    records.addSaturating(other.records)
    accept.addSaturating(other.accept)
    reject.addSaturating(other.reject)
    packets.addSaturating(other.packets)
    bytes.addSaturating(other.bytes)
  }

  /// Whether the packet or byte sum reached 2^64 − 1 and stopped there.
  public var isSaturated: Bool { packets == .max || bytes == .max }
}
