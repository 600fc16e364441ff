import Foundation
import Testing

/// What `--inventory` explains or configures in `audit` (and the `vpc` network for `--where`).
/// Expected values come from the fixture JSON read here, and from the records the test wrote.
@Suite("inventory explanations")
struct InventoryDetectorTests {
  static let inventoryPath = CLI.root.appendingPathComponent("Fixtures/inventory").path

  static func ipv4(_ text: String) -> UInt32? {
    let parts = text.split(separator: ".").compactMap { UInt32($0) }
    guard parts.count == 4 else { return nil }
    return parts.reduce(0) { $0 << 8 | $1 }
  }

  static func contains(_ cidr: String, _ address: String) -> Bool {
    let parts = cidr.split(separator: "/")
    guard parts.count == 2, let base = ipv4(String(parts[0])), let length = UInt32(parts[1]), let a = ipv4(address)
    else { return false }
    let mask: UInt32 = length == 0 ? 0 : ~0 << (32 - length)
    return a & mask == base & mask
  }

  @Test("a rejected reply names the outbound network ACL entry that matched it first")
  func naclRule() throws {
    let data = try Data(
      contentsOf: URL(fileURLWithPath: Self.inventoryPath + "/123456789012-us-east-1/network-acls.json"))
    let acls = try #require(
      (JSONSerialization.jsonObject(with: data) as? [String: Any])?["NetworkAcls"] as? [[String: Any]])
    let json = try CLI.run(["audit", "--inventory", Self.inventoryPath, "--format", "json", "Fixtures/sample"]).json()
    let findings = (json["findings"] as? [[String: Any]] ?? []).filter {
      $0["rule"] as? String == "nacl-return-blocked"
    }
    #expect(!findings.isEmpty)
    for finding in findings {
      // The sample's interfaces are all in subnet-0a1b2c3d4e5f60011.
      let acl = try #require(
        acls.first {
          ($0["Associations"] as? [[String: Any]] ?? []).contains {
            $0["SubnetId"] as? String == "subnet-0a1b2c3d4e5f60011"
          }
        })
      let peer = try #require(finding["source"] as? String)
      let proto = try #require(finding["protocol"] as? Int)
      let entry = try #require(
        (acl["Entries"] as? [[String: Any]] ?? []).filter { $0["Egress"] as? Bool == true }
          .sorted { ($0["RuleNumber"] as? Int ?? 0) < ($1["RuleNumber"] as? Int ?? 0) }
          .first { entry in
            let p = entry["Protocol"] as? String
            guard p == "-1" || p == String(proto), let block = entry["CidrBlock"] as? String, Self.contains(block, peer)
            else { return false }
            if proto == 6 || proto == 17, let range = entry["PortRange"] as? [String: Any],
              (range["To"] as? Int ?? 0) < 1024
            {
              return false
            }
            return true
          })
      let details = try #require(finding["details"] as? [String: Any])
      #expect(details["network_acl_id"] as? String == acl["NetworkAclId"] as? String)
      #expect(details["network_acl_rule"] as? Int == entry["RuleNumber"] as? Int)
      #expect(details["network_acl_rule_action"] as? String == entry["RuleAction"] as? String)
      #expect((finding["message"] as? String)?.contains("outbound rule \(entry["RuleNumber"] as? Int ?? 0)") == true)
    }
  }

  enum EndpointCase: String, CaseIterable {
    case inRouteTable, notInRouteTable, missing
  }

  @Test(
    "NAT gateway interfaces come from the inventory; the finding says whether the gateway endpoint exists",
    arguments: EndpointCase.allCases)
  func natEndpoint(endpoint: EndpointCase) throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let inventory = directory.appendingPathComponent("inventory")
    try FileManager.default.copyItem(at: URL(fileURLWithPath: Self.inventoryPath), to: inventory)
    let endpoints = inventory.appendingPathComponent("123456789012-us-east-1/vpc-endpoints.json")
    switch endpoint {
    case .inRouteTable: break
    case .missing: try FileManager.default.removeItem(at: endpoints)
    case .notInRouteTable:
      var object = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: endpoints)) as? [String: Any])
      var list = try #require(object["VpcEndpoints"] as? [[String: Any]])
      list[0]["RouteTableIds"] = [String]()
      object["VpcEndpoints"] = list
      try JSONSerialization.data(withJSONObject: object).write(to: endpoints)
    }
    // S3 traffic on the NAT gateway's interface, in a format without interface-type.
    var text =
      "version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status pkt-dst-aws-service\n"
    var bytes = 0
    for k in 0..<20 {
      text +=
        "5 eni-0a1b2c3d4e5f60901 10.0.0.100 52.216.8.\(k + 1) \(40000 + k) 443 6 100 150000 1732579200 1732579260 ACCEPT OK S3\n"
      bytes += 150_000
    }
    let log = directory.appendingPathComponent("nat.log")
    try Data(text.utf8).write(to: log)

    let without = try CLI.run(["audit", "--format", "json", log.path]).json()
    #expect(
      !(without["findings"] as? [[String: Any]] ?? []).contains { $0["rule"] as? String == "nat-endpoint-candidate" })
    let json = try CLI.run(["audit", "--inventory", inventory.path, "--format", "json", log.path]).json()
    let finding = try #require(
      (json["findings"] as? [[String: Any]] ?? []).first { $0["rule"] as? String == "nat-endpoint-candidate" })
    #expect(finding["interface_id"] as? String == "eni-0a1b2c3d4e5f60901")
    #expect(finding["bytes"] as? Int == bytes)
    let details = try #require(finding["details"] as? [String: Any])
    #expect(details["via"] as? String == "nat-gateway")
    let message = finding["message"] as? String ?? ""
    switch endpoint {
    case .inRouteTable:
      #expect(details["gateway_endpoint"] as? String == "vpce-0a1b2c3d4e5f60061")
      #expect(details["route_tables_without_endpoint"] == nil)
    case .notInRouteTable:
      #expect(details["gateway_endpoint"] as? String == "vpce-0a1b2c3d4e5f60061")
      #expect(details["route_tables_without_endpoint"] as? String == "rtb-0a1b2c3d4e5f60032")
      #expect(message.contains("exists but is not in the route tables rtb-0a1b2c3d4e5f60032"))
    case .missing:
      #expect(details["gateway_endpoint"] as? String == "missing")
      #expect(message.contains("has no gateway endpoint for S3"))
    }
  }

  @Test("with --inventory, --where can name the VPCs' blocks as @vpc")
  func vpcNetwork() throws {
    let records = try CLI.run(["records", "--format", "ndjson", "Fixtures/sample"]).stdout.split(separator: "\n")
    var expected = 0
    for line in records {
      let object = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      guard let destination = object["dstaddr"] as? String, object["log-status"] as? String == "OK" else { continue }
      if Self.contains("10.0.0.0/16", destination) || Self.contains("172.31.0.0/16", destination)
        || destination.hasPrefix("2600:1f18:abcd:") || destination.hasPrefix("2a05:d018:1234:56")
      {
        expected += 1
      }
    }
    let json = try CLI.run([
      "summary", "--inventory", Self.inventoryPath, "--where", "dst net @vpc", "--format", "json", "Fixtures/sample",
    ]).json()
    let filter = try #require(json["filter"] as? [String: Any])
    #expect(filter["matched"] as? Int == expected)
    #expect(expected > 0)
  }

  @Test("subnets whose route table has no internet gateway default route are the private subnets")
  func privateSubnets() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    // The Lambda interface (10.0.8.40, the private subnet) and a web server (10.0.1.10, the public
    // one), both leaving through an internet gateway path (traffic-path 8).
    let text = """
      version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status traffic-path
      5 eni-0a1b2c3d4e5f60903 10.0.8.40 93.184.216.34 40000 443 6 10 1000 1732579200 1732579260 ACCEPT OK 8
      5 eni-0a1b2c3d4e5f60718 10.0.1.10 93.184.216.34 40001 443 6 10 1000 1732579200 1732579260 ACCEPT OK 8

      """
    let log = directory.appendingPathComponent("egress.log")
    try Data(text.utf8).write(to: log)
    func privateEgress(_ arguments: [String]) throws -> [String] {
      let json = try CLI.run(["audit", "--format", "json"] + arguments + [log.path]).json()
      return (json["findings"] as? [[String: Any]] ?? []).filter { $0["rule"] as? String == "private-egress-path" }
        .compactMap { $0["interface_id"] as? String }
    }
    #expect(try privateEgress([]).isEmpty)
    #expect(try privateEgress(["--inventory", Self.inventoryPath]) == ["eni-0a1b2c3d4e5f60903"])
  }

  @Test("report --inventory: findings carry the inventory object and the explanations")
  func report() throws {
    let json = try CLI.run([
      "report", "--format", "json", "-o", "-", "--inventory", Self.inventoryPath, "Fixtures/sample",
    ])
    .json()
    let findings = try #require(json["findings"] as? [[String: Any]])
    #expect(!findings.isEmpty)
    for finding in findings where finding["interface_id"] != nil {
      let inventory = try #require(finding["inventory"] as? [String: Any])
      #expect(inventory["subnet_id"] as? String == "subnet-0a1b2c3d4e5f60011")
      if finding["rule"] as? String == "nacl-return-blocked" {
        #expect((finding["details"] as? [String: Any])?["network_acl_rule"] != nil)
      }
    }
    let plain = try CLI.run(["report", "--format", "json", "-o", "-", "Fixtures/sample"]).stdout
    #expect(!plain.contains("\"inventory\""))
  }

  @Test("a database interface in a subnet with an internet gateway route is a finding before any traffic")
  func databaseInPublicSubnet() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let inventory = directory.appendingPathComponent("inventory")
    try FileManager.default.copyItem(at: URL(fileURLWithPath: Self.inventoryPath), to: inventory)
    func findings() throws -> [[String: Any]] {
      let json = try CLI.run(["audit", "--inventory", inventory.path, "--format", "json", "Fixtures/sample"]).json()
      return (json["findings"] as? [[String: Any]] ?? []).filter {
        $0["rule"] as? String == "database-in-public-subnet"
      }
    }
    // As bundled, the RDS interface is in the private subnet.
    #expect(try findings().isEmpty)
    // Moved to the public subnet (route table with 0.0.0.0/0 to igw-…): a high finding, and --fail-on high.
    let file = inventory.appendingPathComponent("123456789012-us-east-1/network-interfaces.json")
    var object = try #require(JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any])
    var list = try #require(object["NetworkInterfaces"] as? [[String: Any]])
    let index = try #require(list.firstIndex { $0["Description"] as? String == "RDSNetworkInterface" })
    list[index]["SubnetId"] = "subnet-0a1b2c3d4e5f60011"
    object["NetworkInterfaces"] = list
    try JSONSerialization.data(withJSONObject: object).write(to: file)
    let found = try findings()
    #expect(found.count == 1)
    #expect(found.first?["interface_id"] as? String == list[index]["NetworkInterfaceId"] as? String)
    #expect(found.first?["severity"] as? String == "high")
    let details = try #require(found.first?["details"] as? [String: Any])
    #expect(details["route_table_id"] as? String == "rtb-0a1b2c3d4e5f60031")
    #expect(details["internet_gateway"] as? String == "igw-0a1b2c3d4e5f60051")
    // report says the same as audit: the same finding, and the same count for its severity.
    let report = try CLI.run(["report", "--inventory", inventory.path, "--format", "json", "Fixtures/sample"]).json()
    let reported = (report["findings"] as? [[String: Any]] ?? []).filter {
      $0["rule"] as? String == "database-in-public-subnet"
    }
    #expect(reported.map { $0 as NSDictionary } == found.map { $0 as NSDictionary })
    let audit = try CLI.run(["audit", "--inventory", inventory.path, "--format", "json", "Fixtures/sample"]).json()
    #expect(
      ((report["finding_counts"] as? [String: Int]) ?? [:])["high"]
        == ((audit["findings"] as? [[String: Any]]) ?? []).filter { $0["severity"] as? String == "high" }.count)
    let strict = try CLI.run(["audit", "--inventory", inventory.path, "--fail-on", "critical", "Fixtures/sample"])
    let high = try CLI.run(["audit", "--inventory", inventory.path, "--fail-on", "high", "Fixtures/sample"])
    #expect(strict.status == 0 && high.status == 1)
  }

  @Test(
    "a reply rejected on its way IN (the interface sent the request) names the inbound entry that decides for any remote",
    arguments: [
      // (extra inbound entries, expected rule, expected action, expected "unless" blocks)
      (
        #"[{"RuleNumber": 80, "Protocol": "6", "RuleAction": "allow", "Egress": false, "CidrBlock": "198.51.100.0/24", "PortRange": {"From": 1024, "To": 65535}}, {"RuleNumber": 85, "Protocol": "6", "RuleAction": "allow", "Egress": false, "CidrBlock": "0.0.0.0/0", "PortRange": {"From": 22, "To": 22}}, {"RuleNumber": 90, "Protocol": "6", "RuleAction": "deny", "Egress": false, "CidrBlock": "0.0.0.0/0", "PortRange": {"From": 1024, "To": 65535}}]"#,
        90, "deny", ["198.51.100.0/24"]
      ),
      ("[]", 100, "allow", []),
    ])
  func inboundReply(extra: String, rule: Int, action: String, unless: [String]) throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let inventory = directory.appendingPathComponent("inventory")
    try FileManager.default.copyItem(at: URL(fileURLWithPath: Self.inventoryPath), to: inventory)
    let aclFile = inventory.appendingPathComponent("123456789012-us-east-1/network-acls.json")
    var object = try #require(
      try JSONSerialization.jsonObject(with: Data(contentsOf: aclFile)) as? [String: Any])
    var acls = try #require(object["NetworkAcls"] as? [[String: Any]])
    let added = try #require(try JSONSerialization.jsonObject(with: Data(extra.utf8)) as? [[String: Any]])
    let index = try #require(acls.firstIndex { $0["NetworkAclId"] as? String == "acl-0a1b2c3d4e5f600a1" })
    acls[index]["Entries"] = (acls[index]["Entries"] as? [[String: Any]] ?? []) + added
    object["NetworkAcls"] = acls
    try JSONSerialization.data(withJSONObject: object).write(to: aclFile)
    // eni-0f9e8d7c6b5a43210 (10.0.1.20) calls out to 93.184.216.34:443; the reply is rejected.
    let log = directory.appendingPathComponent("calls.log")
    try Data(
      """
      version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status
      2 123456789012 eni-0f9e8d7c6b5a43210 10.0.1.20 93.184.216.34 50000 443 6 3 180 1732579200 1732579260 ACCEPT OK
      2 123456789012 eni-0f9e8d7c6b5a43210 93.184.216.34 10.0.1.20 443 50000 6 2 120 1732579200 1732579260 REJECT OK

      """.utf8
    ).write(to: log)
    let json = try CLI.run(["audit", "--inventory", inventory.path, "--format", "json", log.path]).json()
    let finding = try #require(
      (json["findings"] as? [[String: Any]] ?? []).first { $0["rule"] as? String == "nacl-return-blocked" })
    #expect(finding["source"] as? String == "10.0.1.20")
    let details = try #require(finding["details"] as? [String: Any])
    #expect(details["network_acl_id"] as? String == "acl-0a1b2c3d4e5f600a1")
    #expect(details["network_acl_direction"] as? String == "inbound")
    #expect(details["network_acl_rule"] as? Int == rule)
    #expect(details["network_acl_rule_action"] as? String == action)
    let message = try #require(finding["message"] as? String)
    #expect(message.contains("inbound rule \(rule) of acl-0a1b2c3d4e5f600a1"))
    #expect(message.contains("unless") == !unless.isEmpty)
    for block in unless { #expect(message.contains(block)) }
    #expect(!message.contains("rule 85"))
    #expect(message.contains("came from elsewhere") == (action == "allow"))
    // Without --inventory: no explanation at all.
    let plain = try CLI.run(["audit", "--format", "json", log.path]).stdout
    #expect(!plain.contains("network_acl"))
  }
}
