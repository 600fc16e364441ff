import FlowLogParser
import Foundation
import Testing

@testable import FlowStats

/// The inventory reader against the bundled fixtures (read independently here with
/// JSONSerialization) and against malformed and unknown files.
@Suite("Inventory loader")
struct InventoryLoaderTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()
  static let fixtures = root.appendingPathComponent("Fixtures/inventory").path

  /// The ids under `key` (objects' `idKey`) in every fixture file, read without flowlens.
  static func fixtureIDs(_ key: String, _ idKey: String) throws -> [String] {
    var ids: [String] = []
    let walker = try #require(FileManager.default.enumerator(atPath: fixtures))
    while let relative = walker.nextObject() as? String {
      guard relative.hasSuffix(".json") else { continue }
      let data = try Data(contentsOf: URL(fileURLWithPath: fixtures + "/" + relative))
      let object = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
      for item in object[key] as? [[String: Any]] ?? [] { ids.append(try #require(item[idKey] as? String)) }
    }
    return ids.sorted()
  }

  @Test(
    "every kind of file is read, with the ids the files hold",
    arguments: [
      ("NetworkInterfaces", "NetworkInterfaceId"), ("Subnets", "SubnetId"), ("RouteTables", "RouteTableId"),
      ("SecurityGroups", "GroupId"), ("Vpcs", "VpcId"), ("VpcEndpoints", "VpcEndpointId"),
      ("NatGateways", "NatGatewayId"), ("NetworkAcls", "NetworkAclId"),
    ])
  func everyKind(key: String, idKey: String) throws {
    let inventory = try InventoryLoader.load(path: Self.fixtures).inventory
    let loaded: [String] =
      switch key {
      case "NetworkInterfaces": inventory.interfaces.map(\.id)
      case "Subnets": inventory.subnets.map(\.id)
      case "RouteTables": inventory.routeTables.map(\.id)
      case "SecurityGroups": inventory.securityGroups.map(\.id)
      case "Vpcs": inventory.vpcs.map(\.id)
      case "VpcEndpoints": inventory.vpcEndpoints.map(\.id)
      case "NatGateways": inventory.natGateways.map(\.id)
      default: inventory.networkACLs.map(\.id)
      }
    let expected = try Self.fixtureIDs(key, idKey)
    #expect(!expected.isEmpty || key == "NatGateways")
    #expect(loaded == expected)
  }

  @Test("interfaces carry type, description, instance, subnet, VPC, groups and IPv4 and IPv6 addresses")
  func interfaceFields() throws {
    let result = try InventoryLoader.load(path: Self.fixtures)
    #expect(result.notes.isEmpty)
    #expect(result.files.count == 16)
    let inventory = result.inventory
    let web = try #require(inventory.interface("eni-0a1b2c3d4e5f60718"))
    #expect(web.interfaceType == "interface")
    #expect(web.instanceID == "i-0a1b2c3d4e5f60718")
    #expect(web.subnetID == "subnet-0a1b2c3d4e5f60011")
    #expect(web.vpcID == "vpc-0a1b2c3d4e5f60001")
    #expect(web.securityGroupIDs == ["sg-0a1b2c3d4e5f60101", "sg-0a1b2c3d4e5f60102"])
    #expect(web.addresses.map(\.description) == ["10.0.1.10", "2600:1f18:abcd:2::1"])
    #expect(web.publicAddresses.map(\.description) == ["54.210.0.11"])
    #expect(web.ownerID == "123456789012")
    let nat = try #require(inventory.interface("eni-0a1b2c3d4e5f60901"))
    #expect(nat.interfaceType == "nat_gateway")
    #expect(nat.requesterID?.hasSuffix("NatGateway") == true)
    #expect(inventory.interface("eni-0b2c3d4e5f6a70802")?.interfaceType == "network_load_balancer")
    #expect(inventory.interface("eni-0a1b2c3d4e5f60903")?.interfaceType == "lambda")
    #expect(inventory.interface("eni-0a1b2c3d4e5f60902")?.description == "RDSNetworkInterface")
    #expect(inventory.region(ofVPC: "vpc-0b2c3d4e5f6a70002") == "eu-west-1")
  }

  @Test("security group rules, route tables, NACLs, VPCs, endpoints and NAT gateways keep what AWS printed")
  func otherFields() throws {
    let inventory = try InventoryLoader.load(path: Self.fixtures).inventory
    let web = try #require(inventory.securityGroup("sg-0a1b2c3d4e5f60101"))
    #expect(web.name == "web-public")
    #expect(web.inbound.count == 3)
    #expect(web.inbound[0].ipProtocol == "tcp" && web.inbound[0].fromPort == 443 && web.inbound[0].toPort == 443)
    #expect(web.inbound[0].sources.map(\.description) == ["0.0.0.0/0", "::/0"])
    #expect(web.inbound[2].ipProtocol == "icmp" && web.inbound[2].fromPort == -1)
    #expect(web.outbound.first?.ipProtocol == "-1")
    let app = try #require(inventory.securityGroup("sg-0a1b2c3d4e5f60103"))
    #expect(app.inbound[0].sources == [.securityGroup("sg-0a1b2c3d4e5f60101")])
    #expect(app.inbound[1].sources == [.prefixList("pl-0a1b2c3d4e5f60081")])
    #expect(inventory.routeTable(ofSubnet: "subnet-0a1b2c3d4e5f60011")?.hasInternetRoute == true)
    let privateTable = try #require(inventory.routeTable(ofSubnet: "subnet-0a1b2c3d4e5f60012"))
    #expect(!privateTable.hasInternetRoute)
    #expect(privateTable.isMain)
    #expect(
      privateTable.routes.contains {
        $0.destinationPrefixListID == "pl-63a5400a" && $0.target == "vpce-0a1b2c3d4e5f60061"
      })
    // The eu-west-1 subnet has no association of its own: the VPC's main table applies.
    #expect(inventory.routeTable(ofSubnet: "subnet-0b2c3d4e5f6a70021")?.id == "rtb-0b2c3d4e5f6a70031")
    let acl = try #require(inventory.networkACLs.first { $0.id == "acl-0a1b2c3d4e5f600a1" })
    #expect(acl.entries.map(\.ruleNumber) == acl.entries.map(\.ruleNumber).sorted())
    #expect(acl.entries.contains { $0.ruleNumber == 120 && $0.egress && $0.ports == 1024...65535 && $0.allows })
    #expect(acl.entries.contains { $0.block?.description == "::/0" && !$0.allows })
    let vpc = try #require(inventory.vpcs.first { $0.id == "vpc-0a1b2c3d4e5f60001" })
    #expect(vpc.blocks.map(\.description) == ["10.0.0.0/16", "2600:1f18:abcd::/56"])
    #expect(
      inventory.vpcEndpoints.first { $0.id == "vpce-0a1b2c3d4e5f60061" }?.routeTableIDs == ["rtb-0a1b2c3d4e5f60032"])
    #expect(inventory.natGateways.first?.networkInterfaceIDs == ["eni-0a1b2c3d4e5f60901"])
    #expect(
      inventory.subnet("subnet-0a1b2c3d4e5f60012")?.blocks.map(\.description) == [
        "10.0.8.0/22", "2600:1f18:abcd:8::/64",
      ])
  }

  static func temporaryDirectory() throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "flowlens-inventory-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
  }

  @Test(
    "a malformed file is an error naming the file and the JSON path",
    arguments: [
      (
        #"{"SecurityGroups": [{"GroupId": "sg-1", "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 22, "ToPort": 22, "IpRanges": [{"CidrIp": "0.0.0.0/0"}, {"CidrIp": "10.0.0.300/8"}]}]}]}"#,
        "SecurityGroups[0].IpPermissions[0].IpRanges[1].CidrIp", "not a CIDR block"
      ),
      (
        #"{"SecurityGroups": [{"GroupId": "sg-1", "IpPermissions": [{"IpProtocol": "tcp", "FromPort": "22"}]}]}"#,
        "SecurityGroups[0].IpPermissions[0].FromPort", "expected a number"
      ),
      (#"{"NetworkInterfaces": [{"SubnetId": "subnet-1"}]}"#, "NetworkInterfaces[0].NetworkInterfaceId", "missing"),
      (
        #"{"NetworkInterfaces": [{"NetworkInterfaceId": "eni-1", "PrivateIpAddresses": [{"PrivateIpAddress": "10.0.0.1"}, {"PrivateIpAddress": "nope"}]}]}"#,
        "NetworkInterfaces[0].PrivateIpAddresses[1].PrivateIpAddress", "not an IP address"
      ),
      (
        #"{"NetworkAcls": [{"NetworkAclId": "acl-1", "Entries": [{"RuleNumber": 100, "Protocol": "-1", "RuleAction": "maybe", "Egress": false}]}]}"#,
        "NetworkAcls[0].Entries[0].RuleAction", "not allow or deny"
      ),
      (#"{"Vpcs": [{"VpcId": "vpc-1", "CidrBlock": "10.0.0.0/33"}]}"#, "Vpcs[0].CidrBlock", "not a CIDR block"),
      (#"{"Subnets": "none"}"#, "Subnets", "expected a list"),
      (#"{"RouteTables": [{"RouteTableId": "rtb-1", "#, "", "not valid JSON"),
    ])
  func malformed(text: String, path: String, reason: String) throws {
    let directory = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try Data(#"{"Vpcs": []}"#.utf8).write(to: directory.appendingPathComponent("a-good.json"))
    let file = directory.appendingPathComponent("b-bad.json")
    try Data(text.utf8).write(to: file)
    do {
      _ = try InventoryLoader.load(path: directory.path)
      Issue.record("no error for \(text)")
    } catch {
      #expect(error.file == file.path)
      #expect(error.path == path)
      #expect(error.reason.contains(reason), "\(error.reason)")
      #expect(error.description.hasPrefix(file.path + ": " + (path.isEmpty ? "" : path + ": ")))
    }
  }

  @Test("files without a describe key, other JSON and other files are skipped with a note")
  func skipped() throws {
    let directory = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try FileManager.default.createDirectory(
      at: directory.appendingPathComponent("sub"), withIntermediateDirectories: true)
    try Data(#"{"Tags": []}"#.utf8).write(to: directory.appendingPathComponent("tags.json"))
    try Data(#"[1, 2]"#.utf8).write(to: directory.appendingPathComponent("list.json"))
    try Data("hello".utf8).write(to: directory.appendingPathComponent("notes.txt"))
    try Data("{}".utf8).write(to: directory.appendingPathComponent(".hidden.json"))
    try Data(#"{"NetworkInterfaces": [{"NetworkInterfaceId": "eni-1", "InterfaceType": "natGateway"}]}"#.utf8).write(
      to: directory.appendingPathComponent("sub/enis.json"))
    let result = try InventoryLoader.load(path: directory.path)
    #expect(result.files == [directory.path + "/sub/enis.json"])
    #expect(result.notes.count == 3)
    #expect(
      result.notes.contains { $0.hasPrefix(directory.path + "/tags.json: skipped: none of the keys NetworkInterfaces") }
    )
    #expect(result.notes.contains { $0.hasPrefix(directory.path + "/list.json: skipped") })
    #expect(result.notes.contains { $0 == directory.path + "/notes.txt: skipped: not a .json file" })
    #expect(result.inventory.interface("eni-1")?.interfaceType == "nat_gateway")
  }

  @Test("a missing path is an error")
  func missing() {
    #expect(throws: InventoryError.self) { try InventoryLoader.load(path: "/nonexistent/inventory") }
  }
}
