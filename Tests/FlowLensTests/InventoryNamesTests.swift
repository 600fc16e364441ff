import Foundation
import Testing

/// `--inventory` on `summary` and `audit`: the `inventory` object of interface rows and findings,
/// and `summary --by subnet|vpc|security-group|interface-type` on v2 logs. Expected values come
/// from the fixture JSON read here with JSONSerialization and from the generated records.
@Suite("inventory names")
struct InventoryNamesTests {
  static let inventoryPath = CLI.root.appendingPathComponent("Fixtures/inventory").path

  /// The fixture's interfaces as the AWS CLI printed them, by id, read without flowlens.
  static func fixtureInterfaces() throws -> [String: [String: Any]] {
    var result: [String: [String: Any]] = [:]
    let walker = try #require(FileManager.default.enumerator(atPath: inventoryPath))
    while let relative = walker.nextObject() as? String {
      guard relative.hasSuffix("network-interfaces.json") else { continue }
      let data = try Data(contentsOf: URL(fileURLWithPath: inventoryPath + "/" + relative))
      let object = try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
      for item in object["NetworkInterfaces"] as? [[String: Any]] ?? [] {
        result[try #require(item["NetworkInterfaceId"] as? String)] = item
      }
    }
    return result
  }

  /// The `inventory` object the fixture's entry for `id` should give.
  static func expectedObject(_ eni: [String: Any]) -> [String: Any] {
    let privateAddresses = (eni["PrivateIpAddresses"] as? [[String: Any]] ?? []).compactMap {
      $0["PrivateIpAddress"] as? String
    }
    let ipv6 = (eni["Ipv6Addresses"] as? [[String: Any]] ?? []).compactMap { $0["Ipv6Address"] as? String }
    let publicIP = ((eni["Association"] as? [String: Any])?["PublicIp"] as? String).map { [$0] } ?? []
    return [
      "description": eni["Description"] as Any, "interface_type": eni["InterfaceType"] as Any,
      "instance_id": (eni["Attachment"] as? [String: Any])?["InstanceId"] as Any,
      "subnet_id": eni["SubnetId"] as Any, "vpc_id": eni["VpcId"] as Any,
      "security_groups": (eni["Groups"] as? [[String: Any]] ?? []).compactMap { $0["GroupId"] as? String },
      "addresses": privateAddresses + ipv6 + publicIP,
    ]
  }

  static func same(_ actual: [String: Any]?, _ expected: [String: Any]) -> Bool {
    guard let actual, Set(actual.keys) == Set(expected.keys) else { return false }
    for (key, value) in expected {
      let a = actual[key]
      if let list = value as? [String] {
        guard a as? [String] == list else { return false }
      } else if let text = value as? String {
        guard a as? String == text else { return false }
      } else {
        guard a is NSNull || a == nil else { return false }
      }
    }
    return true
  }

  /// v2 records over every fixture interface, one not in the inventory, and v5 records whose own
  /// vpc-id/subnet-id must win over the inventory's.
  struct Logs {
    var v2: [(eni: String, action: String)] = []
    var v5: [(eni: String, vpc: String, subnet: String, action: String)] = []

    static let enis = [
      "eni-0a1b2c3d4e5f60718", "eni-0f9e8d7c6b5a43210", "eni-0123456789abcdef0", "eni-0fedcba9876543210",
      "eni-05a5a5a5a5a5a5a5a", "eni-0a1b2c3d4e5f60901", "eni-0a1b2c3d4e5f60902", "eni-0a1b2c3d4e5f60903",
      "eni-0b2c3d4e5f6a70801", "eni-0b2c3d4e5f6a70802", "eni-0b2c3d4e5f6a70803", "eni-0ffffffffffffffff",
    ]

    init(seed: UInt64) {
      var random = SplitMix64(state: seed)
      for _ in 0..<400 {
        let eni = Self.enis[Int.random(in: 0..<Self.enis.count, using: &random)]
        let action = Bool.random(using: &random) ? "ACCEPT" : "REJECT"
        if Int.random(in: 0..<5, using: &random) == 0 {
          v5.append((eni, "vpc-fromlog\(Int.random(in: 1...2, using: &random))", "subnet-fromlog", action))
        } else {
          v2.append((eni, action))
        }
      }
    }

    func write(to directory: URL) throws -> [String] {
      var v2Text =
        "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n"
      for (index, record) in v2.enumerated() {
        v2Text +=
          "2 123456789012 \(record.eni) 198.51.100.\(index % 200 + 1) 10.0.1.10 40000 22 6 2 100 1700000000 1700000060 \(record.action) OK\n"
      }
      v2Text += "2 123456789012 eni-0a1b2c3d4e5f60718 - - - - - - - 1700000000 1700000060 - NODATA\n"
      var v5Text =
        "version interface-id vpc-id subnet-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n"
      for record in v5 {
        v5Text +=
          "5 \(record.eni) \(record.vpc) \(record.subnet) 198.51.100.9 10.0.1.10 40000 443 6 2 100 1700000000 1700000060 \(record.action) OK\n"
      }
      let a = directory.appendingPathComponent("v2.log")
      let b = directory.appendingPathComponent("v5.log")
      try Data(v2Text.utf8).write(to: a)
      try Data(v5Text.utf8).write(to: b)
      return [a.path, b.path]
    }
  }

  @Test("summary by_interface rows carry the inventory object of their interface; unknown interfaces none")
  func interfaceRows() throws {
    let interfaces = try Self.fixtureInterfaces()
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let files = try Logs(seed: 3).write(to: directory)
    let json = try CLI.run(["summary", "--inventory", Self.inventoryPath, "--format", "json", "--top", "0"] + files)
      .json()
    let rows = try #require(json["by_interface"] as? [[String: Any]])
    #expect(rows.count == Logs.enis.count)
    for row in rows {
      let id = try #require(row["interface_id"] as? String)
      if let eni = interfaces[id] {
        #expect(Self.same(row["inventory"] as? [String: Any], Self.expectedObject(eni)), "\(id)")
      } else {
        #expect(row["inventory"] == nil, "\(id)")
      }
    }
    // Without --inventory the output has no inventory object at all.
    let plain = try CLI.run(["summary", "--format", "json", "--top", "0"] + files).stdout
    #expect(!plain.contains("\"inventory\""))
  }

  @Test(
    "summary --by KEY joins v2 records with the inventory, for every --jobs",
    arguments: ["subnet", "vpc", "security-group", "interface-type"])
  func byInventoryKey(key: String) throws {
    let interfaces = try Self.fixtureInterfaces()
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let logs = Logs(seed: 5)
    let files = try logs.write(to: directory)
    func value(_ eni: String) -> String? {
      guard let entry = interfaces[eni] else { return nil }
      switch key {
      case "subnet": return entry["SubnetId"] as? String
      case "vpc": return entry["VpcId"] as? String
      case "interface-type": return entry["InterfaceType"] as? String
      default:
        let groups = (entry["Groups"] as? [[String: Any]] ?? []).compactMap { $0["GroupId"] as? String }.sorted()
        return groups.isEmpty ? nil : groups.joined(separator: "+")
      }
    }
    var expected: [String: (accept: Int, reject: Int)] = [:]
    func count(_ group: String?, _ action: String) {
      let k = group ?? "<null>"
      var c = expected[k] ?? (0, 0)
      if action == "ACCEPT" { c.accept += 1 } else { c.reject += 1 }
      expected[k] = c
    }
    for record in logs.v2 { count(value(record.eni), record.action) }
    for record in logs.v5 {
      switch key {
      case "subnet": count(record.subnet, record.action)
      case "vpc": count(record.vpc, record.action)
      default: count(value(record.eni), record.action)
      }
    }
    var outputs: [String] = []
    for jobs in ["1", "3"] {
      let result = try CLI.run(
        ["summary", "--inventory", Self.inventoryPath, "--by", key, "--format", "json", "--top", "0", "--jobs", jobs]
          + (jobs == "1" ? files : files.reversed()))
      #expect(result.status == 0, "\(result.stderr)")
      outputs.append(result.stdout)
    }
    #expect(outputs[0] == outputs[1])
    let json = try #require(JSONSerialization.jsonObject(with: Data(outputs[0].utf8)) as? [String: Any])
    let rows = try #require((json["by"] as? [String: Any])?["rows"] as? [[String: Any]])
    let column = key.replacingOccurrences(of: "-", with: "_")
    var actual: [String: (accept: Int, reject: Int)] = [:]
    for row in rows {
      actual[row[column] as? String ?? "<null>"] = (row["accept"] as? Int ?? -1, row["reject"] as? Int ?? -1)
    }
    #expect(actual.count == expected.count)
    for (group, counts) in expected {
      #expect(actual[group]?.accept == counts.accept && actual[group]?.reject == counts.reject, "\(key) \(group)")
    }
  }

  @Test("--by security-group or interface-type without --inventory is a usage error")
  func needsInventory() throws {
    for key in ["security-group", "interface-type"] {
      let result = try CLI.run(["summary", "--by", key, "Fixtures/sample"])
      #expect(result.status == 2)
      #expect(result.stderr.contains("needs --inventory"))
    }
  }

  @Test("audit findings carry the inventory object of their interface; without --inventory the output is unchanged")
  func findings() throws {
    let interfaces = try Self.fixtureInterfaces()
    let with = try CLI.run(["audit", "--inventory", Self.inventoryPath, "--format", "json", "Fixtures/sample"])
    let without = try CLI.run(["audit", "--format", "json", "Fixtures/sample"])
    let findings = try #require(try with.json()["findings"] as? [[String: Any]])
    let plain = try #require(try without.json()["findings"] as? [[String: Any]])
    #expect(findings.count == plain.count && !findings.isEmpty)
    #expect(!without.stdout.contains("\"inventory\""))
    for finding in findings {
      if let id = finding["interface_id"] as? String, let eni = interfaces[id] {
        #expect(Self.same(finding["inventory"] as? [String: Any], Self.expectedObject(eni)), "\(id)")
      } else {
        #expect(finding["inventory"] == nil)
      }
    }
  }

  @Test("text and Markdown summaries show each interface's type and description; without --inventory they do not")
  func textAndMarkdownRows() throws {
    let interfaces = try Self.fixtureInterfaces()
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let files = try Logs(seed: 5).write(to: directory)
    let text = try CLI.run(["summary", "--inventory", Self.inventoryPath, "--top", "0"] + files).stdout
    let markdown = try CLI.run(
      ["summary", "--inventory", Self.inventoryPath, "--format", "markdown", "--top", "0"] + files
    )
    .stdout
    #expect(text.contains("INTERFACE             TYPE"))
    #expect(markdown.contains("| Interface | Type | Description | ACCEPT |"))
    for id in Logs.enis {
      let textRow = try #require(text.split(separator: "\n").first { $0.hasPrefix("  \(id) ") }, "\(id)")
      let markdownRow = try #require(markdown.split(separator: "\n").first { $0.hasPrefix("| \(id) |") }, "\(id)")
      let cells = markdownRow.split(separator: "|", omittingEmptySubsequences: false).map {
        $0.trimmingCharacters(in: .whitespaces)
      }
      guard let eni = interfaces[id] else {
        #expect(cells[2] == "" && cells[3] == "", "\(id)")
        continue
      }
      let type = eni["InterfaceType"] as? String ?? ""
      let description = eni["Description"] as? String ?? ""
      #expect(cells[2] == Self.markdownEscaped(type), "\(id)")
      #expect(cells[3] == Self.markdownEscaped(description), "\(id)")
      #expect(textRow.contains(" \(type) "), "\(id)")
      let shown = description.count > 40 ? String(description.prefix(39)) + "…" : description
      #expect(textRow.contains(shown), "\(id)")
    }
    // Without --inventory: the plain columns only.
    let plain = try CLI.run(["summary", "--top", "0"] + files).stdout
    #expect(plain.contains("  INTERFACE             ACCEPT"))
    #expect(!plain.contains("DESCRIPTION"))
  }

  /// GitHub Markdown text as the renderer must escape it: a backslash before markup characters,
  /// HTML entities for `<`, `>` and `&`.
  static func markdownEscaped(_ text: String) -> String {
    var out = ""
    for character in text {
      switch character {
      case "<": out += "&lt;"
      case ">": out += "&gt;"
      case "&": out += "&amp;"
      case _ where "\\|`*_[]~$#!".contains(character): out += "\\" + String(character)
      default: out.append(character)
      }
    }
    return out
  }

  @Test("audit text names the interface of each finding from the inventory")
  func auditText() throws {
    let interfaces = try Self.fixtureInterfaces()
    let json = try CLI.run(["audit", "--inventory", Self.inventoryPath, "--format", "json", "Fixtures/sample"]).json()
    let text = try CLI.run(["audit", "--inventory", Self.inventoryPath, "Fixtures/sample"]).stdout
    let plain = try CLI.run(["audit", "Fixtures/sample"]).stdout
    #expect(!plain.contains("    interface: "))
    let named = (json["findings"] as? [[String: Any]] ?? []).compactMap { $0["interface_id"] as? String }
      .filter { interfaces[$0] != nil }
    #expect(!named.isEmpty)
    for id in Set(named) {
      let eni = try #require(interfaces[id])
      var line = "    interface: \(eni["InterfaceType"] as? String ?? "interface")"
      if let description = eni["Description"] as? String, !description.isEmpty { line += " \"\(description)\"" }
      #expect(text.contains(line), "\(id)")
    }
    #expect(text.components(separatedBy: "\n    interface: ").count - 1 == named.count)
  }
}
