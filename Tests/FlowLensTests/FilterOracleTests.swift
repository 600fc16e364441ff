import FlowLogParser
import FlowStats
import Foundation
import Testing

/// `--where`, `--since` and `--until` against a reference evaluator (``ReferenceFilter``) over
/// records the test generated itself (``FilterTestData``), for randomized expressions, in-process
/// and through every command, over random splits of the records into files and any `--jobs`.
@Suite("Filters agree with an independent evaluation", .serialized)
struct FilterOracleTests {
  /// Records split at random into files: S3-style files with a header of the custom layout, and
  /// headerless files read with the default v2 layout (which lack the custom fields).
  struct Corpus {
    var directory: URL
    var files: [URL]
    var records: [FilterTestData.Record]
    /// Header lines written.
    var headers: Int
  }

  static func corpus(seed: UInt64, in directory: URL) throws -> Corpus {
    var g = SplitMix64(state: seed)
    var records: [FilterTestData.Record] = []
    var files: [URL] = []
    var headers = 0
    for custom in [true, false] {
      let batch = FilterTestData.records(Int.random(in: 150...400, using: &g), custom: custom, using: &g)
      records += batch
      var rest = batch[...]
      let pieces = Int.random(in: 1...4, using: &g)
      for piece in 0..<pieces {
        let take = piece == pieces - 1 ? rest.count : Int.random(in: 0...rest.count, using: &g)
        let chunk = rest.prefix(take)
        rest = rest.dropFirst(take)
        var text = custom ? FilterTestData.customHeader + "\n" : ""
        if custom { headers += 1 }
        for record in chunk { text += FilterTestData.line(record, custom: custom) + "\n" }
        let url = directory.appendingPathComponent("\(custom ? "custom" : "v2")-\(piece).log")
        try text.write(to: url, atomically: true, encoding: .utf8)
        files.append(url)
      }
    }
    return Corpus(directory: directory, files: files, records: records, headers: headers)
  }

  /// The policy networks as flowlens takes them.
  static let networks: [String: AddressSet] = FilterTestData.networks.mapValues { prefixes in
    AddressSet(prefixes.map { CIDR($0.text)! })
  }

  /// Collects the identity of every record the reader lets through.
  struct IdentitySink: FlowRecordSink {
    var identities: [String] = []
    mutating func consume(_ record: FlowRecord, at position: RecordPosition) {
      let values: [String?] = [
        record.integer(.srcport).map(String.init), record.integer(.dstport).map(String.init),
        record.integer(.protocol).map(String.init), record.packets.map(String.init), record.bytes.map(String.init),
        record.start.map(String.init), record.end.map(String.init), record.action?.name, record.logStatus?.name,
      ]
      identities.append(values.map { $0 ?? "-" }.joined(separator: " "))
    }
  }

  static func randomTimes(using g: inout SplitMix64) -> (since: UInt64?, until: UInt64?) {
    let base = FilterTestData.base
    let since: UInt64? = Int.random(in: 0..<4, using: &g) == 0 ? base + UInt64.random(in: 0...3000, using: &g) : nil
    let until: UInt64? =
      Int.random(in: 0..<4, using: &g) == 0 ? (since ?? base) + UInt64.random(in: 1...3000, using: &g) : nil
    return (since, until)
  }

  static func expected(
    _ corpus: Corpus, _ filter: ReferenceFilter?, since: UInt64?, until: UInt64?
  ) -> [FilterTestData.Record] {
    corpus.records.filter { r in
      if let filter, !filter.matches(r) { return false }
      if let since, !((r.end ?? 0) >= since && r.end != nil) { return false }
      if let until, !((r.start ?? .max) < until && r.start != nil) { return false }
      return true
    }
  }

  @Test("400 random expressions, read in-process, keep exactly the records the reference keeps")
  func inProcess() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    var g = SplitMix64(state: 0xF117E5)
    let corpus = try Self.corpus(seed: 7, in: directory)
    var nonTrivial = 0
    for trial in 0..<400 {
      let reference = ReferenceFilter.random(depth: 3, using: &g)
      let text = reference.text(using: &g)
      let (since, until) = Self.randomTimes(using: &g)
      let parsed = try FilterParser.parse(text)
      let filter = try CompiledFilter(
        expression: parsed, text: text, since: since, until: until, networks: Self.networks)
      let reader = FlowLogReader(options: ReaderOptions(filter: filter))
      var sink = IdentitySink()
      var issues = IssueLog()
      var counts = InputCounts()
      for (index, file) in corpus.files.enumerated() {
        let input = InputFile(path: file.path, size: 0, foundInDirectory: false)
        counts.add(reader.read(ReadJob(input, index: index), into: &sink, issues: &issues))
      }
      let expected = Self.expected(corpus, reference, since: since, until: until)
      #expect(
        sink.identities.sorted() == expected.map(\.identity).sorted(),
        "trial \(trial): --where '\(text)' since \(since.map(String.init) ?? "-") until \(until.map(String.init) ?? "-")"
      )
      #expect(counts.records == expected.count && counts.filtered == corpus.records.count - expected.count)
      #expect(counts.malformed == 0, "trial \(trial): \(issues.examples.map(\.reason))")
      if !expected.isEmpty && expected.count < corpus.records.count { nonTrivial += 1 }
    }
    // The generator must make expressions that split the records, not only all-or-nothing ones.
    #expect(nonTrivial > 200)
  }

  @Test("Random expressions through records, summary, audit and report: same records, same accounting, any --jobs")
  func everyCommand() throws {
    var g = SplitMix64(state: 0xC0FFEE)
    for seed in 0..<3 {
      let directory = try CLI.temporaryDirectory()
      defer { try? FileManager.default.removeItem(at: directory) }
      let corpus = try Self.corpus(seed: UInt64(seed) &+ 100, in: directory)
      // Beside the corpus, not in it: a file in the directory is an input.
      let policy = directory.deletingLastPathComponent().appendingPathComponent(directory.lastPathComponent + ".yaml")
      defer { try? FileManager.default.removeItem(at: policy) }
      try FilterTestData.policyYAML.write(to: policy, atomically: true, encoding: .utf8)
      for _ in 0..<8 {
        let reference = ReferenceFilter.random(depth: 3, using: &g)
        let text = reference.text(using: &g)
        let (since, until) = Self.randomTimes(using: &g)
        var filterArguments = ["--where", text, "--policy", policy.path]
        if let since { filterArguments += ["--since", UTCTime.isoText(since)] }
        if let until { filterArguments += ["--until", String(until)] }
        let expected = Self.expected(corpus, reference, since: since, until: until)
        let context = "--where '\(text)' \(filterArguments.dropFirst(4).joined(separator: " "))"

        let records = try CLI.run(["records"] + filterArguments + [directory.path])
        #expect(records.status == 0, "\(context): \(records.stderr)")
        let identities = records.stdout.split(separator: "\n").map { line in
          FilterTestData.Record.identity(
            ofJSON: (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]) ?? [:])
        }
        #expect(identities.sorted() == expected.map(\.identity).sorted(), "\(context)")

        var filterObjects: [NSDictionary] = []
        for command in ["summary", "audit", "report"] {
          let jobs = String(Int.random(in: 1...4, using: &g))
          let output = try CLI.run(
            [command, "--format", "json", "--jobs", jobs] + filterArguments + [directory.path])
          #expect(output.status == 0, "\(command) \(context): \(output.stderr)")
          let json = try output.json()
          let filter = try #require(json["filter"] as? [String: Any], "\(command) \(context)")
          let totals = try #require(json["records"] as? [String: Any])
          let inputs = try #require(json["inputs"] as? [String: Any])
          #expect(filter["matched"] as? Int == expected.count, "\(command) \(context)")
          #expect(filter["excluded"] as? Int == corpus.records.count - expected.count, "\(command) \(context)")
          #expect(filter["expression"] as? String == text)
          #expect((filter["since"] as? NSNumber)?.uint64Value == since)
          #expect((filter["until"] as? NSNumber)?.uint64Value == until)
          #expect(totals["total"] as? Int == expected.count)
          #expect(totals["accept"] as? Int == expected.filter { $0.action == "ACCEPT" }.count, "\(command) \(context)")
          #expect(totals["reject"] as? Int == expected.filter { $0.action == "REJECT" }.count, "\(command) \(context)")
          let packets = expected.reduce(UInt64(0)) { $0 + ($1.packets ?? 0) }
          #expect((totals["packets"] as? NSNumber)?.uint64Value == packets, "\(command) \(context)")
          // Nothing lost: every line is a header, a matched record, an excluded one, malformed or blank.
          let lines = try #require(inputs["lines"] as? Int)
          #expect(lines == corpus.headers + corpus.records.count)
          #expect(
            lines
              == (totals["headers"] as! Int) + (filter["matched"] as! Int) + (filter["excluded"] as! Int)
              + (totals["malformed"] as! Int) + (totals["blank"] as! Int))
          filterObjects.append(filter as NSDictionary)
        }
        #expect(Set(filterObjects).count == 1, "one filter object across commands: \(context)")
      }
    }
  }
}
