import FlowLogParser

/// The result of `flowlens audit`, shaped as its JSON output.
public struct AuditReport: Sendable, Codable, Hashable {
  /// Where the policy came from: a file path, or `built-in`.
  public var policy: String
  /// Every finding, most severe first.
  public var findings: [Finding]
  /// Record totals, as in `summary`.
  public var records: SummaryReport.Records
  /// What was read.
  public var inputs: SummaryReport.Inputs
  /// Example issues, as in `summary`.
  public var issues: [SummaryReport.Issue]
  /// Issue counts per file and kind, as in `summary`.
  public var issueCounts: [SummaryReport.IssueCount]

  enum CodingKeys: String, CodingKey {
    case policy, findings, records, inputs, issues
    case issueCounts = "issue_counts"
  }

  /// Builds the report.
  public init(policySource: String, aggregate: AuditAggregator, counts: InputCounts, issues: IssueLog) {
    policy = policySource
    findings = aggregate.findings()
    records = SummaryReport.Records(totals: aggregate.totals, counts: counts)
    inputs = SummaryReport.Inputs(counts: counts)
    self.issues = SummaryReport.Issue.examples(issues)
    issueCounts = SummaryReport.IssueCount.counts(issues)
  }

  /// The number of findings at or above `severity`.
  public func count(atLeast severity: Severity) -> Int { findings.filter { $0.severity >= severity }.count }
}
