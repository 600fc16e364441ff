import FlowLogParser
import Testing

@testable import FlowStats

/// The `--by` table's own guarantees, below the CLI: bounded interned texts under churn, merges
/// that translate worker-local text ids, and the key packing of every KEY at once.
@Suite("summary --by tables")
struct GroupTableTests {
  /// A summary aggregator with `--by` layouts fed `lines` (v5 layout with interface-id).
  static func aggregate(_ text: String, by: [String], capacity: Int) throws -> SummaryAggregator {
    var options = SummaryOptions(top: nil)
    options.groupings = try by.map { try GroupLayout(parsing: $0) }
    options.groupCapacity = capacity
    var aggregator = SummaryAggregator(options: options)
    var issues = IssueLog()
    _ = FlowLogReader().read(
      MemorySource(Array(text.utf8)), name: "t.log", inputIndex: 0, into: &aggregator, issues: &issues)
    return aggregator
  }

  @Test("a flood of distinct interface ids past the capacity keeps the interned texts bounded")
  func internerBounded() throws {
    var text = ""
    for i in 0..<60_000 { text += "2 1 eni-\(i) 10.0.0.1 10.0.0.2 1 22 6 1 1 1 2 REJECT OK\n" }
    let aggregator = try Self.aggregate(text, by: ["interface"], capacity: 64)
    let table = try #require(aggregator.groups.first)
    #expect(table.rows.count == 64)
    #expect(table.rows.isApproximate)
    // Rebuilt when past 4,096 texts (twice the texts 64 rows can use, at least 4,096).
    #expect(table.texts.count <= 4_097)
    // Every kept row's text still resolves to an id the flood had.
    let report = SummaryReport(aggregate: aggregator, counts: InputCounts(), issues: IssueLog())
    for row in try #require(report.by?.tables.first?.rows) {
      #expect(row.values.first?.description.hasPrefix("eni-") == true)
    }
  }

  @Test("merging workers' tables translates their text ids: same rows as one table")
  func mergeTranslatesTexts() throws {
    let lines = (0..<400).map { i in
      "2 \(i % 3) eni-\(i % 7) 10.0.0.\(i % 5) 10.0.0.2 1 22 6 \(i) \(i * 10) 1 2 \(i % 4 == 0 ? "REJECT" : "ACCEPT") OK\n"
    }
    let by = ["interface,account", "srcaddr,interface"]
    let whole = try Self.aggregate(lines.joined(), by: by, capacity: 1_000)
    var merged = try Self.aggregate(lines[200...].reversed().joined(), by: by, capacity: 1_000)
    merged.merge(try Self.aggregate(lines[..<200].joined(), by: by, capacity: 1_000))
    let a = SummaryReport(aggregate: whole, counts: InputCounts(), issues: IssueLog())
    let b = SummaryReport(aggregate: merged, counts: InputCounts(), issues: IssueLog())
    #expect(a.by == b.by)
    #expect(a.by?.tables.first?.rows.count == 21)
  }

  @Test("every KEY in one table fits the fixed-size key and comes back as given")
  func everyKey() throws {
    let layout = try GroupLayout(parsing: GroupKeyKind.allCases.map(\.rawValue).joined(separator: ","))
    #expect(layout.kinds.count == GroupKeyKind.allCases.count)
    let log = """
      version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status vpc-id subnet-id instance-id flow-direction pkt-src-aws-service pkt-dst-aws-service traffic-path reject-reason
      5 123 eni-1 2001:db8::1 10.1.2.3 443 8443 6 2 30 1 2 REJECT OK vpc-1 subnet-1 i-1 egress S3 - 8 BPA

      """
    let aggregator = try Self.aggregate(
      log, by: [GroupKeyKind.allCases.map(\.rawValue).joined(separator: ",")], capacity: 16)
    let report = SummaryReport(aggregate: aggregator, counts: InputCounts(), issues: IssueLog())
    let row = try #require(report.by?.tables.first?.rows.first)
    #expect(
      row.values.map(\.description) == [
        "eni-1", "2001:db8::1", "10.1.2.3", "2001:db8::/64", "10.1.2.0/24", "443", "8443", "6", "REJECT", "123",
        // flow-log: the input's name gives none; security-group, interface-type: no inventory.
        "vpc-1", "subnet-1", "i-1", "egress", "S3", "8", "BPA", "-", "-", "-",
      ])
    #expect(row.counters == GroupCounters(records: 1, accept: 0, reject: 1, packets: 2, bytes: 30))
  }

  @Test(
    "flow log ids come from S3 object names only",
    arguments: [
      (
        "AWSLogs/1/vpcflowlogs/us-east-1/2024/11/26/123456789012_vpcflowlogs_us-east-1_fl-0abc_20241126T0000Z_1a2b.log.gz",
        "fl-0abc"
      ),
      ("123456789012_vpcflowlogs_eu-west-1_fl-1_20241126T0005Z_ff.log", "fl-1"),
      ("flows.log.gz", nil), ("-", nil), ("a_vpcflowlogs_r_notfl_t_h.log", nil),
    ] as [(String, String?)])
  func flowLogID(path: String, id: String?) {
    #expect(FlowLogObjectName.flowLogID(inPath: path) == id)
  }
}
