/// The period the traffic was observed over: the first and last record read.
public struct SuggestEvidence: Sendable, Codable, Hashable {
  /// Records read (after any filter).
  public var records: UInt64
  /// The earliest `start`, Unix seconds; nil without records.
  public var firstStart: UInt64?
  /// The latest `end`, Unix seconds; nil without records.
  public var lastEnd: UInt64?
  /// `lastEnd - firstStart`.
  public var seconds: UInt64
  /// Whether the window is shorter than a week: rare traffic (backups, disaster recovery) may
  /// not have been seen, and a rule it needs would look unused.
  public var shorterThanAWeek: Bool

  /// One week, in seconds.
  public static let week: UInt64 = 7 * 86_400

  enum CodingKeys: String, CodingKey {
    case records, seconds
    case firstStart = "first_start"
    case lastEnd = "last_end"
    case shorterThanAWeek = "shorter_than_a_week"
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(records, forKey: .records)
    try c.encode(firstStart, forKey: .firstStart)
    try c.encode(lastEnd, forKey: .lastEnd)
    try c.encode(seconds, forKey: .seconds)
    try c.encode(shorterThanAWeek, forKey: .shorterThanAWeek)
  }
}
