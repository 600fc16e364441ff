import FlowLogParser
import FlowStats
import Testing

/// Without a flow-direction field (v2 logs) the audit learns each interface's own address from its
/// records instead of taking every record to a covered port as inbound.
@Suite("Audit: direction of v2 records from the interface's own address")
struct FlowDirectionTests {
  static let own = "2600:1f18:aaaa::10"  // the instance's IPv6 address: public, like every IPv6 address
  static let server = "2a05:d018::1"
  static let web = "2a05:d018::2"
  static let client = "2001:db8:77::3"

  /// The instance SSHes out to `server`, and fetches a page from `web`: both directions of each flow.
  static let outbound = [
    flow("eni-v6", own, server, 50000, 22), flow("eni-v6", server, own, 22, 50000),
    flow("eni-v6", own, web, 50001, 443), flow("eni-v6", web, own, 443, 50001),
  ]
  /// `client` SSHes in to the instance, which also fetches a page from `web`.
  static let inbound = [
    flow("eni-v6", client, own, 40000, 22), flow("eni-v6", own, client, 22, 40000),
    flow("eni-v6", own, web, 50001, 443), flow("eni-v6", web, own, 443, 50001),
  ]

  static func exposures(_ lines: [String]) -> [Finding] {
    audit(lines.joined(separator: "\n")).filter { $0.rule == "admin-exposure" }
  }

  @Test("an IPv6 instance SSHing out is not SSH accepted from itself")
  func outboundSSH() {
    #expect(Self.exposures(Self.outbound).isEmpty)
  }

  @Test("SSH in from a public IPv6 client is a finding, and its direction is certain")
  func inboundSSH() throws {
    let findings = Self.exposures(Self.inbound)
    #expect(findings.map(\.source) == [Self.client])
    let f = try #require(findings.first)
    #expect(f.records == 1)
    #expect(f.details["direction"] == nil)
    #expect(f.message == "SSH (port 22) accepted from \(Self.client), which is outside private")
  }

  @Test("one flow alone cannot tell the interface's address: the finding says its direction is uncertain")
  func uncertain() throws {
    let findings = Self.exposures(Array(Self.outbound[0..<2]))
    let f = try #require(findings.first)
    #expect(findings.count == 1)
    #expect(f.details["direction"] == "uncertain")
    #expect(f.message.contains("direction uncertain"))
  }

  @Test("records with flow-direction need no learning: ingress is inbound, egress is not")
  func knownDirection() {
    let text = """
      version interface-id srcaddr dstaddr srcport dstport protocol action log-status flow-direction
      5 eni-v6 \(Self.own) \(Self.server) 50000 22 6 ACCEPT OK egress
      5 eni-v6 \(Self.client) \(Self.own) 40000 22 6 ACCEPT OK ingress

      """
    let findings = audit(text).filter { $0.rule == "admin-exposure" }
    #expect(findings.map(\.source) == [Self.client])
    #expect(findings.first?.details["direction"] == nil)
  }

  /// Every order of the records, and every cut into two workers merged either way, gives the same.
  @Test("the same findings for every order of the records and every split across workers", arguments: [true, false])
  func orderAndSplit(outbound: Bool) {
    let lines = outbound ? Self.outbound : Self.inbound
    let expected = Self.exposures(lines)
    func aggregate(_ part: [String]) -> AuditAggregator {
      var aggregator = AuditAggregator(policy: .builtIn, inputNames: ["a.log", "b.log"])
      var issues = IssueLog()
      _ = FlowLogReader().read(
        MemorySource(Array(part.joined(separator: "\n").utf8)), name: "a.log", inputIndex: 0, into: &aggregator,
        issues: &issues)
      return aggregator
    }
    for permutation in Self.permutations(lines) {
      for cut in 0...permutation.count {
        let first = aggregate(Array(permutation[..<cut]))
        let second = aggregate(Array(permutation[cut...]))
        var forward = first
        forward.merge(second)
        var backward = second
        backward.merge(first)
        let a = forward.findings().filter { $0.rule == "admin-exposure" }
        let b = backward.findings().filter { $0.rule == "admin-exposure" }
        #expect(a.map(\.source) == expected.map(\.source))
        #expect(b.map(\.source) == expected.map(\.source))
        #expect(a.map(\.details) == expected.map(\.details))
        #expect(a.map(\.records) == expected.map(\.records))
      }
    }
  }

  static func permutations(_ items: [String]) -> [[String]] {
    guard items.count > 1 else { return [items] }
    var result: [[String]] = []
    for (index, item) in items.enumerated() {
      var rest = items
      rest.remove(at: index)
      for tail in permutations(rest) { result.append([item] + tail) }
    }
    return result
  }
}
