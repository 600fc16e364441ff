import FlowLogParser
import FlowStats
import Foundation
import Testing

/// Sums of packets and bytes stop at 2^64 − 1 instead of wrapping, and every output says so.
@Suite("Packet and byte sums saturate")
struct SaturationTests {
  static let half = UInt64(1) << 63  // 9223372036854775808

  /// Three records of 2^63 packets and bytes (and one of 1): true sums 3 × 2^63 + 1, which wrap to
  /// 2^63 + 1 in 64 bits.
  static let lines = [
    "2 1 eni-a 203.0.113.9 10.0.0.5 40000 22 6 \(half) \(half) 1700000000 1700000060 ACCEPT OK",
    "2 1 eni-a 203.0.113.9 10.0.0.5 40001 22 6 \(half) \(half) 1700000000 1700000060 ACCEPT OK",
    "2 1 eni-a 203.0.113.9 10.0.0.5 40002 22 6 \(half) \(half) 1700000000 1700000060 ACCEPT OK",
    "2 1 eni-a 203.0.113.9 10.0.0.5 40003 22 6 1 1 1700000000 1700000060 ACCEPT OK",
  ]

  static func jsonObject<T: Encodable>(_ value: T) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: JSONEncoder().encode(value)) as? [String: Any])
  }

  static func summary(_ parts: [[String]]) -> SummaryReport {
    var merged = SummaryAggregator(options: SummaryOptions(top: nil))
    var issues = IssueLog()
    var counts = InputCounts()
    for part in parts {
      var aggregator = SummaryAggregator(options: SummaryOptions(top: nil))
      counts = FlowLogReader().read(
        MemorySource(Array(part.joined(separator: "\n").utf8)), name: "t.log", into: &aggregator, issues: &issues)
      merged.merge(aggregator)
    }
    return SummaryReport(aggregate: merged, counts: counts, issues: issues)
  }

  @Test(
    "summary totals and every table row stop at 2^64 − 1, in one part or merged from several",
    arguments: [[lines], [Array(lines[0..<2]), Array(lines[2...])], lines.map { [$0] }])
  func summaryTables(parts: [[String]]) throws {
    let report = Self.summary(parts)
    #expect(report.records.packets == .max)
    #expect(report.records.bytes == .max)
    #expect(report.byInterface.map(\.bytes) == [.max])
    #expect(report.byInterface.map(\.packets) == [.max])
    #expect(report.byPort.map(\.bytes) == [.max])
    #expect(report.bySourceCIDR.map(\.bytes) == [.max])
    let json = try Self.jsonObject(report)
    let saturated = try #require(json["saturated"] as? [String])
    #expect(Set(saturated) == ["records.packets", "records.bytes", "by_interface", "by_port", "by_source_cidr"])
  }

  @Test("no saturated key when nothing reached 2^64 − 1")
  func notSaturated() throws {
    let report = Self.summary([[Self.lines[3]]])
    #expect(try Self.jsonObject(report)["saturated"] == nil)
  }

  @Test("audit finding counts and totals saturate, and the audit report says so")
  func auditFindings() throws {
    var aggregator = AuditAggregator(policy: .builtIn, inputNames: ["t.log"])
    var issues = IssueLog()
    let counts = FlowLogReader().read(
      MemorySource(Array(Self.lines.joined(separator: "\n").utf8)), name: "t.log", into: &aggregator, issues: &issues)
    let report = AuditReport(policySource: "built-in", aggregate: aggregator, counts: counts, issues: issues)
    let finding = try #require(report.findings.first { $0.rule == "admin-exposure" })
    #expect(finding.records == 4)
    #expect(finding.packets == .max)
    #expect(finding.bytes == .max)
    #expect(report.records.bytes == .max)
    let saturated = try #require(try Self.jsonObject(report)["saturated"] as? [String])
    #expect(Set(saturated) == ["records.packets", "records.bytes", "findings"])
  }

  @Test("the report's totals and tables saturate, and its JSON says so")
  func reportDocument() throws {
    var aggregator = ReportAggregator(
      policy: .builtIn, inputFiles: [InputFile(path: "t.log", size: 0, foundInDirectory: false)])
    var issues = IssueLog()
    let counts = FlowLogReader().read(
      MemorySource(Array(Self.lines.joined(separator: "\n").utf8)), name: "t.log", into: &aggregator, issues: &issues)
    let document = ReportDocument(policySource: "built-in", aggregate: aggregator, counts: counts, issues: issues)
    #expect(document.records.bytes == .max)
    #expect(document.topPorts.map(\.bytes) == [.max])
    #expect(document.findings.first { $0.rule == "admin-exposure" }?.bytes == .max)
    let saturated = try #require(try Self.jsonObject(document)["saturated"] as? [String])
    #expect(Set(saturated) == ["records.packets", "records.bytes", "top_ports", "findings"])
  }
}
