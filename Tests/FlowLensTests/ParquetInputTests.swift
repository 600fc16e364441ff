import Foundation
import Testing

/// Parquet input end to end: the same records as text (Fixtures/sample) and as Parquet
/// (Fixtures/parquet/*, written by pyarrow from the sample's text by make-parquet-fixtures.py) give
/// the same `summary`, `audit` and `records` output, for every codec, encoding, page version and
/// schema variant. The text path is the oracle.
///
/// What legitimately differs, and is taken out of the comparison and checked on its own: the input
/// byte counts, the header lines (each sample text file starts with one; Parquet has none, so text
/// line N is Parquet row N - 1, and `lines` differ by the headers), and the file names of evidence.
@Suite("Parquet input")
struct ParquetInputTests {
  static let variants = ["gzip", "snappy", "zstd", "none", "plain", "v2", "small-groups", "odd-types"]
  static let sample = "Fixtures/sample"

  /// A JSON report with what differs between text and Parquet input taken out, after checking it.
  static func normalized(_ json: [String: Any], isText: Bool, mixed: Bool = false) throws -> [String: Any] {
    var json = json
    var inputs = try #require(json["inputs"] as? [String: Any])
    var records = try #require(json["records"] as? [String: Any])
    let headers = try #require(records["headers"] as? Int)
    let lines = try #require(inputs["lines"] as? Int)
    if !isText && !mixed { #expect(headers == 0, "Parquet has no header lines") }
    inputs["lines"] = lines - headers
    inputs["bytes"] = nil
    inputs["decoded_bytes"] = nil
    records["headers"] = nil
    json["inputs"] = inputs
    json["records"] = records
    if var findings = json["findings"] as? [[String: Any]] {
      for i in findings.indices {
        guard var evidence = findings[i]["evidence"] as? [String: Any] else { continue }
        let file = try #require(evidence["file"] as? String)
        var name = URL(fileURLWithPath: file).lastPathComponent
        for suffix in [".gz", ".log", ".parquet"] where name.hasSuffix(suffix) { name.removeLast(suffix.count) }
        evidence["file"] = name
        let line = try #require(evidence["line"] as? Int)
        evidence["line"] = isText ? line - 1 : line
        findings[i]["evidence"] = evidence
      }
      json["findings"] = findings
    }
    return json
  }

  static func same(_ a: [String: Any], _ b: [String: Any]) -> Bool {
    NSDictionary(dictionary: a).isEqual(to: b)
  }

  @Test("summary and audit JSON: Parquet equals text", arguments: variants, ["summary", "audit"])
  func reportsMatchText(variant: String, command: String) throws {
    let text = try CLI.run([command, "--format", "json", Self.sample])
    let parquet = try CLI.run([command, "--format", "json", "Fixtures/parquet/\(variant)"])
    #expect(text.status == 0 && parquet.status == 0, "\(parquet.stderr)")
    var got = try Self.normalized(parquet.json(), isText: false)
    let expected = try Self.normalized(text.json(), isText: true)
    if variant == "odd-types" {
      // Its extra column is noted once per file, and is the only issue.
      let issues = try #require(got["issues"] as? [[String: Any]])
      #expect(issues.count == 4 && issues.allSatisfy { ($0["kind"] as? String) == "unknown_header_field" })
      #expect(parquet.stderr.contains("Parquet columns name unknown fields (delivery_note); they are not read"))
      got["issues"] = expected["issues"]
      got["issue_counts"] = expected["issue_counts"]
    } else {
      #expect(parquet.stderr.isEmpty, "\(parquet.stderr)")
    }
    #expect(Self.same(got, expected), "\(variant) \(command):\n\(parquet.stdout)")
  }

  @Test("records NDJSON: Parquet equals text, byte for byte", arguments: variants)
  func recordsMatchText(variant: String) throws {
    let text = try CLI.run(["records", "--format", "ndjson", Self.sample])
    let parquet = try CLI.run(["records", "--format", "ndjson", "Fixtures/parquet/\(variant)"])
    #expect(parquet.status == 0, "\(parquet.stderr)")
    #expect(text.stdout.split(separator: "\n").count == 397)
    #expect(parquet.stdout == text.stdout)
  }

  @Test("--where on Parquet selects the records it selects on text, and counts the rest as filtered")
  func filterOnParquet() throws {
    for expression in ["port 22", "action reject and src net 203.0.113.0/24", "not host 10.0.1.10"] {
      let text = try CLI.run(["records", "--format", "ndjson", "--where", expression, Self.sample])
      let parquet = try CLI.run(["records", "--format", "ndjson", "--where", expression, "Fixtures/parquet/v2"])
      #expect(parquet.status == 0, "\(parquet.stderr)")
      #expect(!parquet.stdout.isEmpty && parquet.stdout == text.stdout, "\(expression)")
      let summaryText = try Self.normalized(
        CLI.run(["summary", "--format", "json", "--where", expression, Self.sample]).json(), isText: true)
      let summaryParquet = try Self.normalized(
        CLI.run(["summary", "--format", "json", "--where", expression, "Fixtures/parquet/small-groups"]).json(),
        isText: false)
      #expect(Self.same(summaryParquet, summaryText), "\(expression)")
    }
  }

  @Test("text and Parquet mixed in one run, any --jobs and any split into files: one answer")
  func mixedInputs() throws {
    // The sample's three gzip objects as Parquet, its custom-v5 file as text: the sample again.
    let parquetObjects = try FileManager.default.contentsOfDirectory(atPath: "\(CLI.root.path)/Fixtures/parquet/zstd")
      .filter { $0.contains("vpcflowlogs") }.sorted().map { "Fixtures/parquet/zstd/\($0)" }
    #expect(parquetObjects.count == 3)
    let expected = try CLI.run(["records", "--format", "ndjson", Self.sample]).stdout
    let expectedAudit = try Self.normalized(CLI.run(["audit", "--format", "json", Self.sample]).json(), isText: true)
    var generator = SystemRandomNumberGenerator()
    for jobs in [1, 2, 4] {
      let inputs = (parquetObjects + ["\(Self.sample)/custom-v5.log"]).shuffled(using: &generator)
      let records = try CLI.run(["records", "--format", "ndjson", "--jobs", "\(jobs)"] + inputs)
      #expect(records.status == 0, "\(records.stderr)")
      // Records come in input order: compare as sets of lines.
      #expect(records.stdout.split(separator: "\n").sorted() == expected.split(separator: "\n").sorted())
      let audit = try CLI.run(["audit", "--format", "json", "--jobs", "\(jobs)"] + inputs)
      // Evidence names the earliest input that shows a finding: with a shuffled order it may be
      // another file, so compare the audit without it.
      var got = try Self.normalized(audit.json(), isText: false, mixed: true)
      var want = expectedAudit
      for key in ["findings"] {
        got[key] = (got[key] as? [[String: Any]])?.map { $0.filter { $0.key != "evidence" } }
        want[key] = (want[key] as? [[String: Any]])?.map { $0.filter { $0.key != "evidence" } }
      }
      #expect(Self.same(got, want), "--jobs \(jobs) \(inputs)")
    }
  }

  @Test(
    "broken, nested, encrypted or foreign Parquet named on the command line: a clear error, exit 2",
    arguments: [
      ("truncated.parquet", "Parquet file is corrupt or truncated: no PAR1 magic at the end"),
      ("corrupt.parquet", "Parquet file is corrupt or truncated: row group 1, column version: a GZIP page is corrupt"),
      ("nested.parquet", "Parquet: nested schemas are not supported (column 'endpoints' is a group)"),
      ("encrypted-footer.parquet", "Parquet: encrypted Parquet files (PARE footer) are not supported"),
      ("not-flow-log.parquet", "Parquet: no column names a flow log field (columns: a, b)"),
    ])
  func badFiles(name: String, message: String) throws {
    for command in [["summary"], ["audit", "--format", "json"], ["records"]] {
      let output = try CLI.run(command + ["Fixtures/parquet/bad/\(name)", "Fixtures/parquet/gzip"])
      #expect(output.status == 2, "\(command) \(name): \(output.stderr)")
      #expect(output.stderr.contains("flowlens: Fixtures/parquet/bad/\(name): \(message)"), "\(output.stderr)")
    }
  }

  @Test("in a directory, a Parquet file that names no field is skipped with a note; a broken one is an error")
  func badFilesInDirectory() throws {
    let output = try CLI.run(["summary", "--format", "json", "Fixtures/parquet/bad"])
    #expect(output.status == 2)
    #expect(output.stderr.contains("not-flow-log.parquet: skipped: Parquet file, no column names a flow log field"))
    for name in ["truncated", "corrupt", "nested", "encrypted-footer"] {
      #expect(output.stderr.contains("Fixtures/parquet/bad/\(name).parquet: Parquet"), "\(name)")
    }
    // The rows of the one readable file are still counted.
    let inputs = try #require(output.json()["inputs"] as? [String: Any])
    #expect(inputs["lines"] as? Int == 6)
  }

  @Test("a value that does not convert makes its row malformed, naming file, row group, row and column")
  func unconvertibleRows() throws {
    let output = try CLI.run(["summary", "--format", "json", "Fixtures/parquet/bad/unconvertible.parquet"])
    #expect(output.status == 0, "\(output.stderr)")
    let file = "Fixtures/parquet/bad/unconvertible.parquet"
    for expected in [
      "\(file):2: row group 1, row 2, column srcport: 'http' is not an unsigned integer",
      "\(file):3: row group 1, row 3, column srcaddr: '10.0.0.x' is not an IPv4 or IPv6 address",
      "\(file):4: row group 2, row 1, column dstport: '70000' is out of range (0-65535)",
      "\(file):5: row group 2, row 2, column log_status: 'BAD' is not OK, NODATA or SKIPDATA",
    ] {
      #expect(output.stderr.contains(expected), "\(output.stderr)")
    }
    let json = try output.json()
    let records = try #require(json["records"] as? [String: Any])
    #expect(records["total"] as? Int == 2)
    #expect(records["malformed"] as? Int == 4)
    #expect(records["accept"] as? Int == 1 && records["reject"] as? Int == 1)
    #expect((json["inputs"] as? [String: Any])?["lines"] as? Int == 6)
    let strict = try CLI.run(["summary", "--strict", file])
    #expect(strict.status == 2)
  }

  @Test("Parquet on standard input: an error asking for a file")
  func standardInput() throws {
    let bytes = try Data(
      contentsOf: CLI.root.appendingPathComponent("Fixtures/parquet/gzip/custom-v5.parquet"))
    let output = try CLI.run(["summary", "-"], stdin: bytes)
    #expect(output.status == 2)
    #expect(output.stderr.contains("flowlens: -: Parquet needs a file, not a stream"))
  }
}
