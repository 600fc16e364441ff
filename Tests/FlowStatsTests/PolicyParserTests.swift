import FlowLogParser
import FlowStats
import Testing

private func ip(_ text: String) -> IPAddress {
  guard let address = IPAddress(text: text) else { fatalError("bad test address \(text)") }
  return address
}

private func cidrs(_ texts: [String]) -> [CIDR] { texts.compactMap { CIDR($0) } }

/// The example from the issue, with a second rule and every detector set away from its default.
private let examplePolicy = """
  version: 1
  networks:
    corporate: [198.51.100.0/24, 2001:db8:100::/48]
    vpc: [10.0.0.0/16]
    everything-internal: [vpc, corporate]
  rules:
    - id: ssh-from-corporate
      ports: [22, "8000-8100"]
      protocol: tcp
      allow_from: [corporate]
      to: [vpc]
      severity: high
      remedy: "Reach instances through the VPN."
    - id: dns
      ports: 53
      protocol: udp
      allow_from: [everything-internal, 192.0.2.7]
      severity: low
    - id: everything-else
      ports: [0-65535]
      allow_from: [10.0.0.0/8]
  detectors:
    port_scan: { min_ports: 25, min_hosts: 30, window_seconds: 300, severity: high }
    nacl_return_blocked: { window_seconds: 120, severity: low }
    nat_endpoint_candidate: { services: [s3, DynamoDB], destinations: [52.216.0.0/15], nat_interfaces: [eni-0123456789abcdef0], cost_per_gb: 0.05, severity: medium }
    private_egress_path: { subnets: [subnet-0abc1234, 10.0.1.0/24, corporate], severity: critical }
    coverage_gap: { severity: info }

  """

@Suite struct PolicyParserTests {
  // MARK: The example policy

  @Test func exampleNetworks() throws {
    let policy = try PolicyParser.parse(examplePolicy, file: "policy.yaml")
    #expect(policy.version == 1)
    #expect(policy.networks.map(\.name) == ["corporate", "vpc", "everything-internal"])
    #expect(policy.network(named: "corporate")?.addresses.prefixes == cidrs(["198.51.100.0/24", "2001:db8:100::/48"]))
    #expect(policy.network(named: "vpc")?.addresses.prefixes == cidrs(["10.0.0.0/16"]))
    #expect(
      policy.network(named: "everything-internal")?.addresses.prefixes
        == cidrs(["10.0.0.0/16", "198.51.100.0/24", "2001:db8:100::/48"]))
  }

  @Test func exampleRules() throws {
    let policy = try PolicyParser.parse(examplePolicy, file: "policy.yaml")
    #expect(policy.rules.map(\.id) == ["ssh-from-corporate", "dns", "everything-else"])

    let ssh = policy.rules[0]
    #expect(ssh.ports == [22...22, 8000...8100])
    #expect(ssh.protocol == .numbers([6]))
    #expect(ssh.allowFromText == ["corporate"])
    #expect(ssh.destinations == AddressSet(cidrs(["10.0.0.0/16"])))
    #expect(ssh.severity == .high)
    #expect(ssh.remedy == "Reach instances through the VPN.")
    #expect(ssh.covers(port: 8050) && !ssh.covers(port: 8101) && !ssh.covers(port: 23))

    let dns = policy.rules[1]
    #expect(dns.ports == [53...53])
    #expect(dns.protocol == .numbers([17]))
    #expect(dns.allowFromText == ["everything-internal", "192.0.2.7"])
    #expect(dns.destinations == nil)
    #expect(dns.severity == .low)
    #expect(dns.remedy == nil)

    let rest = policy.rules[2]
    #expect(rest.ports == [0...65535])
    #expect(rest.protocol == .any)
    #expect(rest.severity == .high)
    #expect(rest.allowFrom.prefixes == cidrs(["10.0.0.0/8"]))
  }

  @Test(arguments: [
    // (rule index, address, allowed)
    (0, "198.51.100.1", true), (0, "198.51.100.255", true), (0, "198.51.101.0", false), (0, "10.0.0.1", false),
    (0, "2001:db8:100::1", true), (0, "2001:db8:100:ffff:ffff:ffff:ffff:ffff", true), (0, "2001:db8:101::1", false),
    (0, "::ffff:198.51.100.1", false),
    (1, "10.0.255.255", true), (1, "10.1.0.0", false), (1, "198.51.100.9", true), (1, "192.0.2.7", true),
    (1, "192.0.2.8", false), (1, "2001:db8:100:1::", true), (1, "fe80::1", false),
    (2, "10.200.3.4", true), (2, "11.0.0.0", false),
  ])
  func exampleAllowFrom(rule: Int, address: String, allowed: Bool) throws {
    let policy = try PolicyParser.parse(examplePolicy, file: "policy.yaml")
    #expect(policy.rules[rule].allowFrom.contains(ip(address)) == allowed)
  }

  @Test func exampleDetectors() throws {
    let detectors = try PolicyParser.parse(examplePolicy, file: "policy.yaml").detectors
    #expect(detectors.portScan.enabled)
    #expect(detectors.portScan.minPorts == 25)
    #expect(detectors.portScan.minHosts == 30)
    #expect(detectors.portScan.windowSeconds == 300)
    #expect(detectors.portScan.severity == .high)

    #expect(detectors.naclReturn.enabled)
    #expect(detectors.naclReturn.windowSeconds == 120)
    #expect(detectors.naclReturn.severity == .low)

    #expect(detectors.natEndpoint.enabled)
    #expect(detectors.natEndpoint.services == ["S3", "DYNAMODB"])
    #expect(detectors.natEndpoint.destinations == AddressSet(cidrs(["52.216.0.0/15"])))
    #expect(detectors.natEndpoint.destinations.contains(ip("52.217.1.2")))
    #expect(detectors.natEndpoint.natInterfaces == ["eni-0123456789abcdef0"])
    #expect(detectors.natEndpoint.costPerGB == 0.05)
    #expect(detectors.natEndpoint.severity == .medium)

    #expect(detectors.privateEgress.enabled)
    #expect(detectors.privateEgress.subnetIDs == ["subnet-0abc1234"])
    #expect(
      detectors.privateEgress.addresses.prefixes == cidrs(["10.0.1.0/24", "198.51.100.0/24", "2001:db8:100::/48"]))
    #expect(detectors.privateEgress.addresses.contains(ip("2001:db8:100::5")))
    #expect(detectors.privateEgress.severity == .critical)

    #expect(detectors.coverageGap.enabled)
    #expect(detectors.coverageGap.severity == .info)
  }

  // MARK: The template

  @Test func templateIsTheBuiltInPolicy() throws {
    let policy = try PolicyParser.parse(PolicyTemplate.yaml, file: "t")
    #expect(policy.networks == Policy.builtIn.networks)
    #expect(policy.rules == Policy.builtIn.rules)
    #expect(policy.detectors == Policy.builtIn.detectors)
    #expect(policy == Policy.builtIn)
  }

  @Test func templateShowsACorporateNetworkAndRule() throws {
    // The commented-out examples, uncommented, parse and use the network.
    let examples = [
      "corporate:", "  - 198.", "  - 2001:", "trusted:", "- id:", "  ports:", "  protocol:", "  allow_from:", "  to:",
      "  severity:", "  remedy:",
    ]
    var lines: [String] = []
    for line in PolicyTemplate.yaml.split(separator: "\n", omittingEmptySubsequences: false) {
      let rest = line.dropFirst(4)
      if line.hasPrefix("  # "), examples.contains(where: { rest.hasPrefix($0) }) {
        lines.append("  " + rest)
      } else {
        lines.append(String(line))
      }
    }
    let text = lines.joined(separator: "\n")
    #expect(text.contains("\n  corporate:\n    - 198.51.100.0/24\n"))
    #expect(text.contains("\n  - id: dashboards-from-corporate\n    ports:"))
    let policy = try PolicyParser.parse(text, file: "t")
    #expect(policy.network(named: "corporate")?.addresses.contains(ip("2001:db8:100::7")) == true)
    #expect(policy.network(named: "trusted")?.addresses.contains(ip("198.51.100.7")) == true)
    #expect(policy.network(named: "trusted")?.addresses.contains(ip("172.16.0.1")) == true)
    let rule = policy.rules.first { $0.id == "dashboards-from-corporate" }
    #expect(rule?.allowFromText == ["corporate"])
    #expect(rule?.ports == [8080...8080, 8443...8445])
    #expect(rule?.destinations?.contains(ip("10.0.3.4")) == true)
  }

  // MARK: Small documents that parse

  @Test(arguments: [
    "version: 1\n",
    "version: 1\nrules:\n",
    "version: 1\nrules: []\n",
    "version: 1\nnetworks:\nrules:\ndetectors:\n",
    "version: 1\nnetworks: {}\ndetectors: {}\n",
    "# a comment\n---\nversion: 1\n",
  ])
  func emptySectionsAreTheDefaults(yaml: String) throws {
    #expect(try PolicyParser.parse(yaml, file: "p.yaml") == Policy())
  }

  @Test func ipv6Networks() throws {
    let policy = try PolicyParser.parse(
      """
      version: 1
      networks:
        v6-only:
          - 2001:db8::/32
          - fd12:3456:789a::/48
          - ::1
          - 2001:db8:ffff::/64
        everywhere: ["::/0", 0.0.0.0/0]
      rules:
        - id: v6
          ports: [443]
          allow_from: [v6-only, "fe80::/10"]
          to: [fd00::/8]
      """, file: "p.yaml")
    let v6 = try #require(policy.network(named: "v6-only")).addresses
    #expect(v6.prefixes == cidrs(["2001:db8::/32", "fd12:3456:789a::/48", "::1/128", "2001:db8:ffff::/64"]))
    #expect(v6.contains(ip("2001:db8:1234::1")))
    #expect(v6.contains(ip("fd12:3456:789a:1::1")))
    #expect(!v6.contains(ip("fd12:3456:789b::1")))
    #expect(v6.contains(ip("::1")))
    #expect(!v6.contains(ip("::2")))
    #expect(!v6.contains(ip("32.1.13.184")))  // 0x20010db8: the same bits as IPv4 are another family
    let everywhere = try #require(policy.network(named: "everywhere")).addresses
    #expect(everywhere.contains(ip("8.8.8.8")) && everywhere.contains(ip("2606:4700::1111")))
    let rule = policy.rules[0]
    #expect(rule.allowFrom.contains(ip("fe80::1")))
    #expect(rule.allowFrom.contains(ip("2001:db8::5")))
    #expect(!rule.allowFrom.contains(ip("10.0.0.1")))
    #expect(rule.destinations?.contains(ip("fd00::1")) == true)
    #expect(rule.destinations?.contains(ip("fc00::1")) == false)
  }

  @Test func networkReferencesResolveInAnyOrder() throws {
    let policy = try PolicyParser.parse(
      """
      version: 1
      networks:
        all: [internal, partners, 203.0.113.9]
        internal: [vpc-a, vpc-b]
        vpc-a: [10.1.0.0/16]
        vpc-b: [10.2.0.0/16, fd00:2::/32]
        partners: [192.0.2.0/24, vpc-a]
      rules:
        - id: r
          ports: 22
          allow_from: [all]
      """, file: "p.yaml")
    #expect(policy.networks.map(\.name) == ["all", "internal", "vpc-a", "vpc-b", "partners"])
    #expect(
      policy.network(named: "internal")?.addresses.prefixes == cidrs(["10.1.0.0/16", "10.2.0.0/16", "fd00:2::/32"]))
    #expect(
      policy.network(named: "all")?.addresses.prefixes
        == cidrs(["10.1.0.0/16", "10.2.0.0/16", "fd00:2::/32", "192.0.2.0/24", "10.1.0.0/16", "203.0.113.9/32"]))
    let rule = policy.rules[0]
    #expect(rule.allowFromText == ["all"])
    for address in ["10.1.2.3", "10.2.0.1", "fd00:2::9", "192.0.2.200", "203.0.113.9"] {
      #expect(rule.allowFrom.contains(ip(address)), "\(address)")
    }
    for address in ["10.3.0.1", "203.0.113.10", "fd00:3::1"] {
      #expect(!rule.allowFrom.contains(ip(address)), "\(address)")
    }
  }

  @Test(arguments: [
    ("port_scan: false", false), ("port_scan: true", true), ("port_scan:", true), ("port_scan: {}", true),
    ("port_scan: { enabled: false }", false), ("port_scan: { enabled: no, min_ports: 5 }", false),
  ])
  func detectorSwitches(entry: String, enabled: Bool) throws {
    let policy = try PolicyParser.parse("version: 1\ndetectors:\n  \(entry)\n", file: "p.yaml")
    #expect(policy.detectors.portScan.enabled == enabled)
    #expect(policy.detectors.naclReturn.enabled)
  }

  @Test(arguments: ["nacl_return_blocked", "nat_endpoint_candidate", "private_egress_path", "coverage_gap"])
  func everyDetectorCanBeTurnedOff(name: String) throws {
    for form in ["\(name): false", "\(name): { enabled: false }"] {
      let detectors = try PolicyParser.parse("version: 1\ndetectors:\n  \(form)\n", file: "p.yaml").detectors
      let states = [
        detectors.portScan.enabled, detectors.naclReturn.enabled, detectors.natEndpoint.enabled,
        detectors.privateEgress.enabled, detectors.coverageGap.enabled,
      ]
      #expect(states.filter { !$0 }.count == 1, "\(form)")
    }
  }

  @Test(arguments: [
    ("tcp", ProtocolMatch.numbers([6])), ("UDP", .numbers([17])), ("icmp", .numbers([1, 58])),
    ("icmpv6", .numbers([58])), ("any", .any), ("6", .numbers([6])), ("0", .numbers([0])), ("255", .numbers([255])),
    ("\"47\"", .numbers([47])),
  ])
  func protocols(text: String, expected: ProtocolMatch) throws {
    let policy = try PolicyParser.parse(
      "version: 1\nrules:\n  - id: r\n    ports: 1\n    protocol: \(text)\n    allow_from: []\n", file: "p.yaml")
    #expect(policy.rules[0].protocol == expected)
  }

  @Test func multiLineRemedyAndEmptyAllowFrom() throws {
    let policy = try PolicyParser.parse(
      """
      version: 1
      rules:
        - id: never
          ports: [9999]
          allow_from: []
          remedy: >
            Nothing may reach
            this port.
          severity: critical
      """, file: "p.yaml")
    #expect(policy.rules[0].allowFrom.isEmpty)
    #expect(policy.rules[0].allowFromText.isEmpty)
    #expect(policy.rules[0].remedy == "Nothing may reach this port.\n")
  }

  // MARK: Errors

  struct ErrorCase: Sendable, CustomTestStringConvertible {
    var name: String
    var yaml: String
    var line: Int?
    var keyPath: String?
    /// A part of the message.
    var says: String
    /// The 1-based column, checked when given.
    var column: Int? = nil
    var testDescription: String { name }
  }

  static let errorCases: [ErrorCase] = [
    // YAML syntax errors (Yams' marks are 1-based already).
    ErrorCase(
      name: "tab indentation", yaml: "version: 1\nnetworks:\n\tvpc: [10.0.0.0/8]\n", line: 3, keyPath: nil,
      says: "YAML syntax error"),
    ErrorCase(
      name: "unclosed flow list", yaml: "version: 1\nnetworks:\n  vpc: [10.0.0.0/8\nrules: []\n", line: 4, keyPath: nil,
      says: "YAML syntax error"),
    ErrorCase(
      name: "bad indentation", yaml: "version: 1\nrules:\n  - id: a\n   ports: 1\n", line: 4, keyPath: nil,
      says: "YAML syntax error"),
    // A duplicate key: the second occurrence, with its key path, and where the first one was.
    ErrorCase(
      name: "duplicate key", yaml: "version: 1\nrules:\n  - id: a\n    ports: 1\n    ports: 2\n", line: 5,
      keyPath: "rules[0].ports", says: "duplicate key 'ports' (first at line 4, column 5)", column: 5),
    ErrorCase(
      name: "duplicate top-level key", yaml: "version: 1\nrules: []\n# again\nversion: 1\n", line: 4,
      keyPath: "version", says: "duplicate key 'version' (first at line 1, column 1)", column: 1),
    ErrorCase(
      name: "duplicate key in a later rule",
      yaml:
        "version: 1\nrules:\n  - id: a\n    ports: 1\n    allow_from: []\n  - id: b\n    allow_from: []\n    ports: 2\n    allow_from: [x]\n",
      line: 9, keyPath: "rules[1].allow_from", says: "duplicate key 'allow_from' (first at line 7, column 5)", column: 5
    ),
    ErrorCase(
      name: "duplicate key in a flow mapping",
      yaml: "version: 1\ndetectors:\n  port_scan: {min_ports: 5, min_hosts: 3, min_ports: 6}\n", line: 3,
      keyPath: "detectors.port_scan.min_ports", says: "duplicate key 'min_ports' (first at line 3, column 15)",
      column: 43),
    ErrorCase(
      name: "duplicate quoted key", yaml: "version: 1\nnetworks:\n  \"a\": []\n  'a': []\n", line: 4,
      keyPath: "networks.a",
      says: "duplicate key 'a' (first at line 3, column 3)", column: 3),
    ErrorCase(
      name: "duplicate key, CRLF line ends", yaml: "version: 1\r\nnetworks:\r\n  a: []\r\n  a: []\r\n", line: 4,
      keyPath: "networks.a", says: "duplicate key 'a' (first at line 3, column 3)", column: 3),
    ErrorCase(
      name: "duplicate key after a multi-byte character", yaml: "version: 1\nnetworks: {é: [], a: [], a: []}\n",
      line: 2,
      keyPath: "networks.a", says: "duplicate key 'a' (first at line 2, column 19)", column: 26),
    ErrorCase(
      name: "a key three times: the second is named",
      yaml: "version: 1\nnetworks:\n  a: []\n  b: []\n  a: []\n  a: []\n", line: 5, keyPath: "networks.a",
      says: "duplicate key 'a' (first at line 3, column 3)", column: 3),
    ErrorCase(
      name: "duplicates at two levels: the inner one, found first",
      yaml: "version: 1\nnetworks:\n  a: []\nrules:\n  - id: r\n    id: s\nnetworks: {}\n", line: 6,
      keyPath: "rules[0].id",
      says: "duplicate key 'id' (first at line 5, column 5)", column: 5),
    ErrorCase(
      name: "two documents", yaml: "version: 1\n---\nversion: 1\n", line: 2, keyPath: nil, says: "YAML syntax error"),

    // The document.
    ErrorCase(name: "empty document", yaml: "", line: nil, keyPath: nil, says: "the policy is empty"),
    ErrorCase(name: "comments only", yaml: "# nothing\n", line: nil, keyPath: nil, says: "the policy is empty"),
    ErrorCase(name: "document is a list", yaml: "\n- version: 1\n", line: 2, keyPath: nil, says: "found a list"),
    ErrorCase(name: "document is a string", yaml: "hello\n", line: 1, keyPath: nil, says: "must be a mapping"),
    ErrorCase(
      name: "missing version", yaml: "# policy\nrules: []\n", line: 2, keyPath: "version",
      says: "required key 'version' is missing"),
    ErrorCase(
      name: "version 2", yaml: "version: 2\n", line: 1, keyPath: "version", says: "unsupported policy version 2"),
    ErrorCase(
      name: "version 1.0", yaml: "\nversion: 1.0\n", line: 2, keyPath: "version", says: "expected the format version 1"),
    ErrorCase(name: "version string", yaml: "version: \"1\"\n", line: 1, keyPath: "version", says: "found a string"),
    ErrorCase(
      name: "unknown top-level key", yaml: "version: 1\nrulez: []\n", line: 2, keyPath: "rulez",
      says: "unknown key 'rulez'; allowed keys: version, networks, rules, detectors"),

    // Networks.
    ErrorCase(
      name: "networks is a list", yaml: "version: 1\nnetworks:\n  - 10.0.0.0/8\n", line: 3, keyPath: "networks",
      says: "expected a mapping"),
    ErrorCase(
      name: "network is a string", yaml: "version: 1\nnetworks:\n  vpc: 10.0.0.0/16\n", line: 3,
      keyPath: "networks.vpc", says: "expected a list of CIDRs or network names (such as [a, b]), found a string"),
    ErrorCase(
      name: "network is empty", yaml: "version: 1\nnetworks:\n  vpc:\n", line: 3, keyPath: "networks.vpc",
      says: "found nothing"),
    ErrorCase(
      name: "bad IPv4 prefix length", yaml: "version: 1\nnetworks:\n  vpc: [10.0.0.0/16, 10.1.0.0/33]\n", line: 3,
      keyPath: "networks.vpc[1]", says: "'10.1.0.0/33' is not a valid CIDR"),
    ErrorCase(
      name: "bad IPv4 address", yaml: "version: 1\nnetworks:\n  vpc:\n    - 10.0.0.0/16\n    - 300.1.2.3\n", line: 5,
      keyPath: "networks.vpc[1]", says: "'300.1.2.3' is not a valid CIDR"),
    ErrorCase(
      name: "bad IPv6 address", yaml: "version: 1\nnetworks:\n  v6:\n    - 2001:::1/64\n", line: 4,
      keyPath: "networks.v6[0]", says: "'2001:::1/64' is not a valid CIDR"),
    ErrorCase(
      name: "bad IPv6 prefix length", yaml: "version: 1\nnetworks:\n  v6: [\"2001:db8::/129\"]\n", line: 3,
      keyPath: "networks.v6[0]", says: "not a valid CIDR"),
    ErrorCase(
      name: "unknown network in a network", yaml: "version: 1\nnetworks:\n  a: [10.0.0.0/8]\n  b: [a, c]\n", line: 4,
      keyPath: "networks.b[1]", says: "unknown network 'c' (defined networks: a, b)"),
    ErrorCase(
      name: "network cycle", yaml: "version: 1\nnetworks:\n  a: [10.0.0.0/8, b]\n  b: [c]\n  c: [a]\n", line: 5,
      keyPath: "networks.c[0]", says: "cycle: a -> b -> c -> a"),
    ErrorCase(
      name: "network refers to itself", yaml: "version: 1\nnetworks:\n  ok: [10.0.0.0/8]\n  a: [ok, a]\n", line: 4,
      keyPath: "networks.a[1]", says: "cycle: a -> a"),
    ErrorCase(
      name: "network name like an address", yaml: "version: 1\nnetworks:\n  a: []\n  10net: [10.0.0.0/8]\n", line: 4,
      keyPath: "networks.10net", says: "bad network name"),
    ErrorCase(
      name: "network name like a subnet", yaml: "version: 1\nnetworks:\n  subnet-a: [10.0.0.0/8]\n", line: 3,
      keyPath: "networks.subnet-a", says: "may not start with 'subnet-'"),
    ErrorCase(
      name: "duplicate network", yaml: "version: 1\nnetworks:\n  a: []\n  a: []\n", line: 4, keyPath: "networks.a",
      says: "duplicate key 'a' (first at line 3, column 3)", column: 3),
    // Host bits set after the prefix: an error that names the network meant.
    ErrorCase(
      name: "IPv4 host bits in a network", yaml: "version: 1\nnetworks:\n  corporate: [198.51.100.0/24, 10.0.0.1/8]\n",
      line: 3,
      keyPath: "networks.corporate[1]",
      says: "'10.0.0.1/8' has host bits set beyond its /8 prefix; did you mean 10.0.0.0/8?"),
    ErrorCase(
      name: "IPv6 host bits in allow_from",
      yaml: "version: 1\nrules:\n  - id: a\n    ports: 22\n    allow_from: [\"2001:db8::1/32\"]\n", line: 5,
      keyPath: "rules[0].allow_from[0]", says: "did you mean 2001:db8::/32?"),
    ErrorCase(
      name: "host bits in a destination",
      yaml: "version: 1\nrules:\n  - id: a\n    ports: 22\n    allow_from: []\n    to: [10.0.1.5/24]\n",
      line: 6, keyPath: "rules[0].to[0]", says: "did you mean 10.0.1.0/24?"),
    ErrorCase(
      name: "host bits in private subnets",
      yaml: "version: 1\ndetectors:\n  private_egress_path:\n    subnets: [10.0.3.7/24]\n", line: 4,
      keyPath: "detectors.private_egress_path.subnets[0]", says: "did you mean 10.0.3.0/24?"),

    // Rules: shape and required keys.
    ErrorCase(
      name: "rules is a mapping", yaml: "version: 1\nrules:\n  id: a\n", line: 3, keyPath: "rules",
      says: "expected a list of rules"),
    ErrorCase(
      name: "rule is a string", yaml: "version: 1\nrules:\n  - admin\n", line: 3, keyPath: "rules[0]",
      says: "expected a mapping with keys id, ports"),
    ErrorCase(
      name: "unknown rule key",
      yaml: "version: 1\nrules:\n  - id: a\n    ports: 22\n    alow_from: [10.0.0.0/8]\n", line: 5,
      keyPath: "rules[0].alow_from",
      says: "unknown key 'alow_from'; allowed keys: id, ports, protocol, allow_from, to, severity, remedy"),
    ErrorCase(
      name: "missing id", yaml: "version: 1\nrules:\n  - ports: 22\n    allow_from: []\n", line: 3,
      keyPath: "rules[0].id", says: "required key 'id' is missing"),
    ErrorCase(
      name: "missing ports", yaml: "version: 1\nrules:\n  - id: a\n    allow_from: []\n  - id: b\n    allow_from: []\n",
      line: 3, keyPath: "rules[0].ports", says: "required key 'ports' is missing"),
    ErrorCase(
      name: "missing allow_from",
      yaml: "version: 1\nrules:\n  - id: a\n    ports: 1\n    allow_from: []\n  - id: b\n    ports: 1\n", line: 6,
      keyPath: "rules[1].allow_from", says: "required key 'allow_from' is missing"),
    ErrorCase(
      name: "empty id", yaml: "version: 1\nrules:\n  - id: \"\"\n    ports: 1\n    allow_from: []\n", line: 3,
      keyPath: "rules[0].id", says: "found an empty string"),
    ErrorCase(
      name: "duplicate rule id",
      yaml:
        "version: 1\nrules:\n  - id: a\n    ports: 1\n    allow_from: []\n  - id: a\n    ports: 2\n    allow_from: []\n",
      line: 6, keyPath: "rules[1].id", says: "duplicate rule id 'a' (first used on line 3)"),

    // Rules: ports.
    ErrorCase(
      name: "port above 65535", yaml: "version: 1\nrules:\n  - id: a\n    ports: [22, 65536]\n    allow_from: []\n",
      line: 4, keyPath: "rules[0].ports[1]", says: "port 65536 is out of range 0-65535"),
    ErrorCase(
      name: "negative port", yaml: "version: 1\nrules:\n  - id: a\n    ports: -1\n    allow_from: []\n", line: 4,
      keyPath: "rules[0].ports", says: "port -1 is out of range"),
    ErrorCase(
      name: "range above 65535",
      yaml: "version: 1\nrules:\n  - id: a\n    ports:\n      - 1\n      - \"65000-70000\"\n    allow_from: []\n",
      line: 6, keyPath: "rules[0].ports[1]", says: "port 70000 is out of range"),
    ErrorCase(
      name: "reversed range", yaml: "version: 1\nrules:\n  - id: a\n    ports: [\"8100-8000\"]\n    allow_from: []\n",
      line: 4, keyPath: "rules[0].ports[0]", says: "range '8100-8000' is reversed"),
    ErrorCase(
      name: "port name", yaml: "version: 1\nrules:\n  - id: a\n    ports: [ssh]\n    allow_from: []\n", line: 4,
      keyPath: "rules[0].ports[0]", says: "'ssh' is not a port"),
    ErrorCase(
      name: "half a range", yaml: "version: 1\nrules:\n  - id: a\n    ports: [\"80-\"]\n    allow_from: []\n", line: 4,
      keyPath: "rules[0].ports[0]", says: "'80-' is not a port"),
    ErrorCase(
      name: "fractional port", yaml: "version: 1\nrules:\n  - id: a\n    ports: [22.5]\n    allow_from: []\n", line: 4,
      keyPath: "rules[0].ports[0]", says: "found a number (22.5)"),
    ErrorCase(
      name: "no ports", yaml: "version: 1\nrules:\n  - id: a\n    ports: []\n    allow_from: []\n", line: 4,
      keyPath: "rules[0].ports", says: "lists no port"),
    ErrorCase(
      name: "ports mapping", yaml: "version: 1\nrules:\n  - id: a\n    ports: {ssh: 22}\n    allow_from: []\n", line: 4,
      keyPath: "rules[0].ports", says: "expected a list of ports"),

    // Rules: protocol, sources, destinations, severity, remedy.
    ErrorCase(
      name: "unknown protocol",
      yaml: "version: 1\nrules:\n  - id: a\n    ports: 1\n    protocol: tcpp\n    allow_from: []\n", line: 5,
      keyPath: "rules[0].protocol", says: "unknown protocol 'tcpp'"),
    ErrorCase(
      name: "protocol above 255",
      yaml: "version: 1\nrules:\n  - id: a\n    ports: 1\n    protocol: 256\n    allow_from: []\n", line: 5,
      keyPath: "rules[0].protocol", says: "unknown protocol '256'"),
    ErrorCase(
      name: "protocol list",
      yaml: "version: 1\nrules:\n  - id: a\n    ports: 1\n    protocol: [tcp, udp]\n    allow_from: []\n", line: 5,
      keyPath: "rules[0].protocol", says: "expected a protocol, found a list"),
    ErrorCase(
      name: "allow_from is a string",
      yaml:
        "version: 1\nnetworks:\n  corporate: [198.51.100.0/24]\nrules:\n  - id: a\n    ports: 1\n    allow_from: corporate\n",
      line: 7, keyPath: "rules[0].allow_from", says: "expected a list of network names or CIDRs"),
    ErrorCase(
      name: "unknown network in allow_from",
      yaml:
        "version: 1\nnetworks:\n  corporate: [198.51.100.0/24]\nrules:\n  - id: a\n    ports: 1\n    allow_from:\n      - corporate\n      - corprate\n",
      line: 9, keyPath: "rules[0].allow_from[1]", says: "unknown network 'corprate' (defined networks: corporate)"),
    ErrorCase(
      name: "network without networks",
      yaml: "version: 1\nrules:\n  - id: a\n    ports: 1\n    allow_from: [office]\n", line: 5,
      keyPath: "rules[0].allow_from[0]", says: "unknown network 'office' (no networks are defined)"),
    ErrorCase(
      name: "bad CIDR in allow_from",
      yaml: "version: 1\nrules:\n  - id: a\n    ports: 1\n    allow_from: [10.0.0/8]\n", line: 5,
      keyPath: "rules[0].allow_from[0]", says: "'10.0.0/8' is not a valid CIDR"),
    ErrorCase(
      name: "allow_from entry is a list",
      yaml: "version: 1\nrules:\n  - id: a\n    ports: 1\n    allow_from: [[10.0.0.0/8]]\n", line: 5,
      keyPath: "rules[0].allow_from[0]", says: "found a list"),
    ErrorCase(
      name: "bad CIDR in to",
      yaml: "version: 1\nrules:\n  - id: a\n    ports: 1\n    allow_from: []\n    to: [\"fd00::/200\"]\n", line: 6,
      keyPath: "rules[0].to[0]", says: "'fd00::/200' is not a valid CIDR"),
    ErrorCase(
      name: "unknown network in to",
      yaml: "version: 1\nrules:\n  - id: a\n    ports: 1\n    allow_from: []\n    to: [vpc]\n", line: 6,
      keyPath: "rules[0].to[0]", says: "unknown network 'vpc'"),
    ErrorCase(
      name: "empty to", yaml: "version: 1\nrules:\n  - id: a\n    ports: 1\n    allow_from: []\n    to: []\n", line: 6,
      keyPath: "rules[0].to", says: "lists no destination"),
    ErrorCase(
      name: "bad rule severity",
      yaml: "version: 1\nrules:\n  - id: a\n    ports: 1\n    allow_from: []\n    severity: severe\n", line: 6,
      keyPath: "rules[0].severity", says: "unknown severity 'severe'; expected info, low, medium, high or critical"),
    ErrorCase(
      name: "remedy is a list",
      yaml: "version: 1\nrules:\n  - id: a\n    ports: 1\n    allow_from: []\n    remedy: [a, b]\n", line: 6,
      keyPath: "rules[0].remedy", says: "expected a remedy text, found a list"),

    // Detectors.
    ErrorCase(
      name: "detectors is a list", yaml: "version: 1\ndetectors: [port_scan]\n", line: 2, keyPath: "detectors",
      says: "expected a mapping with keys port_scan"),
    ErrorCase(
      name: "unknown detector", yaml: "version: 1\ndetectors:\n  port_scanner: false\n", line: 3,
      keyPath: "detectors.port_scanner",
      says:
        "unknown key 'port_scanner'; allowed keys: port_scan, nacl_return_blocked, nat_endpoint_candidate, private_egress_path, coverage_gap"
    ),
    ErrorCase(
      name: "unknown detector key", yaml: "version: 1\ndetectors:\n  port_scan:\n    min_port: 5\n", line: 4,
      keyPath: "detectors.port_scan.min_port",
      says: "unknown key 'min_port'; allowed keys: enabled, min_ports, min_hosts, window_seconds, severity"),
    ErrorCase(
      name: "detector is a string", yaml: "version: 1\ndetectors:\n  coverage_gap: off-ish\n", line: 3,
      keyPath: "detectors.coverage_gap", says: "expected true, false or a mapping"),
    ErrorCase(
      name: "enabled is a string", yaml: "version: 1\ndetectors:\n  coverage_gap: { enabled: maybe }\n", line: 3,
      keyPath: "detectors.coverage_gap.enabled", says: "expected true or false"),
    ErrorCase(
      name: "zero min_ports", yaml: "version: 1\ndetectors:\n  port_scan:\n    min_ports: 0\n", line: 4,
      keyPath: "detectors.port_scan.min_ports", says: "must be greater than zero, found 0"),
    ErrorCase(
      name: "negative min_hosts", yaml: "version: 1\ndetectors:\n  port_scan: { min_hosts: -3 }\n", line: 3,
      keyPath: "detectors.port_scan.min_hosts", says: "must be greater than zero, found -3"),
    ErrorCase(
      name: "zero scan window",
      yaml: "version: 1\ndetectors:\n  port_scan:\n    severity: low\n    window_seconds: 0\n",
      line: 5, keyPath: "detectors.port_scan.window_seconds", says: "must be greater than zero"),
    ErrorCase(
      name: "negative NACL window", yaml: "version: 1\ndetectors:\n  nacl_return_blocked:\n    window_seconds: -600\n",
      line: 4, keyPath: "detectors.nacl_return_blocked.window_seconds", says: "must be greater than zero"),
    ErrorCase(
      name: "threshold is a string", yaml: "version: 1\ndetectors:\n  port_scan:\n    min_ports: \"20\"\n", line: 4,
      keyPath: "detectors.port_scan.min_ports", says: "expected a whole number, found a string"),
    ErrorCase(
      name: "fractional threshold", yaml: "version: 1\ndetectors:\n  port_scan:\n    min_ports: 2.5\n", line: 4,
      keyPath: "detectors.port_scan.min_ports", says: "expected a whole number"),
    ErrorCase(
      name: "negative cost", yaml: "version: 1\ndetectors:\n  nat_endpoint_candidate:\n    cost_per_gb: -0.01\n",
      line: 4, keyPath: "detectors.nat_endpoint_candidate.cost_per_gb", says: "must not be negative"),
    ErrorCase(
      name: "cost is a string", yaml: "version: 1\ndetectors:\n  nat_endpoint_candidate:\n    cost_per_gb: cheap\n",
      line: 4, keyPath: "detectors.nat_endpoint_candidate.cost_per_gb", says: "expected a number"),
    ErrorCase(
      name: "services is a string", yaml: "version: 1\ndetectors:\n  nat_endpoint_candidate:\n    services: S3\n",
      line: 4, keyPath: "detectors.nat_endpoint_candidate.services",
      says: "expected a list of service names (such as [a, b]), found a string"),
    ErrorCase(
      name: "bad NAT destination",
      yaml: "version: 1\ndetectors:\n  nat_endpoint_candidate:\n    destinations: [52.216.0.0/15, 52.0.0.0/99]\n",
      line: 4,
      keyPath: "detectors.nat_endpoint_candidate.destinations[1]", says: "'52.0.0.0/99' is not a valid CIDR"),
    ErrorCase(
      name: "NAT gateway id instead of interface",
      yaml: "version: 1\ndetectors:\n  nat_endpoint_candidate:\n    nat_interfaces:\n      - nat-0123\n", line: 5,
      keyPath: "detectors.nat_endpoint_candidate.nat_interfaces[0]", says: "'nat-0123' is not an interface id"),
    ErrorCase(
      name: "unknown network in subnets",
      yaml: "version: 1\ndetectors:\n  private_egress_path:\n    subnets: [subnet-0abc, 10.0.1.0/24, app-tier]\n",
      line: 4,
      keyPath: "detectors.private_egress_path.subnets[2]", says: "unknown network 'app-tier'"),
    ErrorCase(
      name: "bad CIDR in subnets",
      yaml: "version: 1\ndetectors:\n  private_egress_path:\n    subnets:\n      - 10.0.1.0/24\n      - 10.0.2.0/40\n",
      line: 6, keyPath: "detectors.private_egress_path.subnets[1]", says: "not a valid CIDR"),
    ErrorCase(
      name: "bad detector severity", yaml: "version: 1\ndetectors:\n  coverage_gap:\n    severity: urgent\n", line: 4,
      keyPath: "detectors.coverage_gap.severity", says: "unknown severity 'urgent'"),
  ]

  @Test(arguments: PolicyParserTests.errorCases)
  func errors(_ errorCase: ErrorCase) {
    let error = #expect(throws: PolicyError.self) { try PolicyParser.parse(errorCase.yaml, file: "p.yaml") }
    guard let error else { return }
    #expect(error.file == "p.yaml")
    #expect(error.line == errorCase.line, "\(error)")
    #expect(error.keyPath == errorCase.keyPath, "\(error)")
    #expect(error.message.contains(errorCase.says), "\(error)")
    if let column = errorCase.column { #expect(error.column == column, "\(error)") }
  }

  @Test("a bare address is one host, and a prefix with its host bits clear is accepted as written")
  func addressesWithoutHostBits() throws {
    let policy = try PolicyParser.parse(
      "version: 1\nnetworks:\n  n: [10.0.0.1, 10.0.0.0/8, 0.0.0.0/0, \"2001:db8::1\", \"2001:db8::/32\", \"::/0\"]\n",
      file: "p.yaml")
    #expect(
      policy.network(named: "n")?.addresses.prefixes
        == cidrs(["10.0.0.1/32", "10.0.0.0/8", "0.0.0.0/0", "2001:db8::1/128", "2001:db8::/32", "::/0"]))
  }

  @Test func errorsAreTyped() {
    // `throws(PolicyError)`: the caught error needs no cast.
    do {
      _ = try PolicyParser.parse("version: 1\nrules: 5\n", file: "x.yaml")
      Issue.record("no error")
    } catch {
      #expect(error.description == "x.yaml:2: rules: expected a list of rules (such as [a, b]), found a number (5)")
    }
  }

  @Test(arguments: [
    (
      PolicyError(file: "p.yaml", line: 3, keyPath: "rules[1].allow_from", message: "bad"),
      "p.yaml:3: rules[1].allow_from: bad"
    ),
    (PolicyError(file: "p.yaml", line: 3, message: "bad"), "p.yaml:3: bad"),
    (
      PolicyError(file: "p.yaml", line: 3, column: 7, keyPath: "networks.a", message: "bad"),
      "p.yaml:3:7: networks.a: bad"
    ),
    (PolicyError(file: "p.yaml", keyPath: "version", message: "bad"), "p.yaml: version: bad"),
    (PolicyError(file: "p.yaml", message: "bad"), "p.yaml: bad"),
    (PolicyError(file: "", line: 7, keyPath: "version", message: "bad"), "line 7: version: bad"),
    (PolicyError(file: "", message: "bad"), "bad"),
  ])
  func errorDescription(error: PolicyError, expected: String) {
    #expect(error.description == expected)
  }
}
