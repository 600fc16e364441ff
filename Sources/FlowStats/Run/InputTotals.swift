import FlowLogParser

/// What a run read, as every report shows it (`inputs` in the JSON of `summary`, `audit` and
/// `report`).
public struct InputTotals: Sendable, Codable, Hashable {
  /// Input files read (standard input counts as one).
  public var files: Int
  /// Bytes read, compressed or not.
  public var bytes: UInt64
  /// Bytes after decompression.
  public var decodedBytes: UInt64
  /// Lines read, of every kind.
  public var lines: Int

  enum CodingKeys: String, CodingKey {
    case files, bytes, lines
    case decodedBytes = "decoded_bytes"
  }

  /// The input totals of a run.
  public init(counts: InputCounts) {
    files = counts.files
    bytes = counts.bytes
    decodedBytes = counts.decodedBytes
    lines = counts.lines
  }
}
