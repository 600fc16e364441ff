import Foundation
import Testing

@Suite("flowlens audit")
struct AuditCommandTests {
  static func findings(_ output: CLI.Output) throws -> [[String: Any]] {
    try #require(try output.json()["findings"] as? [[String: Any]])
  }

  @Test("the sample against its policy: exactly the SSH sessions the generator planted, and no corporate SSH")
  func samplePolicy() throws {
    let output = try CLI.run([
      "audit", "--policy", "Fixtures/policies/corporate.yaml", "--format", "json", "Fixtures/sample",
    ])
    #expect(output.status == 0)
    let expected = try #require(
      JSONSerialization.jsonObject(
        with: Data(contentsOf: CLI.root.appendingPathComponent("Fixtures/sample-expected-totals.json")))
        as? [String: Any])
    let planted = try #require(expected["ssh_from_internet"] as? [[String]])
    let ssh = try Self.findings(output).filter { $0["rule"] as? String == "ssh-from-corporate" }
    let found = ssh.map { [$0["interface_id"] as? String ?? "", $0["source"] as? String ?? ""] }
    #expect(Set(found) == Set(planted))
    for finding in ssh {
      #expect(finding["severity"] as? String == "high")
      #expect(finding["port"] as? Int == 22)
      #expect(finding["protocol"] as? Int == 6)
      #expect(finding["action"] as? String == "ACCEPT")
      let evidence = try #require(finding["evidence"] as? [String: Any])
      #expect((evidence["file"] as? String)?.hasSuffix(".log.gz") == true)
      #expect((evidence["line"] as? Int ?? 0) > 1)
    }
    let records = try #require(try output.json()["records"] as? [String: Any])
    #expect(records["total"] as? Int == expected["records"] as? Int)
    #expect(records["accept"] as? Int == expected["accept"] as? Int)
  }

  @Test("without --policy the built-in policy applies; policy init writes the same policy")
  func builtInEqualsTemplate() throws {
    let builtIn = try CLI.run(["audit", "--format", "json", "Fixtures/sample"])
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("flowlens-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("policy.yaml").path
    #expect(try CLI.run(["policy", "init", "-o", file]).status == 0)
    #expect(try CLI.run(["policy", "init", "-o", file]).status == 2)  // never overwrites
    let fromFile = try CLI.run(["audit", "--format", "json", "--policy", file, "Fixtures/sample"])
    #expect(try Self.findings(builtIn).count == Self.findings(fromFile).count)
    #expect(try builtIn.json()["policy"] as? String == "built-in")
    let rules = Set(try Self.findings(builtIn).compactMap { $0["rule"] as? String })
    #expect(rules.isSuperset(of: ["admin-exposure", "nacl-return-blocked", "coverage-gap", "nat-endpoint-candidate"]))
  }

  @Test(
    "--findings-per-rule lists the heaviest and counts the rest; --source-capacity makes the tables approximate and says so"
  )
  func limits() throws {
    let all = try Self.findings(
      try CLI.run(["audit", "--format", "json", "--findings-per-rule", "0", "Fixtures/sample"]))
    let perRule = Dictionary(grouping: all, by: { $0["rule"] as? String ?? "" })
    let busiest = try #require(perRule.max { $0.value.count < $1.value.count })
    #expect(busiest.value.count >= 3)
    let limited = try CLI.run(["audit", "--format", "json", "--findings-per-rule", "2", "Fixtures/sample"])
    let listed = try Self.findings(limited).filter { $0["rule"] as? String == busiest.key }
    #expect(listed.count == 2)
    let heaviest = busiest.value.compactMap { $0["records"] as? Int }.sorted(by: >)
    #expect(listed.compactMap { $0["records"] as? Int }.sorted(by: >) == Array(heaviest.prefix(2)))
    let omitted = try #require(try limited.json()["omitted_findings"] as? [[String: Any]])
    let row = try #require(omitted.first { $0["rule"] as? String == busiest.key })
    #expect(row["count"] as? Int == busiest.value.count - 2)
    #expect(row["records"] as? Int == heaviest.dropFirst(2).reduce(0, +))
    let text = try CLI.run(["audit", "--findings-per-rule", "2", "Fixtures/sample"]).stdout
    #expect(text.contains("… \(busiest.value.count - 2) more \(busiest.key) findings"))
    #expect(text.contains("\(all.count) findings:"))

    // SSH accepted from 100 internet sources, one of them 50 times: 100 admin-exposure groups.
    var lines = (1...100).map { "2 1 eni-a 203.0.113.\($0) 10.0.0.5 40000 22 6 1 44 1700000000 1700000001 ACCEPT OK" }
    lines += Array(
      repeating: "2 1 eni-a 198.51.100.7 10.0.0.5 40000 22 6 1 44 1700000000 1700000001 ACCEPT OK", count: 50)
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("flowlens-\(UUID().uuidString).log")
    try lines.joined(separator: "\n").write(to: file, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: file) }
    let capped = try CLI.run(["audit", "--format", "json", "--source-capacity", "16", "--jobs", "1", file.path])
    #expect(capped.status == 0)
    let approximate = try #require(try capped.json()["approximate"] as? [[String: Any]])
    #expect(approximate.map { $0["table"] as? String } == ["allow_list"])
    #expect(approximate.first?["kept_keys"] as? Int == 16)
    let kept = try Self.findings(capped).first { $0["source"] as? String == "198.51.100.7" }
    #expect(kept?["records"] as? Int == 50)
    #expect(
      try CLI.run(["audit", "--source-capacity", "16", file.path]).stdout.contains("Approximate: the allow_list table"))
    let exact = try CLI.run(["audit", "--format", "json", file.path])
    #expect(try exact.json()["approximate"] == nil)
    #expect(try Self.findings(exact).count == 101)
  }

  @Test("--fail-on: 1 when a finding is at or above the severity, 0 otherwise")
  func failOn() throws {
    let policy = "Fixtures/policies/corporate.yaml"
    #expect(try CLI.run(["audit", "--policy", policy, "--fail-on", "high", "Fixtures/sample"]).status == 1)
    #expect(try CLI.run(["audit", "--policy", policy, "--fail-on", "critical", "Fixtures/sample"]).status == 0)
    #expect(try CLI.run(["audit", "--policy", policy, "Fixtures/sample"]).status == 0)
    #expect(try CLI.run(["audit", "--fail-on", "severe", "Fixtures/sample"]).status == 2)
    #expect(try CLI.run(["audit", "--fail-on", "HIGH", "--policy", policy, "Fixtures/sample"]).status == 1)
  }

  @Test("--fail-on names the severities in --help and in the message for a bad one")
  func failOnValues() throws {
    let bad = try CLI.run(["audit", "--fail-on", "severe", "Fixtures/sample"])
    #expect(bad.stderr.contains("'severe'"))
    #expect(bad.stderr.contains("'info', 'low', 'medium', 'high' or 'critical'"))
    #expect(try CLI.run(["audit", "--help"]).stdout.contains("info, low, medium, high, critical"))
  }

  @Test("a bad policy file: exit 2 with the file, line and key")
  func badPolicy() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("flowlens-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("bad.yaml")
    try
      "version: 1\nnetworks:\n  corp: [198.51.100.0/24]\nrules:\n  - id: x\n    ports: [22]\n    allow_from: [corporate]\n"
      .write(to: file, atomically: true, encoding: .utf8)
    let output = try CLI.run(["audit", "--policy", file.path, "Fixtures/sample"])
    #expect(output.status == 2)
    #expect(output.stderr.contains("\(file.path):7:"))
    #expect(output.stderr.contains("rules[0].allow_from"))
    #expect(output.stdout.isEmpty)
    let check = try CLI.run(["policy", "check", file.path])
    #expect(check.status == 2)
    #expect(try CLI.run(["policy", "check", "Fixtures/policies/corporate.yaml"]).stdout.contains("3 rules"))
  }

  @Test("NDJSON and text formats")
  func formats() throws {
    let ndjson = try CLI.run([
      "audit", "--policy", "Fixtures/policies/corporate.yaml", "--format", "ndjson", "Fixtures/sample",
    ])
    let lines = ndjson.stdout.split(separator: "\n")
    let json = try CLI.run([
      "audit", "--policy", "Fixtures/policies/corporate.yaml", "--format", "json", "Fixtures/sample",
    ])
    #expect(lines.count == (try Self.findings(json)).count)
    let first = try #require(JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
    #expect(first["severity"] as? String == "high")
    let text = try CLI.run(["audit", "--policy", "Fixtures/policies/corporate.yaml", "Fixtures/sample"])
    let high = try #require(text.stdout.range(of: "HIGH (3)"))
    let medium = try #require(text.stdout.range(of: "MEDIUM ("))
    #expect(high.lowerBound < medium.lowerBound)
    #expect(text.stdout.contains("evidence: Fixtures/sample/"))
  }

  @Test("findings are the same whatever the order of the inputs")
  func inputOrder() throws {
    let files = try FileManager.default.subpathsOfDirectory(
      atPath: CLI.root.appendingPathComponent("Fixtures/sample").path
    )
    .filter { $0.hasSuffix(".gz") || $0.hasSuffix(".log") }.map { "Fixtures/sample/" + $0 }.sorted()
    let forward = try CLI.run(["audit", "--format", "json"] + files).json()["findings"] as? NSArray
    let backward = try CLI.run(["audit", "--format", "json"] + files.reversed()).json()["findings"] as? NSArray
    #expect(forward != nil)
    #expect(forward == backward)
  }

  /// Issue 10's case: 12,000 public sources each ACCEPTed on port 22 in one file, and a tiny second
  /// file. Every --jobs value must find all 12,000 below the capacity, byte for byte the same
  /// JSON, and say "approximate" when the capacity is below the number of sources.
  @Test("admin-exposure is exact and identical for every --jobs below --source-capacity; approximate above it")
  func workersDoNotCutTables() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("flowlens-jobs-\(getpid())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    var text = ""
    for i in 0..<12_000 {
      text +=
        "2 123456789012 eni-a \(11 + i / 65_536).\(i / 256 % 256).\(i % 256).7 10.0.1.9 40000 22 6 3 180 1700000000 1700000060 ACCEPT OK\n"
    }
    let big = directory.appendingPathComponent("ssh.log").path
    let tiny = directory.appendingPathComponent("tiny.log").path
    try Data(text.utf8).write(to: URL(fileURLWithPath: big))
    try Data("2 123456789012 eni-b 10.0.0.1 10.0.1.9 40000 443 6 3 180 1700000000 1700000060 ACCEPT OK\n".utf8)
      .write(to: URL(fileURLWithPath: tiny))

    func adminExposures(_ json: [String: Any]) -> Int {
      let kept = (json["findings"] as? [[String: Any]] ?? []).filter { $0["rule"] as? String == "admin-exposure" }.count
      let omitted = (json["omitted_findings"] as? [[String: Any]] ?? []).filter {
        $0["rule"] as? String == "admin-exposure"
      }
      return kept + omitted.reduce(0) { $0 + ($1["count"] as? Int ?? 0) }
    }
    var first: String? = nil
    var firstOthers: [String]? = nil
    for jobs in ["1", "2", "4"] {
      // The summary and the report of the same inputs: byte for byte the same for every --jobs.
      let others = try [
        CLI.run(["summary", "--format", "json", "--top", "0", "--jobs", jobs, "--source-capacity", "16384", big, tiny])
          .stdout,
        CLI.run(["report", "--format", "json", "--jobs", jobs, "--source-capacity", "16384", big, tiny]).stdout,
      ]
      if let firstOthers { #expect(others == firstOthers, "--jobs \(jobs)") } else { firstOthers = others }
      let exact = try CLI.run(["audit", "--format", "json", "--jobs", jobs, "--source-capacity", "16384", big, tiny])
      let json = try exact.json()
      #expect(adminExposures(json) == 12_000, "--jobs \(jobs)")
      #expect(json["approximate"] == nil, "--jobs \(jobs)")
      if let first { #expect(exact.stdout == first, "--jobs \(jobs)") } else { first = exact.stdout }

      let capped = try CLI.run(["audit", "--jobs", jobs, "--source-capacity", "4096", big, tiny])
      #expect(capped.stdout.contains("Approximate:"), "--jobs \(jobs)")
      let cappedJSON = try CLI.run([
        "audit", "--format", "json", "--jobs", jobs, "--source-capacity", "4096", big, tiny,
      ]).json()
      let tables = (cappedJSON["approximate"] as? [[String: Any]] ?? []).compactMap { $0["table"] as? String }
      #expect(tables.contains("allow_list"), "--jobs \(jobs)")
    }
  }
}
