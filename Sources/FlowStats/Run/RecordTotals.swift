import FlowLogParser

/// Totals over all records.
public struct RecordTotals: Sendable, Hashable {
  /// Records decoded.
  public var records: UInt64 = 0
  /// ACCEPT records.
  public var accept: UInt64 = 0
  /// REJECT records.
  public var reject: UInt64 = 0
  /// NODATA records.
  public var nodata: UInt64 = 0
  /// SKIPDATA records.
  public var skipdata: UInt64 = 0
  /// Sum of packets; stops at 2^64 − 1 (saturated) rather than wrap.
  public var packets: UInt64 = 0
  /// Sum of bytes; stops at 2^64 − 1 (saturated) rather than wrap.
  public var bytes: UInt64 = 0
  /// The earliest `start`, Unix seconds.
  public var firstStart: UInt64?
  /// The latest `end`, Unix seconds.
  public var lastEnd: UInt64?

  /// Zero totals.
  public init() {}

  /// Counts one record.
  @inline(__always)
  public mutating func add(_ record: FlowRecord) {
    records &+= 1
    let status = record.logStatus
    if status == .nodata {
      nodata &+= 1
    } else if status == .skipdata {
      skipdata &+= 1
    }
    let action = record.action
    if action == .accept { accept &+= 1 } else if action == .reject { reject &+= 1 }
    packets.addSaturating(record.packets ?? 0)
    bytes.addSaturating(record.bytes ?? 0)
    if let start = record.start { firstStart = min(firstStart ?? start, start) }
    if let end = record.end { lastEnd = max(lastEnd ?? end, end) }
  }

  /// Adds another set of totals.
  public mutating func merge(_ other: RecordTotals) {
    records.addSaturating(other.records)
    accept.addSaturating(other.accept)
    reject.addSaturating(other.reject)
    nodata.addSaturating(other.nodata)
    skipdata.addSaturating(other.skipdata)
    packets.addSaturating(other.packets)
    bytes.addSaturating(other.bytes)
    if let s = other.firstStart { firstStart = min(firstStart ?? s, s) }
    if let e = other.lastEnd { lastEnd = max(lastEnd ?? e, e) }
  }
}
