import FlowStats
import Foundation
import Testing

/// `--where`, `--since`, `--until` end to end: each primitive (IPv4 and IPv6) against the reference
/// evaluator, the edges of the time window, mistakes, and what every output says about the filter.
@Suite("Filters through the command line", .serialized)
struct FilterCommandTests {
  typealias D = FilterTestData

  /// One corpus for the suite: custom-layout and v2 files, the policy beside them.
  final class Fixture: @unchecked Sendable {
    let directory: URL
    let policy: URL
    let corpus: FilterOracleTests.Corpus
    init() throws {
      let root = try CLI.temporaryDirectory()
      directory = root.appendingPathComponent("logs")
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      policy = root.appendingPathComponent("policy.yaml")
      try D.policyYAML.write(to: policy, atomically: true, encoding: .utf8)
      corpus = try FilterOracleTests.corpus(seed: 42, in: directory)
    }
  }

  static let fixture = Result { try Fixture() }

  static let a4 = D.addresses4
  static let a6 = D.addresses6
  static let primitiveCases: [(String, ReferenceFilter.Primitive)] = [
    ("host \(a4[3].text())", .host(.either, a4[3])),
    ("src host \(a4[0].text())", .host(.source, a4[0])),
    ("host \(a6[0].text())", .host(.either, a6[0])),
    ("dst host \(a6[4].text(expanded: true))", .host(.destination, a6[4])),
    ("net 10.0.0.0/8", .net(.either, D.Prefix(address: .v4(10, 0, 0, 0), length: 8))),
    ("dst net 198.51.100.128/25", .net(.destination, D.Prefix(address: .v4(198, 51, 100, 128), length: 25))),
    ("src net 2001:db8::/32", .net(.source, D.Prefix(address: .v6([0x2001, 0xdb8, 0, 0, 0, 0, 0, 0]), length: 32))),
    ("net fd00::/8", .net(.either, D.Prefix(address: .v6([0xfd00, 0, 0, 0, 0, 0, 0, 0]), length: 8))),
    ("net @corp", .namedNet(.either, "corp")),
    ("src net @lab", .namedNet(.source, "lab")),
    ("port 22", .port(.either, 22...22)),
    ("dst port 49152-65535", .port(.destination, 49152...65535)),
    ("src port 53", .port(.source, 53...53)),
    ("proto tcp", .proto(6, spelling: "tcp")),
    ("proto icmpv6", .proto(58, spelling: "icmpv6")),
    ("proto 17", .proto(17, spelling: "17")),
    ("action accept", .action("accept")),
    ("action reject", .action("reject")),
    ("status nodata", .status("nodata")),
    ("status skipdata", .status("skipdata")),
    ("interface \(D.interfaces[0])", .interface(D.interfaces[0])),
    ("interface \(D.resources[0])", .interface(D.resources[0])),
    ("account \(D.accounts[1])", .account(D.accounts[1])),
    ("vpc \(D.vpcs[0])", .vpc(D.vpcs[0])),
    ("subnet \(D.subnets[2])", .subnet(D.subnets[2])),
    ("instance \(D.instances[1])", .instance(D.instances[1])),
    ("direction egress", .direction("egress")),
    ("service s3", .service(.either, "S3")),
    ("dst service amazon", .service(.destination, "AMAZON")),
    ("packets > 50", .packets(">", 50)),
    ("bytes <= 5000", .bytes("<=", 5000)),
  ]

  @Test("Each primitive keeps exactly the records the reference keeps", arguments: primitiveCases)
  func primitive(text: String, primitive: ReferenceFilter.Primitive) throws {
    let fixture = try Self.fixture.get()
    for expression in [ReferenceFilter.primitive(primitive), .not(.primitive(primitive))] {
      let whereText = expression.isNegation ? "not \(text)" : text
      let output = try CLI.run([
        "records", "--where", whereText, "--policy", fixture.policy.path, fixture.directory.path,
      ])
      #expect(output.status == 0, "\(whereText): \(output.stderr)")
      let got = output.stdout.split(separator: "\n").map {
        D.Record.identity(ofJSON: (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) ?? [:])
      }
      let expected = fixture.corpus.records.filter(expression.matches).map(\.identity)
      #expect(got.sorted() == expected.sorted(), "\(whereText)")
      #expect(!expected.isEmpty, "\(whereText) matches nothing in the corpus: the case tests nothing")
    }
  }

  /// Four records around T = 2024-11-26T00:10:00Z.
  static let window = """
    2 1 eni-1 10.0.0.1 10.0.0.2 1 22 6 1 100 1732579740 1732579799 ACCEPT OK
    2 1 eni-1 10.0.0.1 10.0.0.2 2 22 6 1 100 1732579740 1732579800 ACCEPT OK
    2 1 eni-1 10.0.0.1 10.0.0.2 3 22 6 1 100 1732579800 1732579860 ACCEPT OK
    2 1 eni-1 10.0.0.1 10.0.0.2 4 22 6 1 100 1732579799 1732579860 ACCEPT OK

    """

  @Test(
    "--since keeps records ending at or after T, --until those starting before T, in every spelling of T",
    arguments: ["2024-11-26T00:10:00Z", "2024-11-26T01:10:00+01:00", "2024-11-26 00:10:00", "1732579800"])
  func timeWindow(time: String) throws {
    func srcports(_ arguments: [String]) throws -> [Int] {
      let output = try CLI.run(["records"] + arguments + ["-"], stdin: Data(Self.window.utf8))
      #expect(output.status == 0, "\(output.stderr)")
      return output.stdout.split(separator: "\n").compactMap {
        ((try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any])?["srcport"] as? Int
      }
    }
    #expect(try srcports(["--since", time]) == [2, 3, 4])
    #expect(try srcports(["--until", time]) == [1, 2, 4])
    #expect(try srcports(["--since", time, "--until", "1732579801"]) == [2, 3, 4])
    #expect(try srcports(["--since", "2024-11-26", "--until", time]) == [1, 2, 4])
  }

  @Test("A filter that matches nothing is an answer: exit 0, 0 matched, every line accounted for")
  func matchesNothing() throws {
    let output = try CLI.run(
      [
        "summary", "--format", "json", "--where", "port 1 and port 2",
        CLI.root.appendingPathComponent("Fixtures/sample").path,
      ])
    #expect(output.status == 0, "\(output.stderr)")
    let json = try output.json()
    let filter = try #require(json["filter"] as? [String: Any])
    #expect(filter["matched"] as? Int == 0)
    #expect(filter["excluded"] as? Int == 397)
    #expect((json["records"] as? [String: Any])?["total"] as? Int == 0)
  }

  @Test("A mistake in --where exits 2 before reading and points at its column")
  func syntaxError() throws {
    let output = try CLI.run(["summary", "--where", "src net 10.0.0.0/8 and port ssh", "/nonexistent"])
    #expect(output.status == 2)
    #expect(
      output.stderr.contains("--where: column 29: expected a port number (0-65535) or a range N-M, found \"ssh\""))
    #expect(output.stderr.contains("  src net 10.0.0.0/8 and port ssh\n                              ^"))
    #expect(!output.stderr.contains("nonexistent"), "the expression is checked before any input")
    #expect(output.stdout.isEmpty)
  }

  @Test("An unknown @NAME exits 2 and lists the policy's networks")
  func unknownNetwork() throws {
    let fixture = try Self.fixture.get()
    let output = try CLI.run([
      "audit", "--where", "net @corporate", "--policy", fixture.policy.path, fixture.directory.path,
    ])
    #expect(output.status == 2)
    #expect(
      output.stderr.contains("--where: column 1: no network named @corporate in the policy (it defines @corp, @lab)"))
    #expect(output.stdout.isEmpty)
    let builtIn = try CLI.run(["records", "--where", "src net @private", fixture.directory.path])
    #expect(builtIn.status == 0, "the built-in policy's @private: \(builtIn.stderr)")
  }

  @Test("--since after --until, and a bad TIME, are usage errors")
  func badTimes() throws {
    let reversed = try CLI.run(["summary", "--since", "2024-11-26T01:00:00Z", "--until", "2024-11-26", "-"])
    #expect(reversed.status == 2)
    #expect(reversed.stderr.contains("--since (2024-11-26T01:00:00Z) must be before --until (2024-11-26T00:00:00Z)"))
    let bad = try CLI.run(["records", "--until", "yesterday", "-"])
    #expect(bad.status == 2)
    #expect(bad.stderr.contains("--until: expected a time such as 2024-11-26T00:10:00Z"))
  }

  @Test("A test on a field no input has: a warning while the expression can match, an error when it cannot")
  func fieldsNoInputHas() throws {
    let v2 = Data("2 1 eni-1 10.0.0.1 10.0.0.2 1 22 6 1 100 1732579740 1732579799 ACCEPT OK\n".utf8)
    let warned = try CLI.run(["summary", "--format", "json", "--where", "vpc vpc-1 or port 22", "-"], stdin: v2)
    #expect(warned.status == 0)
    #expect(
      warned.stderr.contains(
        "warning: --where: column 1: no input has the field vpc-id, so 'vpc vpc-1' is false for every record"))
    #expect(((try warned.json())["filter"] as? [String: Any])?["matched"] as? Int == 1)
    let failed = try CLI.run(["audit", "--where", "port 22 and subnet subnet-1", "-"], stdin: v2)
    #expect(failed.status == 2)
    #expect(
      failed.stderr.contains(
        "--where: column 13: no input has the field subnet-id, so 'subnet subnet-1' is false for every record and nothing can match"
      ))
    #expect(failed.stdout.isEmpty, "the error comes before any output")
    let layout = try CLI.run(
      ["records", "--log-format", "srcaddr dstaddr action", "--since", "2024-11-26", "-"],
      stdin: Data("10.0.0.1 10.0.0.2 ACCEPT\n".utf8))
    #expect(layout.status == 2)
    #expect(layout.stderr.contains("--since 2024-11-26T00:00:00Z: no input has the field end"))
  }

  @Test("Every output says what was filtered and counts the excluded lines")
  func everyOutputSaysSo() throws {
    let sample = CLI.root.appendingPathComponent("Fixtures/sample").path
    let filter = ["--where", "dst port 22 and action accept", "--since", "2024-11-26T00:05:00Z"]
    let text = try CLI.run(["summary"] + filter + [sample])
    #expect(text.stdout.contains("Filter    dst port 22 and action accept · since 2024-11-26 00:05:00Z: "))
    #expect(text.stdout.contains(" filtered out + 0 malformed"))
    let markdown = try CLI.run(["summary", "--format", "markdown"] + filter + [sample])
    #expect(markdown.stdout.contains("- **Filter** dst port 22 and action accept"))
    let csv = try CLI.run(["summary", "--format", "csv"] + filter + [sample])
    #expect(csv.stdout.contains("\nfilter,dst port 22 and action accept · since 2024-11-26 00:05:00Z,,"))
    let audit = try CLI.run(["audit"] + filter + [sample])
    #expect(audit.stdout.contains("\nFilter    dst port 22 and action accept · since 2024-11-26 00:05:00Z: "))
    let auditMarkdown = try CLI.run(["audit", "--format", "markdown"] + filter + [sample])
    #expect(auditMarkdown.stdout.contains("- **Filter** dst port 22 and action accept"))
    let html = try CLI.run(["report", "-o", "-"] + filter + [sample])
    #expect(html.stdout.contains("<dt>Filter</dt><dd>dst port 22 and action accept · since"))
    #expect(html.stdout.contains(" filtered out + 0 malformed"))
    // Without a filter, no output mentions one.
    for arguments in [["summary"], ["summary", "--format", "json"], ["audit", "--format", "json"]] {
      let plain = try CLI.run(arguments + [sample])
      #expect(!plain.stdout.contains("ilter"), "\(arguments)")
    }
  }
}

extension ReferenceFilter {
  fileprivate var isNegation: Bool {
    if case .not = self { return true }
    return false
  }
}
