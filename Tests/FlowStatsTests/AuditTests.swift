import Foundation
import FlowLogParser
import FlowStats
import Testing

/// Runs an audit over named inputs, read in the given order, in one aggregator.
func audit(_ files: [(name: String, text: String)], policy: Policy = .builtIn) -> [Finding] {
  var aggregator = AuditAggregator(policy: policy, inputNames: files.map(\.name))
  var issues = IssueLog()
  let reader = FlowLogReader()
  for (index, file) in files.enumerated() {
    _ = reader.read(MemorySource(Array(file.text.utf8)), name: file.name, inputIndex: index, into: &aggregator, issues: &issues)
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

@Suite("Audit: allow-lists and the built-in exposure rules")
struct AllowListAuditTests {
  @Test("SSH accepted from the internet is an admin-exposure finding with exact counts and evidence")
  func adminExposure() throws {
    let text = [
      flow("eni-a", "10.0.0.5", "10.0.1.9", 40000, 22),  // private source: allowed
      flow("eni-a", "203.0.113.50", "10.0.1.9", 40001, 22, packets: 12, bytes: 2400, start: 1_700_000_100, end: 1_700_000_160),
      flow("eni-a", "203.0.113.50", "10.0.1.9", 40002, 22, packets: 8, bytes: 800, start: 1_700_000_000, end: 1_700_000_050),
      flow("eni-a", "203.0.113.51", "10.0.1.9", 40003, 22, action: "REJECT"),  // rejected: not an exposure
      flow("eni-a", "10.0.1.9", "203.0.113.50", 22, 40001),  // the reply: source port 22, not destination
    ].joined(separator: "\n")
    let findings = audit(text)
    #expect(findings.count == 1)
    let f = try #require(findings.first)
    #expect(f.rule == "admin-exposure")
    #expect(f.severity == .high)
    #expect(f.interfaceID == "eni-a")
    #expect(f.source == "203.0.113.50")
    #expect(f.port == 22)
    #expect(f.protocol == 6)
    #expect(f.action == "ACCEPT")
    #expect(f.records == 2)
    #expect(f.packets == 20)
    #expect(f.bytes == 3200)
    #expect(f.firstSeen == 1_700_000_000)
    #expect(f.lastSeen == 1_700_000_160)
    #expect(f.evidence == Finding.Evidence(file: "test.log", line: 2))
    #expect(f.message == "SSH (port 22) accepted from 203.0.113.50, which is outside private")
  }

  @Test("an empty allow_from: the finding says that no source is allowed, not 'outside ' and nothing")
  func emptyAllowFrom() throws {
    let policy = try PolicyParser.parse(
      "version: 1\nrules:\n  - id: closed\n    ports: [2222]\n    allow_from: []\n", file: "p.yaml")
    let findings = audit(flow("eni-a", "10.0.0.5", "10.0.1.9", 40000, 2222), policy: policy).filter { $0.rule == "closed" }
    let f = try #require(findings.first)
    #expect(findings.count == 1)
    // (A default-format log cannot show which address is the interface's own: the message goes on
    // to say the direction is uncertain.)
    #expect(f.message.hasPrefix("port 2222 accepted from 10.0.0.5, which no allow_from network covers (allow_from is empty: no source may reach this port)"))
    #expect(!f.remedy.contains(" to ,") && !f.remedy.contains("to  "))
    #expect(f.remedy.contains("allow_from is empty"))
  }

  @Test(
    "database and admin ports from public and private sources, IPv4 and IPv6",
    arguments: [
      ("203.0.113.7", 5432, "database-exposure"), ("198.51.100.1", 3306, "database-exposure"),
      ("2600:1f18::7", 27017, "database-exposure"), ("2001:db8::1", 3389, "admin-exposure"),
      ("192.0.2.1", 23, "admin-exposure"), ("172.16.5.5", 5432, nil), ("192.168.1.1", 22, nil),
      ("fd12:3456::1", 6379, nil), ("10.255.255.255", 11211, nil), ("203.0.113.7", 443, nil),
      ("172.32.0.1", 22, "admin-exposure"),
    ] as [(String, Int, String?)])
  func builtInRules(source: String, port: Int, rule: String?) {
    let findings = audit(flow("eni-a", source, "10.0.0.9", 50000, port))
    #expect(findings.map(\.rule) == (rule.map { [$0] } ?? []))
    if rule == "database-exposure" { #expect(findings.first?.severity == .critical) }
  }

  @Test("records marked egress are not inbound exposures")
  func egressIgnored() {
    let text = "version interface-id srcaddr dstaddr srcport dstport protocol action flow-direction\n"
      + "2 eni-a 203.0.113.7 10.0.0.9 50000 22 6 ACCEPT egress\n"
      + "2 eni-a 203.0.113.7 10.0.0.9 50000 22 6 ACCEPT ingress\n"
    #expect(audit(text).count == 1)
  }

  static let corporatePolicy: Policy = {
    let corporate = AddressSet(["198.51.100.0/24", "2001:db8:100::/48"].compactMap { CIDR($0) })
    let vpc = AddressSet(["10.0.0.0/16"].compactMap { CIDR($0) })
    return Policy(
      networks: [NamedNetwork(name: "corporate", addresses: corporate), NamedNetwork(name: "vpc", addresses: vpc)],
      rules: [
        AllowRule(
          id: "ssh-from-corporate", ports: [22...22], protocol: .numbers([6]), allowFrom: corporate,
          allowFromText: ["corporate"], destinations: vpc, severity: .high),
        AllowRule(
          id: "postgres-from-app", ports: [5432...5432], protocol: .any,
          allowFrom: AddressSet(["10.0.8.0/24"].compactMap { CIDR($0) }), allowFromText: ["10.0.8.0/24"],
          severity: .critical),
      ])
  }()

  @Test(
    "a policy's allow-lists: corporate SSH and app-tier databases are allowed, the rest is not",
    arguments: [
      ("198.51.100.20", "10.0.3.3", 22, nil), ("2001:db8:100:5::1", "10.0.3.3", 22, nil),
      ("2001:db8:200::1", "10.0.3.3", 22, "ssh-from-corporate"), ("203.0.113.9", "10.0.3.3", 22, "ssh-from-corporate"),
      ("10.0.9.9", "10.0.3.3", 22, "ssh-from-corporate"),  // inside the VPC but not corporate
      ("203.0.113.9", "10.1.3.3", 22, nil),  // destination outside `to`
      ("10.0.8.15", "10.0.3.3", 5432, nil), ("10.0.9.15", "10.0.3.3", 5432, "postgres-from-app"),
      ("203.0.113.9", "10.0.3.3", 3389, nil),  // the user's policy replaces the built-in one
    ] as [(String, String, Int, String?)])
  func customPolicy(source: String, destination: String, port: Int, rule: String?) {
    let findings = audit(flow("eni-b", source, destination, 50000, port), policy: Self.corporatePolicy)
    #expect(findings.map(\.rule) == (rule.map { [$0] } ?? []))
  }
}

@Suite("Audit: detectors")
struct DetectorAuditTests {
  /// The AWS example: inbound ping accepted, the reply rejected by a stateless network ACL.
  static let acceptedPing = "2 123456789010 eni-1235b8ca123456789 203.0.113.12 172.31.16.139 0 0 1 4 336 1432917027 1432917142 ACCEPT OK"
  static let rejectedReply = "2 123456789010 eni-1235b8ca123456789 172.31.16.139 203.0.113.12 0 0 1 4 336 1432917094 1432917142 REJECT OK"

  @Test("nacl-return-blocked: the AWS ping example, in either order", arguments: [false, true])
  func naclReturn(reversed: Bool) throws {
    let lines = reversed ? [Self.rejectedReply, Self.acceptedPing] : [Self.acceptedPing, Self.rejectedReply]
    let findings = audit(lines.joined(separator: "\n")).filter { $0.rule == "nacl-return-blocked" }
    #expect(findings.count == 1)
    let f = try #require(findings.first)
    #expect(f.interfaceID == "eni-1235b8ca123456789")
    #expect(f.source == "203.0.113.12")
    #expect(f.port == 0)
    #expect(f.protocol == 1)
    #expect(f.action == "REJECT")
    #expect(f.records == 1)
    #expect(f.packets == 4)
    #expect(f.bytes == 336)
    #expect(f.severity == .medium)
    #expect(f.evidence?.line == (reversed ? 1 : 2))
  }

  @Test("no nacl-return-blocked when both directions are accepted, on another interface, or far apart in time")
  func naclReturnNegatives() {
    let bothAccepted = [Self.acceptedPing, Self.rejectedReply.replacingOccurrences(of: "REJECT", with: "ACCEPT")]
    let otherInterface = [Self.acceptedPing, Self.rejectedReply.replacingOccurrences(of: "eni-1235b8ca123456789", with: "eni-other")]
    let later = [Self.acceptedPing, Self.rejectedReply.replacingOccurrences(of: "1432917094 1432917142", with: "1432927094 1432927142")]
    for lines in [bothAccepted, otherInterface, later] {
      #expect(audit(lines.joined(separator: "\n")).filter { $0.rule == "nacl-return-blocked" }.isEmpty)
    }
  }

  @Test("nacl-return-blocked for TCP replies to ephemeral ports")
  func naclReturnTCP() throws {
    let text = [
      flow("eni-web", "198.51.100.7", "10.0.1.5", 51515, 443),
      flow("eni-web", "10.0.1.5", "198.51.100.7", 443, 51515, packets: 3, bytes: 180, action: "REJECT"),
    ].joined(separator: "\n")
    let f = try #require(audit(text).first { $0.rule == "nacl-return-blocked" })
    #expect(f.source == "198.51.100.7")
    #expect(f.port == 443)
    #expect(f.protocol == 6)
  }

  static func probes(ports: Range<Int>, start: Int = 1_700_000_000, step: Int = 1, host: (Int) -> String = { _ in "10.0.0.9" }) -> [String] {
    ports.enumerated().map { index, port in
      flow("eni-s", "45.155.205.99", host(index), 40000 + index, port, packets: 1, bytes: 44, start: start + index * step, end: start + index * step + 1, action: "REJECT")
    }
  }

  @Test("port-scan: 25 ports in a window is a scan; 19 is not; 12 + 13 in two windows is not")
  func portScan() throws {
    let scan = audit(Self.probes(ports: 1000..<1025).joined(separator: "\n")).filter { $0.rule == "port-scan" }
    #expect(scan.count == 1)
    let f = try #require(scan.first)
    #expect(f.source == "45.155.205.99")
    #expect(f.port == nil)
    #expect(f.records == 25)
    #expect(f.details["distinct_ports"] == .integer(25))
    #expect(f.details["windows"] == .integer(1))
    #expect(f.message == "45.155.205.99 was rejected on 25 distinct ports in 1 window of 600 s, each with at least 20")
    #expect(f.interfaceID == nil)
    #expect(audit(Self.probes(ports: 1000..<1019).joined(separator: "\n")).filter { $0.rule == "port-scan" }.isEmpty)
    // 1_700_000_400 + 12 * 20 crosses the 600 s window boundary at 1_700_000_400 + 200.
    let split = Self.probes(ports: 1000..<1025, start: 1_699_999_800 + 360, step: 20)
    #expect(audit(split.joined(separator: "\n")).filter { $0.rule == "port-scan" }.isEmpty)
  }

  @Test("port-scan: one port on 20 hosts is a sweep")
  func sweep() throws {
    let lines = (0..<20).map { i in
      flow("eni-s", "45.155.205.99", "10.0.0.\(i + 1)", 40000 + i, 22, packets: 1, bytes: 44, action: "REJECT")
    }
    let f = try #require(audit(lines.joined(separator: "\n")).first { $0.rule == "port-scan" })
    #expect(f.port == 22)
    #expect(f.details["distinct_hosts"] == .integer(20))
  }

  static let v11Header = "version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status flow-direction traffic-path pkt-dst-aws-service interface-type subnet-id"

  @Test("nat-endpoint-candidate: S3 through a NAT gateway, with the cost estimate")
  func natEndpoint() throws {
    let text = """
      \(Self.v11Header)
      11 eni-nat 10.0.1.9 52.216.8.1 40000 443 6 1000 2000000000 1700000000 1700000060 ACCEPT OK egress 8 S3 nat_gateway subnet-pub
      11 eni-nat 10.0.1.9 52.216.8.2 40001 443 6 1000 2000000000 1700000000 1700000060 ACCEPT OK egress 8 S3 nat_gateway subnet-pub
      11 eni-app 10.0.2.9 52.216.8.3 40002 443 6 1000 500000000 1700000000 1700000060 ACCEPT OK egress 7 S3 - subnet-app
      11 eni-nat 10.0.1.9 52.94.1.1 40003 443 6 10 1000 1700000000 1700000060 ACCEPT OK egress 8 DYNAMODB nat_gateway subnet-pub
      11 eni-nat 52.216.8.1 10.0.1.9 443 40000 6 1000 2000000000 1700000000 1700000060 ACCEPT OK ingress - - nat_gateway subnet-pub
      11 eni-nat 10.0.1.9 140.82.1.1 40004 443 6 10 1000 1700000000 1700000060 ACCEPT OK egress 8 - nat_gateway subnet-pub

      """
    let findings = audit(text).filter { $0.rule == "nat-endpoint-candidate" }
    #expect(findings.count == 2)
    let s3 = try #require(findings.first { $0.details["service"] == "S3" })
    #expect(s3.interfaceID == "eni-nat")
    #expect(s3.bytes == 4_000_000_000)
    #expect(s3.records == 2)
    #expect(s3.details["estimated_nat_cost_usd"] == .number(0.18))
    #expect(s3.details["via"] == .text("nat-gateway"))
    #expect(s3.severity == .low)
    // One unit system: 4,000,000,000 bytes are 3.73 GiB (2^30 bytes each), as every other size is
    // written; the price stays per GB of 10^9 bytes (4 × 0.045 = $0.18).
    #expect(s3.message == "3.7 GiB to S3 went through a NAT gateway (about $0.18 of NAT processing at the policy's cost_per_gb of $0.045)")
    let dynamo = try #require(findings.first { $0.details["service"] == "DYNAMODB" })
    // 1,000 bytes are not "0.0 MB": small sizes are written exactly, and a tiny cost is not "$0.0".
    #expect(dynamo.message == "1000 B to DYNAMODB went through a NAT gateway (less than $0.01 of NAT processing at the policy's cost_per_gb of $0.045)")
  }

  @Test("nat-endpoint-candidate from policy NAT interfaces and destination ranges (no v5+ fields)")
  func natFromPolicy() throws {
    var policy = Policy.builtIn
    policy.detectors.natEndpoint.natInterfaces = ["eni-natgw"]
    policy.detectors.natEndpoint.destinations = AddressSet(["52.216.0.0/15"].compactMap { CIDR($0) })
    let text = [
      flow("eni-natgw", "10.0.1.9", "52.217.4.4", 40000, 443, bytes: 5_000_000),
      flow("eni-natgw", "10.0.1.9", "93.184.216.34", 40001, 443, bytes: 5_000_000),
      flow("eni-other", "10.0.1.9", "52.217.4.4", 40002, 443, bytes: 5_000_000),
    ].joined(separator: "\n")
    let findings = audit(text, policy: policy).filter { $0.rule == "nat-endpoint-candidate" }
    #expect(findings.map(\.interfaceID) == ["eni-natgw"])
    #expect(findings.first?.bytes == 5_000_000)
  }

  @Test("private-egress-path: a private subnet using an internet gateway route")
  func privateEgress() throws {
    var policy = Policy.builtIn
    policy.detectors.privateEgress.subnetIDs = ["subnet-app"]
    policy.detectors.privateEgress.addresses = AddressSet(["10.0.3.0/24"].compactMap { CIDR($0) })
    let text = """
      \(Self.v11Header)
      11 eni-app 10.0.2.9 93.184.216.34 40000 443 6 10 1000 1700000000 1700000060 ACCEPT OK egress 8 - - subnet-app
      11 eni-app 10.0.2.9 10.0.5.5 40000 443 6 10 1000 1700000000 1700000060 ACCEPT OK egress 1 - - subnet-app
      11 eni-pub 10.0.1.9 93.184.216.34 40000 443 6 10 1000 1700000000 1700000060 ACCEPT OK egress 8 - - subnet-pub
      11 eni-db 10.0.3.7 93.184.216.34 40000 443 6 10 1000 1700000000 1700000060 ACCEPT OK egress 2 - - subnet-db

      """
    let findings = audit(text, policy: policy).filter { $0.rule == "private-egress-path" }
    #expect(findings.map(\.interfaceID) == ["eni-app", "eni-db"])
    #expect(findings.map(\.source) == ["10.0.2.9", "10.0.3.7"])
    #expect(findings.allSatisfy { $0.severity == .high && $0.records == 1 })
    // Without private subnets in the policy the detector has nothing to check.
    #expect(audit(text).filter { $0.rule == "private-egress-path" }.isEmpty)
  }

  @Test("coverage-gap: SKIPDATA per interface and hour")
  func coverageGap() {
    let text = """
      2 123456789012 eni-a - - - - - - - 1700000000 1700000060 - SKIPDATA
      2 123456789012 eni-a - - - - - - - 1700000100 1700000160 - SKIPDATA
      2 123456789012 eni-a - - - - - - - 1700003700 1700003760 - SKIPDATA
      2 123456789012 eni-b - - - - - - - 1700000000 1700000060 - NODATA
      """
    let findings = audit(text).filter { $0.rule == "coverage-gap" }
    #expect(findings.map(\.records).sorted() == [1, 2])
    #expect(findings.allSatisfy { $0.interfaceID == "eni-a" && $0.severity == .low })
    #expect(findings.contains { $0.details["hour"] == .text("2023-11-14T22:00Z") })
    #expect(findings.contains { $0.details["hour_start"] == .integer(1_699_999_200) })
    #expect(findings.contains { $0.message.hasPrefix("1 SKIPDATA record in the hour") })
    #expect(findings.contains { $0.message.hasPrefix("2 SKIPDATA records in the hour") })
  }

  @Test("disabled detectors report nothing")
  func disabled() {
    var policy = Policy.builtIn
    policy.detectors.naclReturn.enabled = false
    policy.detectors.coverageGap.enabled = false
    let text = [Self.acceptedPing, Self.rejectedReply, "2 1 eni-a - - - - - - - 1700000000 1700000060 - SKIPDATA"]
    #expect(audit(text.joined(separator: "\n"), policy: policy).isEmpty)
  }
}

@Suite("Audit: determinism")
struct AuditDeterminismTests {
  static let files: [(name: String, text: String)] = [
    ("b.log", [flow("eni-a", "203.0.113.50", "10.0.1.9", 40001, 22), DetectorAuditTests.rejectedReply].joined(separator: "\n")),
    ("a.log", [flow("eni-a", "203.0.113.50", "10.0.1.9", 40002, 22), DetectorAuditTests.acceptedPing].joined(separator: "\n")),
    ("c.log", DetectorAuditTests.probes(ports: 2000..<2030).joined(separator: "\n")),
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
