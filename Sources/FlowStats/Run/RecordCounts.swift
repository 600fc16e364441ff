import FlowLogParser

/// Record and line totals of a run, as every report shows them (`records` in the JSON of
/// `summary`, `audit` and `report`).
public struct RecordCounts: Sendable, Codable, Hashable {
  /// Records decoded.
  public var total: UInt64
  /// ACCEPT records.
  public var accept: UInt64
  /// REJECT records.
  public var reject: UInt64
  /// NODATA records.
  public var nodata: UInt64
  /// SKIPDATA records.
  public var skipdata: UInt64
  /// Lines rejected as malformed.
  public var malformed: Int
  /// Header lines.
  public var headers: Int
  /// Blank lines.
  public var blank: Int
  /// Sum of packets; 2^64 − 1 when saturated.
  public var packets: UInt64
  /// Sum of bytes; 2^64 − 1 when saturated.
  public var bytes: UInt64

  /// Record totals with the line counts of a run.
  public init(totals t: RecordTotals, counts: InputCounts) {
    total = t.records
    accept = t.accept
    reject = t.reject
    nodata = t.nodata
    skipdata = t.skipdata
    malformed = counts.malformed
    headers = counts.headers
    blank = counts.blank
    packets = t.packets
    bytes = t.bytes
  }

  /// `records.packets` and `records.bytes` when they reached 2^64 − 1 (saturated).
  public var saturatedSums: [String] {
    (packets == .max ? ["records.packets"] : []) + (bytes == .max ? ["records.bytes"] : [])
  }
}
