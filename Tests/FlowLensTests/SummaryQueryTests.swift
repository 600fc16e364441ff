import Foundation
import Testing

/// `summary --by`, `--sort` and `--bucket`, end to end, against an oracle computed from the
/// generated records (``SummaryQueryFixture``).
@Suite("flowlens summary --by, --sort, --bucket", .serialized)
struct SummaryQueryTests {
  typealias Fixture = SummaryQueryFixture

  /// Writes a fixture of `count` records from `seed` into a new directory.
  static func fixture(seed: UInt64, count: Int) throws -> (Fixture, URL) {
    var random = SplitMix64(state: seed)
    let fixture = Fixture(count: count, random: &random)
    let directory = try CLI.temporaryDirectory()
    try fixture.write(in: directory, random: &random)
    return (fixture, directory)
  }

  static let keys = [
    "interface", "srcaddr", "dstaddr", "src-prefix", "dst-prefix", "srcport", "dstport", "protocol", "action",
    "account", "vpc", "subnet", "instance", "direction", "service", "traffic-path", "reject-reason", "flow-log",
  ]

  @Test("every KEY: the rows equal a dictionary grouping of the generated records", arguments: keys)
  func perKey(key: String) throws {
    let (fixture, directory) = try Self.fixture(seed: 7, count: 600)
    defer { try? FileManager.default.removeItem(at: directory) }
    let output = try CLI.run(["summary", "--format", "json", "--top", "0", "--by", key, directory.path])
    #expect(output.status == 0, "\(output.stderr)")
    let json = try output.json()
    let table = try #require(json["by"] as? [String: Any])
    let columns = Fixture.columns([key])
    #expect(table["keys"] as? [String] == columns.map { $0.replacingOccurrences(of: "-", with: "_") })
    // The oracle's rows use the KEY spelling; the JSON's the snake-case names.
    var renamed = table
    renamed["keys"] = columns
    renamed["rows"] = (table["rows"] as? [[String: Any]])?.map { row in
      var copy: [String: Any] = [:]
      for (name, value) in row { copy[name.replacingOccurrences(of: "_", with: "-")] = value }
      return copy
    }
    let actual = try Fixture.actualRows(renamed)
    #expect(actual == fixture.expectedRows(keys: [key]))
    #expect(table["total_rows"] as? Int == actual.count)
    #expect(table["approximate"] == nil)
    // Every record carrying traffic is in exactly one row; NODATA/SKIPDATA only in the totals.
    let records = try #require(json["records"] as? [String: Any])
    let total = (records["accept"] as? Int ?? 0) + (records["reject"] as? Int ?? 0)
    let withoutAction = fixture.records.filter { $0.values["log-status"] == "OK" && $0.values["action"] == "-" }.count
    #expect(actual.values.map(\.records).reduce(0, +) == total + withoutAction)
  }

  @Test("IPv4 and IPv6 addresses and prefixes appear as text, IPv4 first in key order")
  func addressesBothFamilies() throws {
    let (_, directory) = try Self.fixture(seed: 8, count: 300)
    defer { try? FileManager.default.removeItem(at: directory) }
    let json = try CLI.run(["summary", "--format", "json", "--top", "0", "--by", "src-prefix", directory.path]).json()
    let rows = try #require((json["by"] as? [String: Any])?["rows"] as? [[String: Any]])
    let prefixes = rows.compactMap { $0["src_prefix"] as? String }
    #expect(prefixes.contains { $0.hasPrefix("10.0.") && $0.hasSuffix("/24") })
    #expect(prefixes.contains { $0.hasPrefix("2001:db8:0:") && $0.hasSuffix("::/64") })
    #expect(rows.contains { $0["src_prefix"] is NSNull })
  }

  @Test(
    "randomized splits and --jobs 1, 2, 3: byte-identical JSON, rows equal the oracle",
    arguments: randomizedCases)
  func randomized(seed: UInt64, keys: [String]) throws {
    var reference: String?
    var referenceBy: String?
    var random = SplitMix64(state: seed)
    let fixture = Fixture(count: 1_500, random: &random)
    for trial in 0..<2 {
      // The same records, split into other files.
      let directory = try CLI.temporaryDirectory()
      defer { try? FileManager.default.removeItem(at: directory) }
      try fixture.write(in: directory, random: &random)
      for jobs in [1, 2, 3] {
        let output = try CLI.run([
          "summary", "--format", "json", "--top", "0", "--by", keys.joined(separator: ","), "--by", "protocol",
          "--sort", "bytes", "--bucket", "10m", "--jobs", String(jobs), directory.path,
        ])
        #expect(output.status == 0, "\(output.stderr)")
        if trial == 0 {
          if let reference {
            #expect(output.stdout == reference, "--jobs \(jobs): JSON differs from --jobs 1")
          } else {
            reference = output.stdout
          }
        }
        let json = try output.json()
        let tables = try #require(json["by"] as? [[String: Any]])
        #expect(tables.count == 2)
        var renamed = tables[0]
        renamed["keys"] = Fixture.columns(keys)
        renamed["rows"] = (tables[0]["rows"] as? [[String: Any]])?.map { row in
          var copy: [String: Any] = [:]
          for (name, value) in row { copy[name.replacingOccurrences(of: "_", with: "-")] = value }
          return copy
        }
        let matches = try Fixture.actualRows(renamed) == fixture.expectedRows(keys: keys)
        #expect(matches, "seed \(seed), trial \(trial), --jobs \(jobs): rows differ from the oracle")
        #expect(try Fixture.actualRows(tables[1]) == fixture.expectedRows(keys: ["protocol"]))
        // The split changes the inputs, never the tables.
        let by = String(
          decoding: try JSONSerialization.data(withJSONObject: tables, options: [.sortedKeys]), as: UTF8.self)
        if let referenceBy {
          #expect(by == referenceBy, "trial \(trial), --jobs \(jobs): tables differ")
        } else {
          referenceBy = by
        }
        try Self.checkTimeline(json, fixture: fixture, seconds: 600)
      }
    }
  }

  static let randomizedCases: [(seed: UInt64, keys: [String])] = [
    (11, ["srcaddr", "dstaddr"]), (12, ["src-prefix", "dstport"]), (13, ["flow-log", "account", "action"]),
    (14, ["interface", "direction", "service", "srcport"]),
  ]

  static func checkTimeline(_ json: [String: Any], fixture: Fixture, seconds: Int) throws {
    let timeline = try #require(json["timeline"] as? [[String: Any]])
    let expected = fixture.expectedTimeline(seconds: seconds)
    #expect(timeline.count == expected.buckets.count)
    for (bucket, (start, counts)) in zip(timeline, expected.buckets) {
      #expect(bucket["start"] as? Int == start)
      let actual = Fixture.Counts(
        records: bucket["records"] as? Int ?? -1, accept: bucket["accept"] as? Int ?? -1,
        reject: bucket["reject"] as? Int ?? -1, packets: bucket["packets"] as? Int ?? -1,
        bytes: bucket["bytes"] as? Int ?? -1)
      #expect(actual == counts, "bucket \(start)")
    }
    #expect(json["timeline_records_without_start"] as? Int == expected.withoutStart)
    #expect(json["timeline_bucket_seconds"] as? Int == seconds)
  }

  @Test("--sort ranks every table: heavier first, then more records", arguments: ["records", "packets", "bytes"])
  func sort(by metric: String) throws {
    let (_, directory) = try Self.fixture(seed: 21, count: 800)
    defer { try? FileManager.default.removeItem(at: directory) }
    let json = try CLI.run([
      "summary", "--format", "json", "--top", "0", "--sort", metric, "--by", "srcaddr,dstaddr", directory.path,
    ]).json()
    func rank(_ row: [String: Any]) -> (Int, Int) {
      let records = row["records"] as? Int ?? ((row["accept"] as? Int ?? 0) + (row["reject"] as? Int ?? 0))
      return (metric == "records" ? records : row[metric] as? Int ?? -1, records)
    }
    let by = try #require(json["by"] as? [String: Any])
    for name in ["by_interface", "by_port", "by_source_cidr"] {
      let rows = try #require(json[name] as? [[String: Any]])
      #expect(rows.count > 1)
      for (a, b) in zip(rows, rows.dropFirst()) { #expect(rank(a) >= rank(b), "\(name)") }
    }
    let rows = try #require(by["rows"] as? [[String: Any]])
    for (a, b) in zip(rows, rows.dropFirst()) {
      #expect(rank(a).0 > rank(b).0 || (rank(a).0 == rank(b).0 && rank(a).1 >= rank(b).1))
    }
    #expect((json["sort"] as? String) == (metric == "records" ? nil : metric))
  }

  @Test(
    "--sort records is the default: output byte-identical to no --sort, every format",
    arguments: ["text", "json", "csv", "markdown"])
  func defaultSort(format: String) throws {
    let plain = try CLI.run(["summary", "--format", format, "Fixtures/sample"])
    let sorted = try CLI.run(["summary", "--format", format, "--sort", "records", "Fixtures/sample"])
    #expect(plain.stdout == sorted.stdout)
  }

  @Test("--top cuts every --by table; total_rows tells the size before the cut")
  func top() throws {
    let (_, directory) = try Self.fixture(seed: 22, count: 400)
    defer { try? FileManager.default.removeItem(at: directory) }
    let json = try CLI.run(["summary", "--format", "json", "--top", "3", "--by", "srcaddr", directory.path]).json()
    let by = try #require(json["by"] as? [String: Any])
    #expect((by["rows"] as? [Any])?.count == 3)
    #expect((by["total_rows"] as? Int ?? 0) > 3)
  }

  /// Lines of a v2 log with the given (start, action, bytes).
  static func log(_ records: [(start: Int, action: String, bytes: Int)]) -> Data {
    Data(
      records.map { r in
        "2 1 eni-a 10.0.0.1 10.0.0.2 1 22 6 1 \(r.bytes) \(r.start) \(r.start + 1) \(r.action) OK\n"
      }.joined().utf8)
  }

  @Test("bucket edges: a record exactly at a boundary starts that bucket; empty buckets in the middle are listed")
  func bucketEdges() throws {
    let input = Self.log([(1_199, "ACCEPT", 10), (1_200, "REJECT", 20), (1_499, "ACCEPT", 30), (2_100, "ACCEPT", 40)])
    let json = try CLI.run(["summary", "--format", "json", "--bucket", "5m", "-"], stdin: input).json()
    let timeline = try #require(json["timeline"] as? [[String: Any]])
    #expect(timeline.map { $0["start"] as? Int } == [900, 1_200, 1_500, 1_800, 2_100])
    #expect(timeline.map { $0["records"] as? Int } == [1, 2, 0, 0, 1])
    #expect(timeline.map { $0["reject"] as? Int } == [0, 1, 0, 0, 0])
    #expect(timeline.map { $0["bytes"] as? Int } == [10, 50, 0, 0, 40])
    #expect(json["timeline_records_without_start"] as? Int == 0)
  }

  @Test("one bucket, in every format", arguments: ["text", "json", "csv", "markdown"])
  func oneBucket(format: String) throws {
    let input = Self.log([(86_400, "ACCEPT", 10), (86_400 + 3_599, "REJECT", 20)])
    let output = try CLI.run(["summary", "--format", format, "--bucket", "1h", "-"], stdin: input)
    #expect(output.status == 0)
    switch format {
    case "json": #expect((try output.json()["timeline"] as? [Any])?.count == 1)
    case "csv":
      #expect(output.stdout.contains("\ntable,start,records,accept,reject,packets,bytes\ntimeline,86400,2,1,1,2,30\n"))
      #expect(output.stdout.hasSuffix("timeline_without_start,,0,,,,\n"))
    default:
      #expect(output.stdout.contains("Timeline (1 bucket of 1h)") && output.stdout.contains("1970-01-02 00:00:00Z"))
    }
  }

  @Test("records without a start are counted, never silently dropped")
  func withoutStart() throws {
    let log = """
      version srcaddr dstaddr packets bytes start action log-status
      2 10.0.0.1 10.0.0.2 1 10 600 ACCEPT OK
      2 10.0.0.1 10.0.0.2 1 10 - ACCEPT OK

      """
    let json = try CLI.run(["summary", "--format", "json", "--bucket", "1m", "-"], stdin: Data(log.utf8)).json()
    #expect((json["timeline"] as? [Any])?.count == 1)
    #expect(json["timeline_records_without_start"] as? Int == 1)
    let text = try CLI.run(["summary", "--bucket", "1m", "-"], stdin: Data(log.utf8)).stdout
    #expect(text.contains("1 record without a start time is in no bucket."))
  }

  @Test("a span of more than 1,000,000 buckets exits 2, naming the span and suggesting a larger bucket")
  func tooManyBuckets() throws {
    let input = Self.log([(0, "ACCEPT", 10), (1_732_579_200, "ACCEPT", 10)])
    let output = try CLI.run(["summary", "--format", "json", "--bucket", "1s", "-"], stdin: input)
    #expect(output.status == 2)
    #expect(output.stdout == "")
    #expect(output.stderr.contains("--bucket 1s"))
    #expect(output.stderr.contains("1970-01-01 00:00:00Z"))
    #expect(output.stderr.contains("1732579201 buckets"))
    #expect(output.stderr.contains("larger bucket"))
    // A larger bucket works.
    #expect(try CLI.run(["summary", "--format", "json", "--bucket", "1d", "-"], stdin: input).status == 0)
  }

  @Test(
    "bad --by and --bucket values exit 2 naming the value",
    arguments: badValueCases)
  func badValues(arguments: [String], mentions: String) throws {
    let output = try CLI.run(["summary"] + arguments + ["Fixtures/sample"])
    #expect(output.status == 2)
    #expect(output.stdout == "")
    #expect(output.stderr.contains(mentions), "\(output.stderr)")
  }

  static let badValueCases: [([String], String)] = [
    (["--by", "srcadr"], "srcadr"), (["--by", "srcaddr,srcaddr"], "given twice"), (["--by", "srcaddr,"], "empty key"),
    (["--bucket", "5"], "'5'"), (["--bucket", "0m"], "'0m'"), (["--bucket", "5x"], "'5x'"),
    (["--bucket", "m"], "'m'"), (["--bucket=-1h"], "-1h"), (["--by-capacity", "3"], "--by-capacity"),
    (["--sort", "size"], "size"),
  ]

  @Test(
    "past --by-capacity the table says it is approximate, in every format",
    arguments: ["text", "json", "csv", "markdown"])
  func approximate(format: String) throws {
    var log = ""
    for i in 0..<200 { log += "2 1 eni-a 10.\(i % 250).1.\(i / 250 + 1) 10.0.0.2 1 22 6 1 1 1 2 REJECT OK\n" }
    let output = try CLI.run(
      ["summary", "--format", format, "--by", "srcaddr", "--by-capacity", "16", "-"], stdin: Data(log.utf8))
    #expect(output.status == 0)
    switch format {
    case "json":
      let by = try #require(try output.json()["by"] as? [String: Any])
      let approximate = try #require(by["approximate"] as? [String: Any])
      #expect(approximate["table"] as? String == "--by srcaddr")
      #expect(approximate["kept_keys"] as? Int == 16)
      #expect((approximate["maximum_error"] as? Int ?? 0) >= 1)
    case "csv": #expect(output.stdout.contains("\napproximate,16,"))
    default:
      #expect(
        output.stdout.contains("Approximate: the --by srcaddr table passed its capacity and kept the heaviest 16"))
      #expect(output.stdout.contains("raise --by-capacity"))
    }
    let exact = try CLI.run(["summary", "--format", format, "--by", "srcaddr", "-"], stdin: Data(log.utf8))
    #expect(!exact.stdout.contains("pproximate"))
  }

  @Test("a spoofed flood of distinct sources keeps the table at its capacity, exact totals")
  func flood() throws {
    var log = ""
    for i in 0..<20_000 {
      log += "2 1 eni-a 11.\(i / 65_536).\(i / 256 % 256).\(i % 256) 10.0.0.2 1 22 6 1 1 1 2 REJECT OK\n"
    }
    let json = try CLI.run(
      ["summary", "--format", "json", "--top", "0", "--by", "srcaddr,interface", "--by-capacity", "1000", "-"],
      stdin: Data(log.utf8)
    ).json()
    let by = try #require(json["by"] as? [String: Any])
    #expect(by["total_rows"] as? Int == 1_000)
    #expect(by["approximate"] != nil)
  }

  @Test("--by tables and the timeline in text, Markdown and CSV")
  func otherFormats() throws {
    let arguments = ["--by", "dstport", "--by", "flow-log,action", "--bucket", "5m", "Fixtures/sample"]
    let text = try CLI.run(["summary"] + arguments).stdout
    #expect(text.contains("\nBy dstport, protocol (top 10 of "))
    #expect(text.contains("DSTPORT PROTOCOL RECORDS ACCEPT REJECT PACKETS"))
    #expect(text.contains("fl-0abc1234def567890"))
    #expect(text.contains("\nTimeline (4 buckets of 5m)\n"))
    let markdown = try CLI.run(["summary", "--format", "markdown"] + arguments).stdout
    #expect(markdown.contains("### By flow-log, action (top "))
    #expect(markdown.contains("| FLOW-LOG | ACTION | RECORDS | ACCEPT | REJECT | PACKETS | BYTES |"))
    let csv = try CLI.run(["summary", "--format", "csv"] + arguments).stdout
    #expect(csv.contains("\n\ntable,dstport,protocol,records,accept,reject,packets,bytes\nby,443,6,"))
    #expect(csv.contains("\n\ntable,flow_log,action,records,accept,reject,packets,bytes\nby,fl-0abc1234def567890,"))
  }
}
