import FlowLogParser

/// The result of `flowlens audit`, shaped as its JSON output.
public struct AuditReport: Sendable, Codable, Hashable {
  /// Where the policy came from: a file path, or `built-in`.
  public var policy: String
  /// The findings shown, most severe first: all of them, or the heaviest per rule.
  public var findings: [Finding]
  /// Per rule, the findings past the per-rule limit that are not listed (absent when none).
  public var omittedFindings: [OmittedFindings]?
  /// Record totals, as in `summary`.
  public var records: SummaryReport.Records
  /// What was read.
  public var inputs: SummaryReport.Inputs
  /// Example issues, as in `summary`.
  public var issues: [SummaryReport.Issue]
  /// Issue counts per file and kind, as in `summary`.
  public var issueCounts: [SummaryReport.IssueCount]
  /// The detector tables that held more keys than their capacity (absent when all were exact):
  /// they kept the heaviest keys, a kept group's records may be low by at most its
  /// `records_may_be_higher_by` detail, and a group not reported had at most `maximum_error` records.
  public var approximate: [Approximation]?
  /// Present when a packet or byte sum reached 2^64 − 1 and stopped there (sums saturate rather
  /// than wrap): `records.packets`, `records.bytes`, and `findings` when a listed finding's packets
  /// or bytes did. Those numbers are lower bounds.
  public var saturated: [String]?

  /// What `--where`, `--since` and `--until` let through; nil (and absent from the JSON) without
  /// a filter. Set by the command after building the report.
  public var filter: FilterSummary?

  /// How far an approximate table may be off, as in `summary`.
  public typealias Approximation = SummaryReport.Approximation

  enum CodingKeys: String, CodingKey {
    case policy, findings, records, inputs, issues, approximate, saturated, filter
    case omittedFindings = "omitted_findings"
    case issueCounts = "issue_counts"
  }

  /// Builds the report, listing at most `findingsPerRule` findings of each rule (the heaviest), or
  /// all of them when nil.
  public init(
    policySource: String, aggregate: AuditAggregator, counts: InputCounts, issues: IssueLog,
    findingsPerRule: Int? = nil
  ) {
    policy = policySource
    let selection = aggregate.findings(perRule: findingsPerRule)
    findings = selection.findings
    omittedFindings = selection.omitted.isEmpty ? nil : selection.omitted
    findingsBySeverity = selection.countsBySeverity
    records = SummaryReport.Records(totals: aggregate.totals, counts: counts)
    inputs = SummaryReport.Inputs(counts: counts)
    self.issues = SummaryReport.Issue.examples(issues)
    issueCounts = SummaryReport.IssueCount.counts(issues)
    let approximations = aggregate.approximations
    approximate = approximations.isEmpty ? nil : approximations
    let saturated = records.saturatedSums + (findings.contains { $0.isSaturated } ? ["findings"] : [])
    self.saturated = saturated.isEmpty ? nil : saturated
  }

  /// All findings by severity, listed or not (not part of the JSON, which lists `omitted_findings`).
  public var findingsBySeverity: [Severity: Int] = [:]

  /// The number of findings at or above `severity`, listed or not.
  public func count(atLeast severity: Severity) -> Int {
    findingsBySeverity.reduce(0) { $0 + ($1.key >= severity ? $1.value : 0) }
  }
}
