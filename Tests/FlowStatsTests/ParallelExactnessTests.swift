import FlowLogParser
import FlowStats
import Foundation
import Testing

/// One answer whatever the number of workers or the split of the input into files: below the
/// table capacity the audit and the summary are exact and identical for every configuration;
/// above it every configuration says it is approximate. Checked against counts the test makes
/// itself while generating the records, over randomized splits.
@Suite("Parallel reading: one answer for any workers and any split", .serialized)
struct ParallelExactnessTests {
  /// Large enough that 2, 3 and 8 workers each get a share smaller than the capacity (shares are
  /// never below 4,096 keys), so that workers hand their tables over while reading.
  static let capacity = 16_384

  /// What the records say, counted while they are generated.
  struct Expected {
    /// SSH records ACCEPTed from each public source (one /24 per source).
    var sshBySource: [String: UInt64] = [:]
    /// Records per source /24.
    var recordsByPrefix: [String: UInt64] = [:]
    var records: UInt64 = 0
  }

  /// `sources` public sources, each ACCEPTed on port 22 one to three times, plus replies from the
  /// server, shuffled; every source in its own /24.
  static func generate(sources: Int, random: inout SplitMix64) -> (lines: [String], expected: Expected) {
    var lines: [String] = []
    var expected = Expected()
    for i in 0..<sources {
      let prefix = "\(11 + i / 65_536).\(i / 256 % 256).\(i % 256)"
      let source = "\(prefix).7"
      let repeats = Int.random(in: 1...3, using: &random)
      for r in 0..<repeats {
        let t = 1_700_000_000 + Int.random(in: 0..<3_600, using: &random)
        lines.append(flow("eni-a", source, "10.0.1.9", 40_000 + r, 22, packets: 3, bytes: 180, start: t, end: t + 5))
        expected.sshBySource[source, default: 0] += 1
        expected.recordsByPrefix["\(prefix).0/24", default: 0] += 1
        expected.records += 1
      }
    }
    // Replies from the server: their source is the server's /24.
    for k in 0..<50 {
      lines.append(flow("eni-a", "10.0.1.9", "11.0.0.7", 22, 40_000 + k, packets: 2, bytes: 120))
      expected.recordsByPrefix["10.0.1.0/24", default: 0] += 1
      expected.records += 1
    }
    lines.shuffle(using: &random)
    return (lines, expected)
  }

  /// Writes the lines as `files` files, cut at random places (a file may hold one line).
  static func write(_ lines: [String], files: Int, in directory: URL, random: inout SplitMix64) throws -> [InputFile] {
    var cuts = Set<Int>()
    while cuts.count < files - 1 { cuts.insert(Int.random(in: 1..<lines.count, using: &random)) }
    let bounds = [0] + cuts.sorted() + [lines.count]
    var inputs: [InputFile] = []
    for k in 0..<files {
      let url = directory.appendingPathComponent(String(format: "part-%02d.log", k))
      let text = lines[bounds[k]..<bounds[k + 1]].joined(separator: "\n") + "\n"
      try Data(text.utf8).write(to: url)
      inputs.append(InputFile(path: url.path, size: UInt64(text.utf8.count), foundInDirectory: false))
    }
    return inputs
  }

  /// A finding without its evidence (which names a file, and so depends on the split).
  static func withoutEvidence(_ finding: Finding) -> Finding {
    var copy = finding
    copy.evidence = nil
    return copy
  }

  struct Outcome: Equatable {
    var findings: [Finding]
    var approximateTables: [String]
    var sources: [String: TrafficCounters]
    var sourceTableApproximate: Bool
    var records: UInt64
  }

  /// Audits and summarises the inputs with `workers` workers; plain files are split into pieces
  /// too, so that one file is read by several workers.
  static func run(_ inputs: [InputFile], workers: Int) -> Outcome {
    let reader = ParallelReader(jobs: workers, splitThreshold: 64 << 10, minimumPieceSize: 16 << 10)
    let makeAudit = AuditAggregator.workerFactory(
      policy: .builtIn, inputNames: inputs.map(\.path), tableCapacity: capacity)
    let audit = reader.read(inputs, makeSink: makeAudit).sink
    let options = SummaryOptions(sourceCapacity: capacity)
    let summary = reader.read(inputs) { SummaryAggregator(options: options) }.sink
    var sources: [String: TrafficCounters] = [:]
    for entry in summary.bySource.allEntries {
      sources["\(entry.key)/\(entry.key.isIPv6 ? 64 : 24)"] = entry.value
    }
    return Outcome(
      findings: audit.findings().filter { $0.rule == "admin-exposure" },
      approximateTables: audit.approximations.map(\.table).sorted(), sources: sources,
      sourceTableApproximate: summary.bySource.isApproximate, records: audit.totals.records)
  }

  @Test(
    "below the capacity: exact and identical; above it: approximate in every configuration",
    arguments: [(seed: UInt64(1), below: true), (2, false), (3, true), (4, false)])
  func randomizedSplits(seed: UInt64, below: Bool) throws {
    var random = SplitMix64(state: seed)
    // Distinct keys just below or just above the capacity. Each source is one key of the
    // admin-exposure table and one of the source-prefix table (plus the server's prefix).
    let sources =
      below
      ? Self.capacity - 1 - Int.random(in: 1...64, using: &random)
      : Self.capacity + Int.random(in: 1...64, using: &random)
    let (lines, expected) = Self.generate(sources: sources, random: &random)
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("flowlens-split-\(seed)-\(getpid())")
    defer { try? FileManager.default.removeItem(at: directory) }

    var reference: [Finding]? = nil
    for trial in 0..<2 {
      try? FileManager.default.removeItem(at: directory)
      try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
      let files = trial == 0 ? 1 : Int.random(in: 2...5, using: &random)
      let inputs = try Self.write(lines, files: files, in: directory, random: &random)
      var sameSplit: Outcome? = nil
      for workers in [1, 2, 3, 8] {
        let outcome = Self.run(inputs, workers: workers)
        let context = "seed \(seed), \(files) files, \(workers) workers"
        #expect(outcome.records == expected.records, "\(context)")
        if below {
          // Exact: against the generator's own counts, whatever the configuration.
          #expect(outcome.approximateTables.isEmpty, "\(context): \(outcome.approximateTables)")
          #expect(!outcome.sourceTableApproximate, "\(context)")
          #expect(outcome.findings.count == expected.sshBySource.count, "\(context)")
          for finding in outcome.findings {
            #expect(
              finding.records == expected.sshBySource[finding.source ?? ""], "\(context): \(finding.source ?? "-")")
          }
          #expect(outcome.sources.count == expected.recordsByPrefix.count, "\(context)")
          for (prefix, records) in expected.recordsByPrefix {
            #expect(outcome.sources[prefix]?.records == records, "\(context): \(prefix)")
          }
          // Identical, evidence included, for every number of workers on the same files.
          if let sameSplit { #expect(outcome == sameSplit, "\(context)") }
          // Identical but for the evidence's file for every split.
          let comparable = outcome.findings.map(Self.withoutEvidence)
          if let reference { #expect(comparable == reference, "\(context)") } else { reference = comparable }
        } else {
          // Past the capacity: every configuration says so.
          #expect(outcome.approximateTables.contains("allow_list"), "\(context): \(outcome.approximateTables)")
          #expect(outcome.sourceTableApproximate, "\(context)")
          #expect(outcome.findings.count <= Self.capacity, "\(context)")
        }
        sameSplit = outcome
      }
    }
  }
}
