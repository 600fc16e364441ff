import Foundation
import Testing

/// What every output says in words: nouns that agree with their numbers, sizes in one unit system,
/// an empty `allow_from` said as such, and typed JSON details. Checked over the real outputs of
/// every command and format, on inputs built so that counts of exactly one occur.
@Suite("Wording, units and typed details in every output")
struct WordingTests {
  /// A directory of small inputs (in the system's temporary directory; a few hundred bytes).
  static let directory: URL = {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "flowlens-wording-\(UUID().uuidString)")
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
  }()

  static func file(_ name: String, _ text: String) throws -> String {
    let url = directory.appendingPathComponent(name)
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
  }

  static func line(_ src: String, _ dport: Int, action: String = "ACCEPT", packets: Int = 1, bytes: Int = 44) -> String
  {
    "2 1 eni-a \(src) 10.0.0.5 40000 \(dport) 6 \(packets) \(bytes) 1700000000 1700000001 \(action) OK"
  }

  /// One header, one record with one packet, and one malformed line: every count is 1.
  static func oneOfEach() throws -> String {
    try file(
      "one.log",
      "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n"
        + line("203.0.113.9", 22) + "\nnot a record\n")
  }

  /// A policy with one network and one rule whose `allow_from` is empty.
  static func closedPolicy() throws -> String {
    try file(
      "closed.yaml",
      "version: 1\nnetworks:\n  corporate: [198.51.100.0/24]\nrules:\n  - id: closed\n    ports: [2222]\n    allow_from: []\n"
    )
  }

  /// v5 records through a NAT gateway to S3: 2,000,000,000 bytes (1.86 GiB, "2.0 GB" in decimal
  /// units), and 512 bytes to DynamoDB (which a MB formatter calls "0.0 MB").
  static func natLog() throws -> String {
    try file(
      "nat.log",
      """
      version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status flow-direction traffic-path pkt-dst-aws-service interface-type
      11 eni-nat 10.0.1.9 52.216.8.1 40000 443 6 1000 2000000000 1700000000 1700000060 ACCEPT OK egress 8 S3 nat_gateway
      11 eni-nat 10.0.1.9 52.94.1.1 40003 443 6 1 512 1700000000 1700000060 ACCEPT OK egress 8 DYNAMODB nat_gateway

      """)
  }

  /// 40 REJECTed ports from one source in one window: a port scan whose distinct count is an
  /// estimate (exact only below 32).
  static func scanLog() throws -> String {
    try file(
      "scan.log", (1000..<1040).map { line("45.155.205.99", $0, action: "REJECT") }.joined(separator: "\n") + "\n")
  }

  /// SSH from 20 sources in 20 prefixes, one record each: past a capacity of 16 the tables are approximate.
  static func manySources() throws -> String {
    try file("many.log", (1...20).map { line("203.0.\($0).9", 22) }.joined(separator: "\n") + "\n")
  }

  /// Every text the commands print for these inputs, by a name for failure messages.
  static func outputs() throws -> [(name: String, text: String)] {
    let one = try oneOfEach()
    let closed = try closedPolicy()
    let nat = try natLog()
    let many = try manySources()
    let report = directory.appendingPathComponent("one.html").path
    var runs: [(String, [String])] = [
      ("summary text", ["summary", one]), ("summary markdown", ["summary", "--format", "markdown", one]),
      ("summary approximate", ["summary", "--jobs", "1", "--source-capacity", "16", many]),
      ("audit text", ["audit", "--policy", closed, one]), ("audit markdown", ["audit", "--format", "markdown", one]),
      ("audit json", ["audit", "--format", "json", "--policy", closed, one]),
      ("audit nat text", ["audit", nat]), ("audit nat json", ["audit", "--format", "json", nat]),
      ("audit scan text", ["audit", try scanLog()]),
      ("audit approximate", ["audit", "--jobs", "1", "--source-capacity", "16", many]),
      ("audit omitted", ["audit", "--findings-per-rule", "19", many]),
      ("policy check", ["policy", "check", closed]),
      ("summary sample", ["summary", "Fixtures/sample"]), ("audit sample", ["audit", "Fixtures/sample"]),
    ]
    var outputs: [(name: String, text: String)] = []
    for (name, arguments) in runs {
      let output = try CLI.run(arguments)
      outputs.append((name, output.stdout))
      outputs.append((name + " (stderr)", output.stderr))
    }
    runs = [("report html", ["report", "-o", report, "--policy", closed, one])]
    for (name, arguments) in runs {
      let output = try CLI.run(arguments)
      #expect(output.status == 0, "\(output.stderr)")
      outputs.append((name, try String(contentsOfFile: report, encoding: .utf8)))
    }
    return outputs
  }

  /// Nouns flowlens counts, singular and plural, and words that may stand between number and noun.
  static let nouns: [(singular: String, plural: String)] = [
    ("record", "records"), ("packet", "packets"), ("header", "headers"), ("network", "networks"), ("rule", "rules"),
    ("file", "files"), ("finding", "findings"), ("line", "lines"), ("group", "groups"), ("reply", "replies"),
    ("window", "windows"), ("bucket", "buckets"), ("interface", "interfaces"), ("destination", "destinations"),
    ("input", "inputs"), ("byte", "bytes"), ("port", "ports"), ("host", "hosts"), ("source prefix", "source prefixes"),
  ]

  /// Every "N noun" in `text` whose noun does not agree with N.
  static func disagreements(in text: String) -> [String] {
    let words = nouns.flatMap { [$0.singular, $0.plural] }.sorted { $0.count > $1.count }
    let pattern =
      #"(?<![\w.,:-])(\d[\d,]*) (?:(?:malformed|distinct|more|SKIPDATA) )?("#
      + words.map(NSRegularExpression.escapedPattern(for:)).joined(separator: "|") + #")\b"#
    let regex = try! NSRegularExpression(pattern: pattern)
    var wrong: [String] = []
    let whole = NSRange(text.startIndex..., in: text)
    for match in regex.matches(in: text, range: whole) {
      let number = String(text[Range(match.range(at: 1), in: text)!]).replacingOccurrences(of: ",", with: "")
      let word = String(text[Range(match.range(at: 2), in: text)!])
      let noun = nouns.first { $0.singular == word || $0.plural == word }!
      let expected = number == "1" ? noun.singular : noun.plural
      if word != expected { wrong.append(String(text[Range(match.range, in: text)!])) }
    }
    return wrong
  }

  @Test("the agreement check itself: it catches '1 packets' and '2 record', and passes '1 reply' and '2 replies'")
  func checker() {
    #expect(
      Self.disagreements(in: "1 packets, 2 record, 1 reply, 2 replies, 1,000 records, 1 malformed lines")
        == ["1 packets", "2 record", "1 malformed lines"])
  }

  @Test("every count of every output agrees with its noun")
  func agreement() throws {
    let outputs = try Self.outputs()
    var checked = 0
    for (name, text) in outputs {
      let wrong = Self.disagreements(in: text)
      #expect(wrong.isEmpty, "\(name): \(wrong)")
      checked += text.isEmpty ? 0 : 1
    }
    #expect(checked >= 15)
    // The inputs do produce counts of one where the old wording said "1 packets" and "1 headers".
    let summary = try #require(outputs.first { $0.name == "summary text" }).text
    #expect(summary.contains("= 1 header + 1 record + 1 malformed + 0 blank"))
    #expect(summary.contains("Traffic   1 packet, 44 B"))
    #expect(try #require(outputs.first { $0.name == "policy check" }).text.contains("OK: 1 network, 1 rule"))
    let approximate = try #require(outputs.first { $0.name == "summary approximate" }).text
    #expect(
      approximate.contains(
        "Approximate: the source-prefix table passed its capacity and kept the heaviest 16; any count from it may be low by up to 1 record"
      ))
  }

  @Test("sizes: binary units everywhere, never decimal GB or MB, never 0.0")
  func units() throws {
    let decimal = try NSRegularExpression(pattern: #"\d (kB|KB|MB|GB|TB)\b"#)
    let zero = try NSRegularExpression(pattern: #"(?<![\d.])0\.0 (B|KiB|MiB|GiB|TiB)\b"#)
    for (name, text) in try Self.outputs() {
      let range = NSRange(text.startIndex..., in: text)
      #expect(decimal.firstMatch(in: text, range: range) == nil, "\(name)")
      #expect(zero.firstMatch(in: text, range: range) == nil, "\(name)")
    }
    // The NAT finding writes its size as the counts line does: 2,000,000,000 B = 1.86 GiB.
    let text = try CLI.run(["audit", try Self.natLog()]).stdout
    #expect(text.contains("1.9 GiB to S3 went through a NAT gateway (about $0.09 of NAT processing"))
    #expect(text.contains("1 record, 1,000 packets, 1.9 GiB"))
    #expect(text.contains("512 B to DYNAMODB went through a NAT gateway (less than $0.01 of NAT processing"))
  }

  @Test("an empty allow_from reads sensibly in text, Markdown, JSON, NDJSON and HTML")
  func emptyAllowFrom() throws {
    let log = try Self.file("closed.log", Self.line("203.0.113.9", 2222) + "\n")
    let closed = try Self.closedPolicy()
    let report = Self.directory.appendingPathComponent("closed.html").path
    #expect(try CLI.run(["report", "-o", report, "--policy", closed, log]).status == 0)
    let texts = [
      ("text", try CLI.run(["audit", "--policy", closed, log]).stdout),
      // Markdown escapes the underscore; read it as GitHub shows it.
      (
        "markdown",
        try CLI.run(["audit", "--format", "markdown", "--policy", closed, log]).stdout.replacingOccurrences(
          of: "\\", with: "")
      ),
      ("json", try CLI.run(["audit", "--format", "json", "--policy", closed, log]).stdout),
      ("ndjson", try CLI.run(["audit", "--format", "ndjson", "--policy", closed, log]).stdout),
      ("html", try String(contentsOfFile: report, encoding: .utf8)),
      ("policy check", try CLI.run(["policy", "check", closed]).stdout),
    ]
    for (format, text) in texts {
      if format == "policy check" {
        #expect(text.contains("closed: any 2222 only from no source (allow_from is empty) [high]"), "\(text)")
      } else {
        #expect(
          text.contains("port 2222 accepted from 203.0.113.9, which no allow_from network covers (allow_from is empty"),
          "\(format)")
      }
      #expect(
        !text.contains("which is outside \n") && !text.contains("which is outside \"")
          && !text.contains("which is outside <")
          && !text.contains("which is outside |") && !text.contains("only from  ["), "\(format)")
    }
  }

  @Test("JSON details are numbers and booleans where the values are, in json and ndjson")
  func typedDetails() throws {
    let scan = try Self.scanLog()
    for format in ["json", "ndjson"] {
      let output = try CLI.run(["audit", "--format", format, scan])
      let findings: [[String: Any]] =
        format == "json"
        ? try #require(try output.json()["findings"] as? [[String: Any]])
        : try output.stdout.split(separator: "\n").map {
          try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
        }
      let finding = try #require(findings.first { $0["rule"] as? String == "port-scan" })
      let details = try #require(finding["details"] as? [String: Any])
      #expect(details["distinct_ports"] is NSNumber && !(details["distinct_ports"] is String), "\(details)")
      // 40 distinct ports, estimated.
      #expect((details["distinct_ports"] as? Int).map { (34...46).contains($0) } == true, "\(details)")
      #expect(details["windows"] as? Int == 1)
      #expect(details["distinct_ports_estimated"] as? Bool == true && !(details["distinct_ports_estimated"] is String))
    }
    // Encoded as JSON literals, not strings.
    let raw = try CLI.run(["audit", "--format", "ndjson", scan]).stdout
    #expect(raw.contains("\"windows\":1"))
    #expect(raw.contains("\"distinct_ports_estimated\":true"))
    let nat = try CLI.run(["audit", "--format", "json", try Self.natLog()]).json()
    let findings = try #require(nat["findings"] as? [[String: Any]])
    let s3 = try #require(findings.first { ($0["details"] as? [String: Any])?["service"] as? String == "S3" })
    let cost = try #require((s3["details"] as? [String: Any])?["estimated_nat_cost_usd"])
    #expect(!(cost is String))
    #expect(cost as? Double == 0.09)  // 2 GB × $0.045
  }
}
