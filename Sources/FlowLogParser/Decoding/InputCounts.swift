/// What reading one input amounted to. Every line is exactly one of header, record, filtered,
/// malformed, blank: `lines == headers + records + filtered + malformed + blank`.
public struct InputCounts: Sendable, Hashable, Codable {
  /// Inputs read (1 for one input).
  public var files = 0
  /// Bytes read from disk or standard input (compressed bytes for compressed input).
  public var bytes: UInt64 = 0
  /// Bytes of text after decompression.
  public var decodedBytes: UInt64 = 0
  /// Lines, counting a final line without a newline.
  public var lines = 0
  /// Header lines.
  public var headers = 0
  /// Lines decoded as records that the run's filter kept (every valid record, without a filter).
  public var records = 0
  /// Lines decoded as valid records that the run's filter turned away (``ReaderOptions/filter``).
  public var filtered = 0
  /// Lines that could not be decoded.
  public var malformed = 0
  /// Empty lines, or lines of spaces.
  public var blank = 0
  /// The fields of every layout under which a valid record was decoded (kept or filtered): what
  /// the inputs could answer about, so that a filter on a field none of them has can be told apart
  /// from one that happened to match nothing.
  public var fieldsSeen = FieldSet()

  /// Empty counts.
  public init() {}

  /// Adds another input's counts.
  public mutating func add(_ other: InputCounts) {
    files += other.files
    bytes += other.bytes
    decodedBytes += other.decodedBytes
    lines += other.lines
    headers += other.headers
    records += other.records
    filtered += other.filtered
    malformed += other.malformed
    blank += other.blank
    fieldsSeen.formUnion(other.fieldsSeen)
  }
}
