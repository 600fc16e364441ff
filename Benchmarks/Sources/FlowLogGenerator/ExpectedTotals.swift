/// What the generator wrote, counted by the generator itself as it emits each line: an oracle for
/// parser and summary results that never goes through the flowlens parser.
public struct ExpectedTotals: Sendable, Hashable, Codable {
  /// Record lines (every line that is not a header).
  public var records: UInt64 = 0
  /// Records with action ACCEPT.
  public var accept: UInt64 = 0
  /// Records with action REJECT.
  public var reject: UInt64 = 0
  /// Records with log-status NODATA (action `-`).
  public var nodata: UInt64 = 0
  /// Records with log-status SKIPDATA (action `-`).
  public var skipdata: UInt64 = 0
  /// Sum of `packets` over records that carry one (NODATA/SKIPDATA write `-`).
  public var packets: UInt64 = 0
  /// Sum of `bytes` over records that carry one.
  public var bytes: UInt64 = 0
  /// S3-style header lines.
  public var headers: UInt64 = 0
  /// All lines: headers + records (the generator writes no blank lines).
  public var lines: UInt64 = 0
  /// Distinct interface-id values over all records, NODATA and SKIPDATA included.
  public var interfaces: UInt64 = 0
  /// Distinct interface-id values over records with log-status OK (those that carry traffic).
  public var interfacesWithTraffic: UInt64 = 0
  /// Bytes of text written, newlines included.
  public var textBytes: UInt64 = 0
  /// The smallest `start` written, Unix seconds; nil before the first record.
  public var firstStart: UInt64?
  /// The largest `end` written, Unix seconds; nil before the first record.
  public var lastEnd: UInt64?

  public init() {}

  enum CodingKeys: String, CodingKey {
    case records, accept, reject, nodata, skipdata, packets, bytes, headers, lines, interfaces
    case interfacesWithTraffic = "interfaces_with_traffic"
    case textBytes = "text_bytes"
    case firstStart = "first_start"
    case lastEnd = "last_end"
  }
}
