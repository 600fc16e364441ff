import FlowLogParser
import Foundation
import Testing

@Suite("Finding inputs")
struct InputDiscoveryTests {
  /// A temporary directory tree, removed afterwards.
  static func withTree(_ body: (URL) throws -> Void) throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("flowlens-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: root) }
    try body(root)
  }

  @Test("directories are walked recursively in sorted order; hidden files and loops are skipped with a reason")
  func walk() throws {
    try Self.withTree { root in
      let day = root.appendingPathComponent("AWSLogs/123456789012/vpcflowlogs/us-east-1/2024/01/02")
      try FileManager.default.createDirectory(at: day, withIntermediateDirectories: true)
      let b = day.appendingPathComponent("123456789012_vpcflowlogs_us-east-1_fl-1_20240102T0005Z_b.log.gz")
      let a = day.appendingPathComponent("123456789012_vpcflowlogs_us-east-1_fl-1_20240102T0000Z_a.log.gz")
      try Data(gzip(Array((defaultHeader + "\n" + v2Line() + "\n").utf8))).write(to: a)
      try Data(gzip(Array((defaultHeader + "\n" + v2Line() + "\n" + v2Line() + "\n").utf8))).write(to: b)
      try Data("x".utf8).write(to: day.appendingPathComponent(".DS_Store"))
      try Data("PAR1....".utf8).write(to: day.appendingPathComponent("x.log.parquet"))
      // A symbolic link back up the tree must not loop.
      try FileManager.default.createSymbolicLink(at: day.appendingPathComponent("loop"), withDestinationURL: root)

      let found = InputDiscovery.expand([root.path])
      // A Parquet object is read (by content, not by name): this one is too short to be Parquet.
      #expect(
        found.files.map { URL(fileURLWithPath: $0.path).lastPathComponent } == [
          a.lastPathComponent, b.lastPathComponent, "x.log.parquet",
        ])
      #expect(found.files.allSatisfy { $0.foundInDirectory })
      #expect(found.skipped.count == 2)
      #expect(found.errors.isEmpty)

      var sink = CollectingSink()
      var issues = IssueLog()
      let counts = FlowLogReader().readAll(found.files, into: &sink, issues: &issues)
      #expect(counts.records == 3)
      #expect(counts.files == 3)
      #expect(issues.inputErrors.map(\.kind) == [.badStream])
      #expect(issues.inputErrors.first?.reason.contains("too short to be Parquet") == true)
    }
  }

  @Test("a missing path is an error; '-' and no path mean standard input")
  func paths() {
    let missing = InputDiscovery.expand(["/nonexistent/flowlens/x.log"])
    #expect(missing.files.isEmpty)
    #expect(missing.errors.first?.message == "No such file or directory")
    #expect(InputDiscovery.expand([]).files == [.standardInput])
    #expect(InputDiscovery.expand(["-"]).files == [.standardInput])
  }

  @Test("a file found in a directory whose content is not a text log is skipped, not an error")
  func skippedByContent() throws {
    try Self.withTree { root in
      let file = root.appendingPathComponent("archive.log")
      try Data([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00, 1, 2, 3]).write(to: file)
      let found = InputDiscovery.expand([root.path])
      var sink = CollectingSink()
      var issues = IssueLog()
      _ = FlowLogReader().readAll(found.files, into: &sink, issues: &issues)
      #expect(issues.inputErrors.isEmpty)
      #expect(issues.examples.first?.kind == .skippedFile)

      // Named explicitly, the same file is an input error.
      var explicitIssues = IssueLog()
      _ = FlowLogReader().readAll(InputDiscovery.expand([file.path]).files, into: &sink, issues: &explicitIssues)
      #expect(explicitIssues.inputErrors.first?.kind == .unsupportedFormat)
    }
  }
}
