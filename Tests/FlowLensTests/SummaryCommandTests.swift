import Foundation
import Testing

@Suite("flowlens summary")
struct SummaryCommandTests {
  @Test("JSON totals of the bundled sample equal the counts its generator kept")
  func sampleTotals() throws {
    let output = try CLI.run(["summary", "--format", "json", "Fixtures/sample"])
    #expect(output.status == 0)
    #expect(output.stderr == "")
    let json = try output.json()
    let expected = try #require(
      JSONSerialization.jsonObject(
        with: Data(contentsOf: CLI.root.appendingPathComponent("Fixtures/sample-expected-totals.json")))
        as? [String: Any]
    ).compactMapValues { $0 as? Int }
    let records = try #require(json["records"] as? [String: Any])
    let inputs = try #require(json["inputs"] as? [String: Any])
    for key in ["accept", "reject", "nodata", "skipdata", "packets", "bytes", "headers", "malformed", "blank"] {
      #expect(records[key] as? Int == expected[key], "\(key)")
    }
    #expect(records["total"] as? Int == expected["records"])
    #expect(inputs["lines"] as? Int == expected["lines"])
    #expect(inputs["files"] as? Int == expected["files"])
    let lines = try #require(inputs["lines"] as? Int)
    let sum = ["headers", "total", "malformed", "blank"].compactMap { records[$0] as? Int }.reduce(0, +)
    #expect(lines == sum)
  }

  @Test("JSON keys and table rows as the design gives them")
  func jsonShape() throws {
    let log = """
      version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status
      2 123456789010 eni-1235b8ca123456789 203.0.113.12 172.31.16.21 20641 22 6 20 4249 1418530010 1418530070 ACCEPT OK
      2 123456789010 eni-1235b8ca123456789 203.0.113.200 172.31.16.21 49761 3389 6 20 4249 1418530010 1418530070 REJECT OK
      2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - NODATA
      this line is broken

      """
    let output = try CLI.run(["summary", "--format", "json", "-"], stdin: Data(log.utf8))
    #expect(output.status == 0)
    let json = try output.json()
    let records = try #require(json["records"] as? [String: Int])
    #expect(
      records == [
        "total": 3, "accept": 1, "reject": 1, "nodata": 1, "skipdata": 0, "malformed": 1, "headers": 1, "blank": 0,
        "packets": 40, "bytes": 8498,
      ])
    let time = try #require(json["time"] as? [String: Int])
    #expect(time == ["first_start": 1_418_530_010, "last_end": 1_431_280_934])
    let interfaces = try #require(json["by_interface"] as? [[String: Any]])
    #expect(interfaces.count == 1)
    #expect(interfaces[0]["interface_id"] as? String == "eni-1235b8ca123456789")
    #expect(interfaces[0]["accept"] as? Int == 1)
    #expect(interfaces[0]["reject"] as? Int == 1)
    let ports = try #require(json["by_port"] as? [[String: Int]])
    #expect(
      ports == [
        ["port": 22, "protocol": 6, "accept": 1, "reject": 0, "packets": 20, "bytes": 4249],
        ["port": 3389, "protocol": 6, "accept": 0, "reject": 1, "packets": 20, "bytes": 4249],
      ])
    let sources = try #require(json["by_source_cidr"] as? [[String: Any]])
    #expect(sources.map { $0["cidr"] as? String } == ["203.0.113.0/24"])
    #expect(sources.first?["reject"] as? Int == 1)
    let issues = try #require(json["issues"] as? [[String: Any]])
    #expect(issues.count == 1)
    #expect(issues[0]["file"] as? String == "-")
    #expect(issues[0]["line"] as? Int == 5)
    #expect(issues[0]["reason"] as? String == "expected 14 fields, found 4")
    #expect(output.stderr.contains("flowlens: -:5: expected 14 fields, found 4"))
    #expect(output.stderr.contains("1 of 5 lines rejected"))
  }

  @Test("--top, --source-prefix and --source-prefix6")
  func options() throws {
    let log = """
      2 1 eni-a 203.0.113.12 10.0.0.1 1 22 6 1 1 1 2 ACCEPT OK
      2 1 eni-b 203.0.114.12 10.0.0.1 1 22 6 1 1 1 2 ACCEPT OK
      2 1 eni-b 2001:db8:aa:bb::1 10.0.0.1 1 443 6 1 1 1 2 ACCEPT OK

      """
    let output = try CLI.run(
      ["summary", "--format", "json", "--top", "1", "--source-prefix", "16", "--source-prefix6", "32"],
      stdin: Data(log.utf8))
    let json = try output.json()
    let sources = try #require(json["by_source_cidr"] as? [[String: Any]])
    #expect(sources.map { $0["cidr"] as? String } == ["203.0.0.0/16"])
    #expect((json["by_interface"] as? [[String: Any]])?.first?["interface_id"] as? String == "eni-b")
    #expect((json["table_sizes"] as? [String: Int]) == ["by_interface": 2, "by_port": 2, "by_source_cidr": 2])
  }

  @Test("text and CSV formats")
  func textAndCSV() throws {
    let text = try CLI.run(["summary", "Fixtures/sample"])
    #expect(text.status == 0)
    #expect(text.stdout.contains("Lines     401 = 4 headers + 397 records + 0 malformed + 0 blank"))
    #expect(text.stdout.contains("eni-0a1b2c3d4e5f60718"))
    let csv = try CLI.run(["summary", "--format", "csv", "--top", "0", "Fixtures/sample"])
    let rows = csv.stdout.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false) }
    #expect(rows.first?.joined(separator: ",") == "table,key,protocol,accept,reject,packets,bytes")
    #expect(rows.allSatisfy { $0.count == 7 })
    #expect(rows.filter { $0[0] == "by_interface" }.count == 5)
    #expect(rows.contains { $0[0] == "by_port" && $0[1] == "443" && $0[2] == "6" })
  }
}

@Suite("Exit codes and errors")
struct ExitCodeTests {
  @Test("a missing input: error on stderr, exit 2, other inputs still counted")
  func missingInput() throws {
    let output = try CLI.run(["summary", "--format", "json", "/nonexistent/x.log", "Fixtures/sample/custom-v5.log"])
    #expect(output.status == 2)
    #expect(output.stderr.contains("flowlens: /nonexistent/x.log: No such file or directory"))
    #expect((try output.json()["records"] as? [String: Any])?["total"] as? Int == 40)
  }

  @Test(
    "usage errors exit with 2",
    arguments: [
      ["summary", "--top", "-1"], ["summary", "--log-format", "${version} ${nope}"], ["summary", "--format", "xml"],
      ["summary", "--source-prefix", "33"], ["nosuchcommand"], ["records", "--format", "json"],
    ])
  func usage(arguments: [String]) throws {
    let output = try CLI.run(arguments, stdin: Data())
    #expect(output.status == 2)
    #expect(!output.stderr.isEmpty)
    #expect(output.stdout.isEmpty)
  }

  @Test("--log-format names the bad field")
  func badLogFormat() throws {
    let output = try CLI.run(["summary", "--log-format", "${version} ${nope}"], stdin: Data())
    #expect(output.stderr.contains("unknown field name '${nope}'"))
  }

  @Test("malformed lines exit 0, or 2 with --strict")
  func strict() throws {
    let log = Data("2 1 eni-a 10.0.0.1 10.0.0.2 1 22 6 1 1 1 2 ACCEPT OK\nnot a record\n".utf8)
    #expect(try CLI.run(["summary"], stdin: log).status == 0)
    #expect(try CLI.run(["summary", "--strict"], stdin: log).status == 2)
    #expect(
      try CLI.run(["summary", "--strict"], stdin: Data("2 1 eni-a 10.0.0.1 10.0.0.2 1 22 6 1 1 1 2 ACCEPT OK\n".utf8))
        .status == 0)
  }

  @Test("a truncated gzip file: error with the byte offset, exit 2, good records counted")
  func truncatedGzip() throws {
    let file = try CLI.sampleGzipObject()
    let whole = try Data(contentsOf: file)
    let cut = whole.prefix(whole.count * 2 / 3)
    let output = try CLI.run(["summary", "--format", "json", "-"], stdin: cut)
    #expect(output.status == 2)
    #expect(output.stderr.contains("flowlens: -: byte "))
    #expect(output.stderr.contains("gzip stream is truncated"))
    let records = try #require(try output.json()["records"] as? [String: Int])
    #expect(records["total"]! > 0)
    #expect(records["total"]! < 119)
  }

  @Test("--help and --version exit 0")
  func help() throws {
    #expect(try CLI.run(["--help"]).status == 0)
    #expect(try CLI.run(["summary", "--help"]).stdout.contains("--source-prefix6"))
    #expect(try CLI.run(["--version"]).status == 0)
  }
}

@Suite("Output safety")
struct OutputSafetyTests {
  @Test("control characters from log data never reach the terminal: such a line is malformed")
  func terminal() throws {
    let log =
      "interface-id srcaddr dstport protocol action\neni-\u{1B}[31mred\u{07} 10.0.0.1 22 6 ACCEPT\neni-b 10.0.0.2 22 6 ACCEPT\n"
    let output = try CLI.run(["summary"], stdin: Data(log.utf8))
    #expect(output.status == 0)
    for stream in [output.stdout, output.stderr] {
      #expect(!stream.contains("\u{1B}"))
      #expect(!stream.contains("\u{07}"))
    }
    #expect(output.stderr.contains("-:2: interface-id: 'eni-\\x1B[31mred\\x07' contains a control character"))
    let json = try CLI.run(["summary", "--format", "json"], stdin: Data(log.utf8)).json()
    #expect((json["records"] as? [String: Any])?["malformed"] as? Int == 1)
  }
}

@Suite("One definition of a record")
struct OneRecordDefinitionTests {
  /// Four good lines (one NODATA) and six lines with one bad field each: some of the bad fields
  /// are ones `summary` does not report on (version, dstaddr, srcport, interface-id's bytes).
  static let mixed: String = {
    let good = "2 123456789012 eni-a 10.0.0.1 10.0.1.5 40000 22 6 10 840 1700000000 1700000060 ACCEPT OK"
    return [
      good,
      "x 123456789012 eni-a 10.0.0.1 10.0.1.5 40000 22 6 10 840 1700000000 1700000060 ACCEPT OK",
      "2 123456789012 eni-a 10.0.0.1 10.0.1.999 40000 22 6 10 840 1700000000 1700000060 ACCEPT OK",
      "2 123456789012 eni-b 203.0.113.9 10.0.1.5 40001 443 6 3 180 1700000000 1700000060 REJECT OK",
      "2 123456789012 eni-a 10.0.0.1 10.0.1.5 70000 22 6 10 840 1700000000 1700000060 ACCEPT OK",
      "2 123456789012 eni-a 10.0.0.1 10.0.1.5 40000 22 6 10 840 1700000000 1700000060 ACCEPT BOGUS",
      "2 123456789012 eni-\u{0}a 10.0.0.1 10.0.1.5 40000 22 6 10 840 1700000000 1700000060 ACCEPT OK",
      "2 123456789012 eni-a 10.0.0.1 10.0.1.5 40000 22 6 10 4x0 1700000000 1700000060 ACCEPT OK",
      "2 123456789012 eni-c - - - - - - - 1700000000 1700000060 - NODATA",
      good,
    ].joined(separator: "\n") + "\n"
  }()

  /// The reasons, by line, as a person would write them from the lines above.
  static let reasons = [
    "mixed.log:2: version: 'x' is not an unsigned integer",
    "mixed.log:3: dstaddr: '10.0.1.999' is not an IPv4 or IPv6 address",
    "mixed.log:5: srcport: '70000' is out of range (0-65535)",
    "mixed.log:6: log-status: 'BOGUS' is not OK, NODATA or SKIPDATA",
    "mixed.log:7: interface-id: 'eni-\\x00a' contains a control character",
    "mixed.log:8: bytes: '4x0' is not an unsigned integer",
  ]

  static func diagnostics(_ stderr: String) -> [String] {
    stderr.split(separator: "\n").compactMap { line in
      guard let range = line.range(of: "mixed.log:") else { return nil }
      return String(line[range.lowerBound...])
    }
  }

  @Test(
    "every command counts the same records and rejects the same lines for the same reasons",
    arguments: [["summary", "--format", "json"], ["audit", "--format", "json"], ["report", "--format", "json"]])
  func sameCounts(command: [String]) throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "flowlens-mixed-\(getpid())-\(command[0])")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("mixed.log").path
    try Data(Self.mixed.utf8).write(to: URL(fileURLWithPath: path))
    let output = try CLI.run(command + [path])
    let records = try #require(output.json()["records"] as? [String: Any])
    #expect(records["total"] as? Int == 4)
    #expect(records["malformed"] as? Int == 6)
    #expect(Self.diagnostics(output.stderr) == Self.reasons)
  }

  @Test("records prints exactly the records summary counts, and says the same about the rest")
  func recordsAgrees() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("flowlens-mixed-\(getpid())-records")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("mixed.log").path
    try Data(Self.mixed.utf8).write(to: URL(fileURLWithPath: path))
    let output = try CLI.run(["records", path])
    let rows = output.stdout.split(separator: "\n")
    #expect(rows.count == 4)
    #expect(rows.filter { $0.contains("\"eni-a\"") }.count == 2)
    #expect(Self.diagnostics(output.stderr) == Self.reasons)
    #expect(output.stderr.contains("6 of 10 lines rejected as malformed"))
  }
}

@Suite("Bounded tables")
struct BoundedTablesTests {
  @Test("--source-capacity: past it the JSON says the source table is approximate, and by how much")
  func approximate() throws {
    var log = ""
    for i in 0..<40 { log += "2 1 eni-a 10.\(i).1.1 10.0.0.2 1 22 6 1 1 1 2 REJECT OK\n" }
    let capped = try CLI.run(["summary", "--format", "json", "--source-capacity", "16"], stdin: Data(log.utf8)).json()
    let approximate = try #require(capped["approximate"] as? [String: Any])
    #expect(approximate["table"] as? String == "by_source_cidr")
    #expect(approximate["kept_keys"] as? Int == 16)
    #expect((approximate["maximum_error"] as? Int ?? 0) >= 1)
    #expect((capped["records"] as? [String: Any])?["reject"] as? Int == 40)  // totals stay exact
    let exact = try CLI.run(["summary", "--format", "json"], stdin: Data(log.utf8)).json()
    #expect(exact["approximate"] == nil)
    #expect((exact["table_sizes"] as? [String: Int])?["by_source_cidr"] == 40)
  }
}
