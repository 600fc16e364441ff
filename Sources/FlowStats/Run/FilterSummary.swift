import FlowLogParser

/// What a run's filter (`--where`, `--since`, `--until`) let through, as every report shows it
/// (`filter` in the JSON of `summary`, `audit` and `report`; absent without a filter). With it,
/// `lines == headers + matched + excluded + malformed + blank`.
public struct FilterSummary: Sendable, Codable, Hashable {
  /// The `--where` expression as given; nil without one.
  public var expression: String?
  /// `--since`, Unix seconds: records whose `end` is at or after it are kept.
  public var since: UInt64?
  /// `--until`, Unix seconds: records whose `start` is before it are kept.
  public var until: UInt64?
  /// Valid records that matched: the records every other number of the report counts.
  public var matched: Int
  /// Valid records that did not match.
  public var excluded: Int

  /// The summary of `filter` over a run's counts.
  public init(_ filter: CompiledFilter, counts: InputCounts) {
    expression = filter.expressionText
    since = filter.since
    until = filter.until
    matched = counts.records
    excluded = counts.filtered
  }

  /// What a filter of the given parts let through (for a merge of partial results, whose filter
  /// is not compiled again).
  public init(expression: String?, since: UInt64?, until: UInt64?, counts: InputCounts) {
    self.expression = expression
    self.since = since
    self.until = until
    matched = counts.records
    excluded = counts.filtered
  }

  enum CodingKeys: String, CodingKey {
    case expression, since, until, matched, excluded
  }

  // Every key is always written (null when not given), so that scripts see one shape.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(expression, forKey: .expression)
    try container.encode(since, forKey: .since)
    try container.encode(until, forKey: .until)
    try container.encode(matched, forKey: .matched)
    try container.encode(excluded, forKey: .excluded)
  }
}
