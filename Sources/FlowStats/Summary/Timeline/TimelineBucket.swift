/// One bucket of a summary's timeline (`--bucket`), as its JSON shows it:
/// `{"start": epoch, "records", "accept", "reject", "packets", "bytes"}`.
public struct TimelineBucket: Sendable, Hashable, Codable {
  /// The bucket's first second, Unix seconds (a multiple of the bucket length).
  public var start: UInt64
  /// Records whose `start` is in the bucket.
  public var records: UInt64
  /// Of those, ACCEPT records.
  public var accept: UInt64
  /// Of those, REJECT records.
  public var reject: UInt64
  /// Their packets.
  public var packets: UInt64
  /// Their bytes.
  public var bytes: UInt64

  /// The bucket starting at `start` with `counters`.
  public init(start: UInt64, counters c: GroupCounters) {
    self.start = start
    records = c.records
    accept = c.accept
    reject = c.reject
    packets = c.packets
    bytes = c.bytes
  }
}
