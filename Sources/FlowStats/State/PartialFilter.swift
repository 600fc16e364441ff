import FlowLogParser

/// The `--where`, `--since` and `--until` a partial result was made with.
public struct PartialFilter: Sendable, Hashable {
  /// The expression as given; nil without `--where`.
  public var expression: String?
  /// The start of the time range (Unix seconds); nil without `--since`.
  public var since: UInt64?
  /// The end of the time range (Unix seconds); nil without `--until`.
  public var until: UInt64?

  /// A filter with the given parts.
  public init(expression: String?, since: UInt64?, until: UInt64?) {
    self.expression = expression
    self.since = since
    self.until = until
  }

  /// The filter of a run.
  public init(_ filter: CompiledFilter) {
    self.init(expression: filter.expressionText, since: filter.since, until: filter.until)
  }

  /// What the filter let through, for the reports.
  public func summary(counts: InputCounts) -> FilterSummary {
    FilterSummary(expression: expression, since: since, until: until, counts: counts)
  }
}
