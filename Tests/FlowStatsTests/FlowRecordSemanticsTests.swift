import FlowLogParser
import FlowStats
import Testing

@Suite(
  "One meaning of a record for summary, audit and report: its interface (interface-id, else resource-id), whether it carries traffic"
)
struct FlowRecordSemanticsTests {
  /// A regional NAT gateway and a Transit Gateway attachment have no ENI: interface-id is `-` and
  /// resource-id names them (flowlog-format.md, interface-id and resource-id).
  static let log = """
    version interface-id resource-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status
    9 - rnat-0123456789abcdef0 203.0.113.9 10.0.0.5 40000 22 6 4 400 1700000000 1700000060 ACCEPT OK
    9 - rnat-0123456789abcdef0 203.0.113.10 10.0.0.5 40001 3389 6 2 100 1700000000 1700000060 REJECT OK
    9 - tgw-attach-0fedcba987654321 198.51.100.4 10.0.0.6 40002 443 6 1 60 1700000000 1700000060 REJECT OK
    9 eni-0a1b2c3d rnat-ignored 10.0.0.7 10.0.0.5 40003 443 6 1 60 1700000000 1700000060 ACCEPT OK
    9 - - 10.0.0.7 10.0.0.5 40004 443 6 1 60 1700000000 1700000060 ACCEPT OK

    """

  @Test("summary's interface table names resource-id records, as audit and the report's heat map do")
  func sameInterfacesEverywhere() throws {
    var summary = SummaryAggregator(options: SummaryOptions(top: nil))
    var issues = IssueLog()
    let counts = FlowLogReader().read(
      MemorySource(Array(Self.log.utf8)), name: "t.log", into: &summary, issues: &issues)
    let rows = SummaryReport(aggregate: summary, counts: counts, issues: issues).byInterface
    #expect(
      Set(rows.map(\.interfaceID)) == ["rnat-0123456789abcdef0", "tgw-attach-0fedcba987654321", "eni-0a1b2c3d"])
    let nat = try #require(rows.first { $0.interfaceID == "rnat-0123456789abcdef0" })
    #expect(nat.accept == 1 && nat.reject == 1 && nat.packets == 6 && nat.bytes == 500)
    let tgw = try #require(rows.first { $0.interfaceID == "tgw-attach-0fedcba987654321" })
    #expect(tgw.reject == 1 && tgw.bytes == 60)

    var report = ReportAggregator(
      policy: .builtIn, inputFiles: [InputFile(path: "t.log", size: 0, foundInDirectory: false)])
    var reportIssues = IssueLog()
    let reportCounts = FlowLogReader().read(
      MemorySource(Array(Self.log.utf8)), name: "t.log", into: &report, issues: &reportIssues)
    let document = ReportDocument(
      policySource: "built-in", aggregate: report, counts: reportCounts, issues: reportIssues)
    let heatmapRows = Set(document.rejectHeatmap.rows.map(\.interfaceID))
    let findingInterfaces = Set(document.findings.compactMap(\.interfaceID))
    #expect(heatmapRows == ["rnat-0123456789abcdef0", "tgw-attach-0fedcba987654321"])
    #expect(findingInterfaces == ["rnat-0123456789abcdef0"])
    let reportSummaryRows = Set(
      SummaryReport(aggregate: report.summary, counts: reportCounts, issues: reportIssues).byInterface.map(
        \.interfaceID))
    #expect(reportSummaryRows == Set(rows.map(\.interfaceID)))
    #expect(heatmapRows.union(findingInterfaces).isSubset(of: reportSummaryRows))
  }

  /// NODATA and SKIPDATA records carry no traffic: counted in the totals, in no table.
  static let statusLog = """
    version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status
    2 eni-a 10.0.0.1 10.0.0.2 40000 443 6 1 60 1700000000 1700000060 ACCEPT OK
    2 eni-b - - - - - - - 1700000000 1700000060 - NODATA
    2 eni-c - - - - - - - 1700000000 1700000060 - SKIPDATA

    """

  @Test("NODATA and SKIPDATA: in the totals of summary and report, in neither's tables nor the timeline")
  func noTrafficRecords() throws {
    var summary = SummaryAggregator(options: SummaryOptions(top: nil))
    var issues = IssueLog()
    let counts = FlowLogReader().read(
      MemorySource(Array(Self.statusLog.utf8)), name: "t.log", into: &summary, issues: &issues)
    let summaryReport = SummaryReport(aggregate: summary, counts: counts, issues: issues)
    #expect(
      summaryReport.records.total == 3 && summaryReport.records.nodata == 1 && summaryReport.records.skipdata == 1)
    #expect(summaryReport.byInterface.map(\.interfaceID) == ["eni-a"])

    var report = ReportAggregator(
      policy: .builtIn, inputFiles: [InputFile(path: "t.log", size: 0, foundInDirectory: false)])
    var reportIssues = IssueLog()
    let reportCounts = FlowLogReader().read(
      MemorySource(Array(Self.statusLog.utf8)), name: "t.log", into: &report, issues: &reportIssues)
    let document = ReportDocument(
      policySource: "built-in", aggregate: report, counts: reportCounts, issues: reportIssues)
    #expect(document.records == summaryReport.records)
    #expect(document.timeline.buckets.reduce(0) { $0 + $1.counts.total } == 1)
  }
}
