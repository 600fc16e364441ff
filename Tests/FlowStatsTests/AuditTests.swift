import FlowLogParser
import FlowStats
import Foundation
import Testing

/// Runs an audit over named inputs, read in the given order, in one aggregator.
func audit(_ files: [(name: String, text: String)], policy: Policy = .builtIn) -> [Finding] {
  var aggregator = AuditAggregator(policy: policy, inputNames: files.map(\.name))
  var issues = IssueLog()
  let reader = FlowLogReader()
  for (index, file) in files.enumerated() {
    _ = reader.read(
      MemorySource(Array(file.text.utf8)), name: file.name, inputIndex: index, into: &aggregator, issues: &issues)
  }
  return aggregator.findings()
}

func audit(_ text: String, policy: Policy = .builtIn) -> [Finding] {
  audit([(name: "test.log", text: text)], policy: policy)
}

/// A default-format line.
func flow(
  _ eni: String = "eni-0a1b2c3d", _ src: String, _ dst: String, _ sport: Int, _ dport: Int, proto: Int = 6,
  packets: Int = 10, bytes: Int = 1000, start: Int = 1_700_000_000, end: Int = 1_700_000_060, action: String = "ACCEPT"
) -> String {
  "2 123456789012 \(eni) \(src) \(dst) \(sport) \(dport) \(proto) \(packets) \(bytes) \(start) \(end) \(action) OK"
}

@Suite("Audit: detectors together")
struct DetectorAuditTests {
  @Test("disabled detectors report nothing")
  func disabled() {
    var policy = Policy.builtIn
    policy.detectors.naclReturn.enabled = false
    policy.detectors.coverageGap.enabled = false
    let text = [
      NACLReturnDetectorTests.acceptedPing, NACLReturnDetectorTests.rejectedReply,
      "2 1 eni-a - - - - - - - 1700000000 1700000060 - SKIPDATA",
    ]
    #expect(audit(text.joined(separator: "\n"), policy: policy).isEmpty)
  }
}

@Suite("Audit: determinism")
struct AuditDeterminismTests {
  static let files: [(name: String, text: String)] = [
    (
      "b.log",
      [flow("eni-a", "203.0.113.50", "10.0.1.9", 40001, 22), NACLReturnDetectorTests.rejectedReply].joined(
        separator: "\n")
    ),
    (
      "a.log",
      [flow("eni-a", "203.0.113.50", "10.0.1.9", 40002, 22), NACLReturnDetectorTests.acceptedPing].joined(
        separator: "\n")
    ),
    ("c.log", PortScanDetectorTests.probes(ports: 2000..<2030).joined(separator: "\n")),
  ]

  @Test("findings do not depend on the order of input files")
  func inputOrder() {
    let forward = audit(Self.files)
    let backward = audit(Self.files.reversed())
    #expect(forward == backward)
    #expect(forward.count == 3)
    #expect(forward.first { $0.rule == "admin-exposure" }?.evidence == Finding.Evidence(file: "a.log", line: 1))
  }

  @Test("findings do not depend on how the work was split and merged")
  func splitAndMerge() {
    let names = Self.files.map(\.name)
    func part(_ indices: [Int]) -> AuditAggregator {
      var aggregator = AuditAggregator(policy: .builtIn, inputNames: names)
      var issues = IssueLog()
      for index in indices {
        _ = FlowLogReader().read(
          MemorySource(Array(Self.files[index].text.utf8)), name: names[index], inputIndex: index, into: &aggregator,
          issues: &issues)
      }
      return aggregator
    }
    let whole = part([0, 1, 2]).findings()
    var merged = part([2])
    merged.merge(part([1]))
    merged.merge(part([0]))
    #expect(merged.findings() == whole)
    var other = part([0, 2])
    other.merge(part([1]))
    #expect(other.findings() == whole)
    #expect(merged.totals == part([0, 1, 2]).totals)
  }
}
