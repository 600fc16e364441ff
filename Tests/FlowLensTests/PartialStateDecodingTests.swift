import FlowLogParser
import FlowStats
import Foundation
import Testing

/// Corrupt, truncated and crafted partial states: a clear error naming the byte, never a crash.
@Suite("partial state decoding", .serialized)
struct PartialStateDecodingTests {
  /// A state of `command` over the sample, made by the CLI.
  static func state(_ command: String, _ options: [String] = []) throws -> [UInt8] {
    let work = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: work) }
    let path = work.appendingPathComponent("s.state").path
    let output = try CLI.run([command, "--partial", path] + options + ["Fixtures/sample"])
    #expect(output.status == 0, "\(output.stderr)")
    return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
  }

  /// Decodes and merges a state as `flowlens merge` does, and builds the command's report.
  static func decode(payload bytes: [UInt8]) throws {
    let state = try PartialState(payload: bytes, from: 0)
    let merge = try PartialMerge(states: [state], names: ["x"])
    switch merge.shape {
    case .summary:
      _ = SummaryReport(aggregate: try merge.summary(), counts: merge.counts, issues: merge.issues)
    case .audit(_, let perRule):
      let policy = try merge.policy!.parsed()
      _ = AuditReport(
        policySource: "x", aggregate: try merge.audit(policy: policy), counts: merge.counts, issues: merge.issues,
        findingsPerRule: perRule)
    case .report:
      let policy = try merge.policy!.parsed()
      _ = ReportDocument(
        policySource: "x", aggregate: try merge.report(policy: policy), counts: merge.counts, issues: merge.issues)
    }
  }

  static let commands: [(String, [String])] = [
    ("summary", ["--by", "flow-log,interface", "--bucket", "1m"]), ("audit", []), ("report", []),
  ]

  @Test(
    "truncations of the payload (every one, or 2,000 spread over it) are errors, never a crash",
    arguments: commands.map(\.0))
  func truncations(command: String) throws {
    let options = Self.commands.first { $0.0 == command }!.1
    let bytes = try Self.state(command, options)
    let payload = Array(bytes[24...])
    try Self.decode(payload: payload)
    for length in stride(from: 0, to: payload.count, by: max(1, payload.count / 2_000)) {
      #expect(throws: (any Error).self, "payload cut at \(length)") {
        try Self.decode(payload: Array(payload[..<length]))
      }
    }
  }

  @Test("random byte changes decode or fail cleanly", arguments: commands.map(\.0))
  func mutations(command: String) throws {
    let options = Self.commands.first { $0.0 == command }!.1
    let payload = Array(try Self.state(command, options)[24...])
    var random = SplitMix64(state: 17)
    for _ in 0..<1_500 {
      var mutated = payload
      for _ in 0..<Int.random(in: 1...4, using: &random) {
        let index = Int.random(in: 0..<mutated.count, using: &random)
        mutated[index] = Bool.random(using: &random) ? UInt8.random(in: 0...255, using: &random) : mutated[index] ^ 0x80
      }
      try? Self.decode(payload: mutated)
    }
  }

  @Test("the envelope: magic, version, length and checksum are checked, with the byte named")
  func envelope() throws {
    let bytes = try Self.state("summary")
    #expect(throws: StateError.self) { try PartialState(decoding: Array(bytes[..<(bytes.count - 1)])) }
    var version = bytes
    version[8] = 1
    #expect(throws: StateError(offset: 8, "format version 1; this flowlens reads version 2")) {
      try PartialState(decoding: version)
    }
    var flipped = bytes
    flipped[bytes.count - 3] ^= 1
    #expect(throws: StateError(offset: 20, "checksum mismatch: the file is corrupt")) {
      try PartialState(decoding: flipped)
    }
    #expect(throws: StateError.self) { try PartialState(decoding: Array("version 2 srcaddr\n".utf8)) }
    _ = try PartialState(decoding: bytes)
  }

  @Test("a huge count is refused before anything is allocated")
  func hugeCount() throws {
    var writer = StateWriter()
    writer.uint(1 << 60)
    var reader = StateReader(writer.bytes)
    #expect(throws: StateError.self) { _ = try reader.count() }
  }

  @Test("merge of a truncated file: exit 2 and the byte, on standard error")
  func truncatedFile() throws {
    let bytes = try Self.state("audit")
    let work = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: work) }
    let path = work.appendingPathComponent("cut.state")
    try Data(bytes[..<(bytes.count / 2)]).write(to: path)
    let output = try CLI.run(["merge", path.path])
    #expect(output.status == 2)
    #expect(output.stderr.hasPrefix("flowlens: \(path.path): byte 12: the payload should be"), "\(output.stderr)")
  }
}
