import Foundation
import Testing

/// `flowlens suggest` end to end, on a generated scenario with used, unused, over-wide, group-
/// referenced and unlogged rules. The expected verdicts, counts, sources and proposals are
/// computed here from the generated records, never by flowlens.
@Suite("suggest command")
struct SuggestCommandTests {
  typealias Random = SplitMix64

  /// A rule of the scenario: its place in the JSON output and what the test expects of it.
  struct Expected {
    var group: String
    var proto: String
    var from: Int?
    var source: String
    var status: String
    var sources: [String: Int] = [:]
    var proposed: [String] = []
  }

  /// The scenario: the inventory (written as AWS CLI JSON), the log lines, and the oracle.
  struct Scenario {
    var lines: [String] = []
    var expected: [Expected] = []
    var firstStart = UInt64.max
    var lastEnd: UInt64 = 0
    var inboundAccepted = 0
    var replies = 0
    var unmatched = 0

    static func inventory() -> [String: [[String: Any]]] {
      [
        "NetworkInterfaces": [
          interface("eni-web1", "10.1.0.10", ["sg-web"], ipv6: "2001:db8:aaaa:1::10"),
          interface("eni-web2", "10.1.0.20", ["sg-web"]),
          interface("eni-app1", "10.1.1.10", ["sg-app"]),
          interface("eni-db1", "10.1.2.10", ["sg-db"]),
          interface("eni-quiet", "10.1.9.9", ["sg-quiet"]),
        ],
        "SecurityGroups": [
          group(
            "sg-web",
            [
              permission("tcp", 22, v4: ["0.0.0.0/0"]), permission("tcp", 443, v4: ["0.0.0.0/0"]),
              permission("tcp", 3389, v4: ["0.0.0.0/0"]), permission("tcp", 22, v6: ["::/0"]),
              permission("udp", 5000, to: 5100, v4: ["10.1.0.0/16"]),
            ]),
          group("sg-app", []),
          group("sg-db", [permission("tcp", 5432, groups: ["sg-app"]), permission("tcp", 5432, v4: ["10.1.0.0/16"])]),
          group("sg-quiet", [permission("tcp", 22, v4: ["10.0.0.0/8"])]),
        ],
      ]
    }

    static func interface(_ id: String, _ address: String, _ groups: [String], ipv6: String? = nil) -> [String: Any] {
      [
        "NetworkInterfaceId": id, "InterfaceType": "interface", "PrivateIpAddress": address, "VpcId": "vpc-1",
        "SubnetId": "subnet-1", "AvailabilityZone": "eu-central-1a",
        "PrivateIpAddresses": [["PrivateIpAddress": address, "Primary": true]],
        "Ipv6Addresses": ipv6.map { [["Ipv6Address": $0]] } ?? [],
        "Groups": groups.map { ["GroupId": $0, "GroupName": $0] },
      ]
    }

    static func group(_ id: String, _ inbound: [[String: Any]]) -> [String: Any] {
      ["GroupId": id, "GroupName": id, "VpcId": "vpc-1", "OwnerId": "111122223333", "IpPermissions": inbound]
    }

    static func permission(
      _ proto: String, _ from: Int, to: Int? = nil, v4: [String] = [], v6: [String] = [], groups: [String] = []
    ) -> [String: Any] {
      [
        "IpProtocol": proto, "FromPort": from, "ToPort": to ?? from, "IpRanges": v4.map { ["CidrIp": $0] },
        "Ipv6Ranges": v6.map { ["CidrIpv6": $0] }, "PrefixListIds": [],
        "UserIdGroupPairs": groups.map { ["GroupId": $0, "UserId": "111122223333"] },
      ]
    }

    /// `count` records over ten days, of every kind the verdicts depend on.
    init(count: Int, random: inout Random) {
      var ssh: [String: Int] = [:]
      var https: [String: Int] = [:]
      var ssh6: [String: Int] = [:]
      var udp: [String: Int] = [:]
      var postgres: [String: Int] = [:]
      let t0: UInt64 = 1_700_000_000
      for _ in 0..<count {
        let start = t0 + UInt64.random(in: 0..<(10 * 86_400), using: &random)
        let end = start + UInt64.random(in: 1...60, using: &random)
        firstStart = min(firstStart, start)
        lastEnd = max(lastEnd, end)
        let web = Bool.random(using: &random) ? ("eni-web1", "10.1.0.10") : ("eni-web2", "10.1.0.20")
        let sport = Int.random(in: 32768...60999, using: &random)
        func line(_ eni: String, _ src: String, _ dst: String, _ sp: Int, _ dp: Int, _ proto: Int, _ action: String)
          -> String
        {
          "2 111122223333 \(eni) \(src) \(dst) \(sp) \(dp) \(proto) 3 300 \(start) \(end) \(action) OK"
        }
        switch Int.random(in: 0..<12, using: &random) {
        case 0, 1:  // SSH from the office only: 0.0.0.0/0 on 22 is wider than used
          let src = "198.51.100.\(Int.random(in: 1...40, using: &random))"
          lines.append(line(web.0, src, web.1, sport, 22, 6, "ACCEPT"))
          ssh[src, default: 0] += 1
          inboundAccepted += 1
        case 2, 3:  // HTTPS from more /24 prefixes than a proposal lists: used
          let src = "203.0.\(Int.random(in: 0..<20, using: &random)).\(Int.random(in: 1...254, using: &random))"
          lines.append(line(web.0, src, web.1, sport, 443, 6, "ACCEPT"))
          https[src, default: 0] += 1
          inboundAccepted += 1
        case 4:  // RDP, always rejected: the rule is unused
          lines.append(
            line(web.0, "45.155.205.\(Int.random(in: 1...9, using: &random))", web.1, sport, 3389, 6, "REJECT"))
        case 5:  // SSH over IPv6 from one /48
          let src = "2001:db8:100:\(Int.random(in: 1...2, using: &random))::\(Int.random(in: 1...9, using: &random))"
          lines.append(line("eni-web1", src, "2001:db8:aaaa:1::10", sport, 22, 6, "ACCEPT"))
          ssh6[src, default: 0] += 1
          inboundAccepted += 1
        case 6:  // UDP 5000-5100 from two /24s of the VPC's /16
          let src = "10.1.\(Bool.random(using: &random) ? 1 : 3).\(Int.random(in: 1...50, using: &random))"
          lines.append(line(web.0, src, web.1, sport, Int.random(in: 5000...5100, using: &random), 17, "ACCEPT"))
          udp[src, default: 0] += 1
          inboundAccepted += 1
        case 7:  // PostgreSQL from the app tier: the group reference, not 10.1.0.0/16, is used
          lines.append(line("eni-db1", "10.1.1.10", "10.1.2.10", sport, 5432, 6, "ACCEPT"))
          postgres["10.1.1.10", default: 0] += 1
          inboundAccepted += 1
        case 8:  // replies to the instance's own HTTPS calls, outbound calls, NODATA: for no rule
          lines.append(line(web.0, "93.184.216.34", web.1, 443, sport, 6, "ACCEPT"))
          lines.append(line(web.0, web.1, "93.184.216.34", sport, 443, 6, "ACCEPT"))
          lines.append("2 111122223333 \(web.0) - - - - - - - \(start) \(end) - NODATA")
          inboundAccepted += 1
          replies += 1
        case 9:  // accepted inbound that no rule allows (a stale inventory)
          lines.append(line(web.0, "192.0.2.1", web.1, sport, 8080, 6, "ACCEPT"))
          inboundAccepted += 1
          unmatched += 1
        case 10:  // an interface that is not in the inventory
          lines.append(line("eni-elsewhere", "198.51.100.7", "10.9.0.1", sport, 22, 6, "ACCEPT"))
        default:  // the app tier calling out: not inbound to the database
          lines.append(line("eni-app1", "10.1.1.10", "10.1.2.10", sport, 5432, 6, "ACCEPT"))
        }
      }
      func prefixes(_ sources: [String: Int], _ cut: (String) -> String) -> [String] {
        Array(Set(sources.keys.map(cut))).sorted()
      }
      func v4Prefix(_ address: String) -> String {
        address.split(separator: ".").prefix(3).joined(separator: ".") + ".0/24"
      }
      expected = [
        Expected(
          group: "sg-web", proto: "tcp", from: 22, source: "0.0.0.0/0", status: "wider-than-used", sources: ssh,
          proposed: prefixes(ssh, v4Prefix)),
        Expected(
          group: "sg-web", proto: "tcp", from: 443, source: "0.0.0.0/0", status: "used", sources: https,
          proposed: ["0.0.0.0/0"]),
        Expected(group: "sg-web", proto: "tcp", from: 3389, source: "0.0.0.0/0", status: "unused"),
        Expected(
          group: "sg-web", proto: "tcp", from: 22, source: "::/0", status: "wider-than-used", sources: ssh6,
          proposed: ["2001:db8:100::/48"]),
        Expected(
          group: "sg-web", proto: "udp", from: 5000, source: "10.1.0.0/16", status: "wider-than-used", sources: udp,
          proposed: prefixes(udp, v4Prefix)),
        Expected(
          group: "sg-db", proto: "tcp", from: 5432, source: "sg-app", status: "used", sources: postgres,
          proposed: ["sg-app"]),
        Expected(group: "sg-db", proto: "tcp", from: 5432, source: "10.1.0.0/16", status: "unused"),
        Expected(
          group: "sg-quiet", proto: "tcp", from: 22, source: "10.0.0.0/8", status: "not-logged",
          proposed: ["10.0.0.0/8"]),
      ]
    }

    /// Writes the inventory (one file per key, and a file of another kind) and the records,
    /// split at random over `files` log files; returns the inventory directory and the log files.
    func write(to directory: URL, files: Int, random: inout Random) throws -> (inventory: String, logs: [String]) {
      let inventory = directory.appendingPathComponent("inventory")
      try FileManager.default.createDirectory(at: inventory, withIntermediateDirectories: true)
      for (key, value) in Self.inventory() {
        let data = try JSONSerialization.data(withJSONObject: [key: value], options: [.prettyPrinted, .sortedKeys])
        try data.write(to: inventory.appendingPathComponent("\(key).json"))
      }
      var parts = Array(
        repeating: [
          "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"
        ], count: files)
      for line in lines.shuffled(using: &random) { parts[Int.random(in: 0..<files, using: &random)].append(line) }
      var logs: [String] = []
      for (index, part) in parts.enumerated() {
        let file = directory.appendingPathComponent("part-\(index).log")
        try Data((part.joined(separator: "\n") + "\n").utf8).write(to: file)
        logs.append(file.path)
      }
      return (inventory.path, logs)
    }
  }

  static func rules(_ json: [String: Any]) -> [(group: String, rule: [String: Any])] {
    (json["security_groups"] as? [[String: Any]] ?? []).flatMap { group in
      (group["rules"] as? [[String: Any]] ?? []).map { (group["group_id"] as? String ?? "", $0) }
    }
  }

  /// The rule `proto from/source` of `group` in the JSON output.
  static func rule(_ json: [String: Any], _ group: String, _ proto: String, _ from: Int, _ source: String) throws
    -> [String: Any]
  {
    try #require(
      rules(json).first {
        $0.group == group && $0.rule["protocol"] as? String == proto && $0.rule["from_port"] as? Int == from
          && $0.rule["source"] as? String == source
      }?.rule, "\(group) \(proto) \(from) \(source)")
  }

  @Test(
    "verdicts, counts, sources and proposals match the generated traffic, for every --jobs and split",
    arguments: [1, 2, 3])
  func scenario(seed: UInt64) throws {
    var random = Random(state: seed)
    let scenario = Scenario(count: 1_500, random: &random)
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let (inventory, logs) = try scenario.write(
      to: directory, files: Int.random(in: 2...5, using: &random), random: &random)

    var outputs: [String: String] = [:]
    for jobs in ["1", "3"] {
      for format in ["json", "text", "aws-cli"] {
        let order = jobs == "1" ? logs : logs.reversed()
        let result = try CLI.run(["suggest", "--inventory", inventory, "--format", format, "--jobs", jobs] + order)
        #expect(result.status == 0, "\(result.stderr)")
        if let first = outputs[format] {
          #expect(result.stdout == first, "--jobs \(jobs) --format \(format)")
        } else {
          outputs[format] = result.stdout
        }
      }
    }
    let json = try #require(JSONSerialization.jsonObject(with: Data(outputs["json"]!.utf8)) as? [String: Any])
    let evidence = try #require(json["evidence"] as? [String: Any])
    #expect((evidence["first_start"] as? NSNumber)?.uint64Value == scenario.firstStart)
    #expect((evidence["last_end"] as? NSNumber)?.uint64Value == scenario.lastEnd)
    #expect(evidence["shorter_than_a_week"] as? Bool == false)
    #expect(json["inbound_accepted_records"] as? Int == scenario.inboundAccepted)
    #expect(json["replies_not_counted"] as? Int == scenario.replies)
    #expect(json["matched_no_rule"] as? Int == scenario.unmatched)

    let rules = Self.rules(json)
    #expect(rules.count == scenario.expected.count)
    #expect(rules.map(\.group) == rules.map(\.group).sorted())
    for expected in scenario.expected {
      let label = "\(expected.group) \(expected.proto) \(expected.from ?? -1) \(expected.source)"
      let rule = try Self.rule(json, expected.group, expected.proto, expected.from!, expected.source)
      #expect(rule["status"] as? String == expected.status, "\(label)")
      #expect(rule["records"] as? Int == expected.sources.values.reduce(0, +), "\(label)")
      let observed = (rule["observed_sources"] as? [[String: Any]] ?? []).reduce(into: [String: Int]()) {
        $0[$1["address"] as? String ?? ""] = $1["records"] as? Int
      }
      #expect(observed == expected.sources, "\(label)")
      #expect(rule["observed_sources_aggregated"] is NSNull, "\(label)")
      #expect(rule["proposed"] as? [String] == expected.proposed, "\(label)")
    }
    // Ten days of evidence: no warning.
    #expect(!outputs["text"]!.contains("less than a week"))

    // The commands apply exactly the proposal: authorize the narrow rule, then revoke the wide one.
    let commands = outputs["aws-cli"]!.split(separator: "\n").filter { $0.hasPrefix("aws ec2 ") }.map(String.init)
    let changed = scenario.expected.filter { $0.status == "unused" || $0.status == "wider-than-used" }
    #expect(commands.count == changed.count + changed.filter { $0.status == "wider-than-used" }.count)
    for expected in changed {
      let revoke = try #require(
        commands.firstIndex {
          $0.contains("revoke-security-group-ingress") && $0.contains("'\(expected.group)'")
            && $0.contains("\"FromPort\":\(expected.from!)") && $0.contains("\"\(expected.source)\"")
        })
      #expect(commands[revoke].contains("--region 'eu-central-1'"))
      if expected.status == "wider-than-used" {
        let authorize = commands[revoke - 1]
        #expect(authorize.contains("authorize-security-group-ingress"))
        for prefix in expected.proposed { #expect(authorize.contains("\"\(prefix)\"")) }
      }
    }
    // The text view: '-' before what goes, '+' before what comes.
    let text = outputs["text"]!
    #expect(text.contains("  - tcp 3389 from 0.0.0.0/0"))
    #expect(text.contains("  + tcp 22 from 2001:db8:100::/48"))
    #expect(text.contains("    tcp 443 from 0.0.0.0/0"))
    #expect(text.contains("    tcp 22 from 10.0.0.0/8") && text.contains("not logged"))
  }

  @Test("a --policy network that holds every source is the proposal; other aggregate lengths are honoured")
  func policyNetworkAndAggregation() throws {
    var random = Random(state: 7)
    let scenario = Scenario(count: 600, random: &random)
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let (inventory, logs) = try scenario.write(to: directory, files: 2, random: &random)
    let policy = directory.appendingPathComponent("policy.yaml")
    try Data("version: 1\nnetworks:\n  office: [198.51.100.0/24, 2001:db8:100::/48]\n  tiny: [198.51.100.0/28]\n".utf8)
      .write(to: policy)
    let json = try CLI.run(
      ["suggest", "--inventory", inventory, "--policy", policy.path, "--aggregate-v4", "16", "--format", "json"] + logs
    ).json()
    let ssh = try Self.rule(json, "sg-web", "tcp", 22, "0.0.0.0/0")
    #expect(ssh["proposed"] as? [String] == ["198.51.100.0/24"])
    #expect(ssh["proposed_network"] as? String == "office")
    let ssh6 = try Self.rule(json, "sg-web", "tcp", 22, "::/0")
    #expect(ssh6["proposed"] as? [String] == ["2001:db8:100::/48"])
    #expect(ssh6["proposed_network"] as? String == "office")
    // 10.1.1.x and 10.1.3.x at /16 are the rule's own block: nothing narrower to propose.
    #expect(try Self.rule(json, "sg-web", "udp", 5000, "10.1.0.0/16")["status"] as? String == "used")
  }

  @Test("flow logs carry no ICMP type: a rule of every ICMP type gets the records before one limited to a type")
  func icmpTypes() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let inventory: [String: [[String: Any]]] = [
      "NetworkInterfaces": [Scenario.interface("eni-web1", "10.1.0.10", ["sg-icmp"])],
      "SecurityGroups": [
        Scenario.group(
          "sg-icmp",
          [
            Scenario.permission("icmp", 8, to: -1, v4: ["198.51.100.0/24"]),
            Scenario.permission("icmp", -1, to: -1, v4: ["0.0.0.0/0"]),
          ])
      ],
    ]
    let file = directory.appendingPathComponent("inventory.json")
    try JSONSerialization.data(withJSONObject: inventory).write(to: file)
    let log = directory.appendingPathComponent("icmp.log")
    try Data(
      """
      version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status
      2 111122223333 eni-web1 198.51.100.5 10.1.0.10 0 0 1 1 84 1700000000 1700000060 ACCEPT OK
      2 111122223333 eni-web1 198.51.100.5 10.1.0.10 0 0 1 1 84 1700000100 1700000160 ACCEPT OK
      2 111122223333 eni-web1 203.0.113.7 10.1.0.10 0 0 1 1 84 1700000200 1700000260 ACCEPT OK

      """.utf8
    ).write(to: log)
    let json = try CLI.run(["suggest", "--inventory", file.path, "--format", "json", log.path]).json()
    let rules = Self.rules(json).map(\.rule)
    #expect(rules.count == 2)
    let limited = try #require(rules.first { $0["from_port"] as? Int == 8 })
    let every = try #require(rules.first { $0["from_port"] as? Int == -1 })
    // Every record is certainly allowed by the rule of every type; the type-8 rule perhaps not.
    #expect(every["records"] as? Int == 3)
    #expect(every["status"] as? String == "wider-than-used")
    #expect(every["proposed"] as? [String] == ["198.51.100.0/24", "203.0.113.0/24"])
    #expect(limited["records"] as? Int == 0)
    #expect(limited["status"] as? String == "unused")
    #expect((limited["reason"] as? String)?.contains("no ICMP type or code") == true)
    let text = try CLI.run(["suggest", "--inventory", file.path, log.path]).stdout
    #expect(text.contains("  - icmp type 8 from 198.51.100.0/24"))
    #expect(text.contains("  + icmp from 203.0.113.0/24"))
  }

  @Test("a malformed inventory exits with 2 naming the file and the JSON path")
  func malformedInventory() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("sg.json")
    try Data(
      #"{"SecurityGroups": [{"GroupId": "sg-1", "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/99"}]}]}]}"#
        .utf8
    ).write(to: file)
    for command in [["suggest"], ["summary"], ["audit"]] {
      let result = try CLI.run(command + ["--inventory", file.path, "Fixtures/sample"])
      #expect(result.status == 2)
      #expect(
        result.stderr.contains("\(file.path): SecurityGroups[0].IpPermissions[0].IpRanges[0].CidrIp: not a CIDR block"))
      #expect(result.stdout.isEmpty)
    }
  }

  @Test("on the sample: a short window is warned about, and an unknown file is noted")
  func sample() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try FileManager.default.copyItem(
      at: CLI.root.appendingPathComponent("Fixtures/inventory"), to: directory.appendingPathComponent("inventory"))
    try Data(#"{"Reservations": []}"#.utf8).write(to: directory.appendingPathComponent("inventory/instances.json"))
    let result = try CLI.run([
      "suggest", "--inventory", directory.appendingPathComponent("inventory").path, "Fixtures/sample",
    ])
    #expect(result.status == 0)
    #expect(result.stdout.contains("Warning: the evidence covers less than a week"))
    #expect(result.stderr.contains("instances.json: skipped: none of the keys NetworkInterfaces"))
  }
}
