import FlowLogParser
import Foundation
import Testing

/// Counts per line, to compare runs exactly: which lines became records, and their packets.
struct LineLedger: MergeableRecordSink {
  var lines: [Int: UInt64] = [:]
  var layouts = 0

  mutating func consume(_ record: FlowRecord, at position: RecordPosition) {
    lines[position.inputIndex * 1_000_000 + position.line] = record.packets ?? UInt64.max
  }

  mutating func merge(_ other: LineLedger) {
    lines.merge(other.lines) { a, _ in a }
  }
}

@Suite("Parallel reading")
struct ParallelReaderTests {
  /// A plain file with headers mid-stream (a layout change), malformed and blank lines, and a
  /// compressed file beside it.
  static func makeInputs(in directory: URL) throws -> [InputFile] {
    var text = defaultHeader + "\n"
    for i in 0..<30_000 {
      if i == 12_345 { text += "srcaddr dstaddr packets action\n" }
      if i == 20_000 { text += defaultHeader + "\n" }
      if i % 997 == 0 { text += "garbage line \(i)\n" }
      if i % 1500 == 0 { text += "\n" }
      if (12_345..<20_000).contains(i) {
        text += "10.0.\(i % 200).1 10.1.0.1 \(i) ACCEPT\n"
      } else {
        text += v2Line(srcport: String(1024 + i % 60_000), packets: String(i)) + "\n"
      }
    }
    let plain = directory.appendingPathComponent("big.log")
    try Data(text.utf8).write(to: plain)
    let gz = directory.appendingPathComponent("small.log.gz")
    try Data(gzip(Array(text.prefix(200_000).utf8))).write(to: gz)
    return InputDiscovery.expand([plain.path, gz.path]).files
  }

  @Test("the same records, line numbers, counts and issues for any number of workers")
  func deterministic() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("flowlens-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let inputs = try Self.makeInputs(in: directory)

    var sequentialSink = LineLedger()
    var sequentialIssues = IssueLog()
    let sequential = FlowLogReader().readAll(inputs, into: &sequentialSink, issues: &sequentialIssues)
    #expect(sequential.records > 30_000)  // the gz file holds the first lines again
    #expect(sequential.headers == 4)
    #expect(sequential.lines == sequential.headers + sequential.records + sequential.malformed + sequential.blank)

    for jobs in [1, 2, 3, 4, 8] {
      let reader = ParallelReader(jobs: jobs, splitThreshold: 64 << 10, minimumPieceSize: 64 << 10)
      let (sink, counts, issues) = reader.read(inputs) { LineLedger() }
      #expect(counts == sequential, "jobs \(jobs)")
      #expect(sink.lines == sequentialSink.lines, "jobs \(jobs)")
      #expect(issues.examples == sequentialIssues.examples, "jobs \(jobs)")
      #expect(issues.counts == sequentialIssues.counts, "jobs \(jobs)")
    }
  }
}
