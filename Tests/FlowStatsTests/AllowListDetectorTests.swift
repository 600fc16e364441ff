import FlowLogParser
import FlowStats
import Testing

@Suite("Audit: allow-lists and the built-in exposure rules")
struct AllowListDetectorTests {
  @Test("SSH accepted from the internet is an admin-exposure finding with exact counts and evidence")
  func adminExposure() throws {
    let text = [
      flow("eni-a", "10.0.0.5", "10.0.1.9", 40000, 22),  // private source: allowed
      flow(
        "eni-a", "203.0.113.50", "10.0.1.9", 40001, 22, packets: 12, bytes: 2400, start: 1_700_000_100,
        end: 1_700_000_160),
      flow(
        "eni-a", "203.0.113.50", "10.0.1.9", 40002, 22, packets: 8, bytes: 800, start: 1_700_000_000, end: 1_700_000_050
      ),
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
    let findings = audit(flow("eni-a", "10.0.0.5", "10.0.1.9", 40000, 2222), policy: policy).filter {
      $0.rule == "closed"
    }
    let f = try #require(findings.first)
    #expect(findings.count == 1)
    // (A default-format log cannot show which address is the interface's own: the message goes on
    // to say the direction is uncertain.)
    #expect(
      f.message.hasPrefix(
        "port 2222 accepted from 10.0.0.5, which no allow_from network covers (allow_from is empty: no source may reach this port)"
      ))
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
    let text =
      "version interface-id srcaddr dstaddr srcport dstport protocol action flow-direction\n"
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
