import FlowLogParser
import FlowStats

/// Runs the whole reader (format sniffing, decompression, line cutting, CloudWatch Logs JSON,
/// headers, decoding), the summary and the audit over arbitrary input, read in small pieces, and
/// checks the line accounting. The audit's tables are tiny, so that their heavy-hitter paths run
/// on small inputs.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  let readSize = size > 0 ? Int(data[0] % 64) + 1 : 1
  let reader = FlowLogReader(options: ReaderOptions(maxLineLength: 256, bufferSize: 4096))
  var summary = SummaryAggregator()
  var issues = IssueLog()
  let counts = reader.read(MemorySource(bytes, maxReadSize: readSize), name: "fuzz", into: &summary, issues: &issues)
  check(
    counts.lines == counts.headers + counts.records + counts.malformed + counts.blank,
    "accounting: \(counts)")
  check(counts.malformed == issues.malformedLines, "malformed \(counts.malformed) vs issues \(issues.malformedLines)")
  check(UInt64(counts.records) == summary.totals.records, "records")
  _ = SummaryReport(aggregate: summary, counts: counts, issues: issues)

  let makeAudit = AuditAggregator.workerFactory(
    policy: .builtIn, inputNames: ["fuzz"], inputBytes: UInt64(size), tableCapacity: 4)
  var audit = makeAudit()
  var auditIssues = IssueLog()
  let auditCounts = reader.read(
    MemorySource(bytes, maxReadSize: readSize), name: "fuzz", into: &audit, issues: &auditIssues)
  // One definition of a record: every command sees the same lines as records and as malformed.
  check(auditCounts == counts, "audit \(auditCounts), summary \(counts)")
  check(audit.totals.records == UInt64(auditCounts.records), "audit totals")
  var merged = makeAudit()
  merged.merge(audit)
  let report = AuditReport(
    policySource: "built-in", aggregate: merged, counts: auditCounts, issues: auditIssues, findingsPerRule: 2)
  for table in report.approximate ?? [] { check(table.keptKeys <= 4, "\(table.table) kept \(table.keptKeys) > 4") }
  return 0
}

/// Like `precondition`, but the message survives an optimised build, so a crash says what broke.
func check(_ condition: Bool, _ message: @autoclosure () -> String) {
  if !condition { fatalError(message()) }
}
