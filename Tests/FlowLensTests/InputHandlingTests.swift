import Foundation
import Testing

/// What the commands make of inputs that are not flow logs, padded compressed files, and runs
/// that read no record at all.
@Suite("Inputs that are not flow logs, and empty runs")
struct InputHandlingTests {
  /// A real 1×1 RGB PNG (`file` says "PNG image data, 1 x 1, 8-bit/color RGB, non-interlaced").
  static let png: [UInt8] = [
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00,
    0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53, 0xDE, 0x00, 0x00, 0x00,
    0x0C, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0x00, 0x00, 0x03, 0x01, 0x01, 0x00, 0xC9,
    0xFE, 0x92, 0xEF, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
  ]

  /// Bytes from a fixed-seed xorshift generator.
  static func randomBytes(_ count: Int) -> [UInt8] {
    var state: UInt64 = 0x9E37_79B9_7F4A_7C15
    return (0..<count).map { _ in
      state ^= state << 13
      state ^= state >> 7
      state ^= state << 17
      return UInt8(truncatingIfNeeded: state >> 24)
    }
  }

  static let record =
    "2 123456789012 eni-0a1b2c3d4e5f60718 203.0.113.9 10.0.1.5 40000 22 6 10 840 1700000000 1700000060 ACCEPT OK"
  static let nodata = "2 123456789012 eni-0a1b2c3d4e5f60718 - - - - - - - 1700000000 1700000060 - NODATA"

  /// A fresh temporary directory holding `files` (name → bytes), removed afterwards.
  static func withDirectory(_ files: [String: [UInt8]], _ body: (String) throws -> Void) throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("flowlens-cli-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: root) }
    for (name, bytes) in files { try Data(bytes).write(to: root.appendingPathComponent(name)) }
    try body(root.path)
  }

  @Test("a directory walk skips an image, random bytes and other JSON with a note each; its flow logs are read")
  func walkSkipsForeignFiles() throws {
    let files: [String: [UInt8]] = [
      "flows.log": Array((Self.record + "\n" + Self.record + "\n").utf8),
      "diagram.png": Self.png,
      "blob.bin": Self.randomBytes(20_000),
      "trail.json": Array(#"{"Records":[{"eventName":"ConsoleLogin","eventTime":"2024-11-26T00:00:00Z"}]}"#.utf8),
    ]
    try Self.withDirectory(files) { directory in
      let output = try CLI.run(["summary", "--format", "json", directory])
      #expect(output.status == 0, "\(output.stderr)")
      let json = try output.json()
      let records = try #require(json["records"] as? [String: Any])
      #expect(records["total"] as? Int == 2)
      #expect(records["malformed"] as? Int == 0)
      #expect((json["inputs"] as? [String: Any])?["files"] as? Int == 1)
      #expect(output.stderr.contains("flowlens: \(directory)/diagram.png: skipped: PNG image, not a text flow log"))
      #expect(output.stderr.contains("flowlens: \(directory)/blob.bin: skipped: binary data, not a text flow log"))
      #expect(
        output.stderr.contains(
          "flowlens: \(directory)/trail.json: skipped: JSON input is not supported; flowlens reads flow log text and "
        ))
      #expect(!output.stderr.contains("malformed"))
    }
  }

  @Test(
    "named on the command line, a PNG is an input error naming the file and what it is",
    arguments: ["summary", "audit", "records"])
  func explicitBinaryIsAnError(command: String) throws {
    try Self.withDirectory(["diagram.png": Self.png]) { directory in
      let output = try CLI.run([command, "\(directory)/diagram.png"])
      #expect(output.status == 2)
      #expect(
        output.stderr.contains("flowlens: \(directory)/diagram.png: PNG image, not a text flow log"), "\(output.stderr)"
      )
      #expect(!output.stderr.contains("expected 14 fields"))
    }
  }

  @Test("a gzip object followed by zero padding is read whole, exit 0 (gzip -t accepts it)")
  func zeroPaddedGzip() throws {
    let file = try CLI.sampleGzipObject()
    let whole = try Data(contentsOf: file)
    let unpadded = try CLI.run(["summary", "--format", "json", "-"], stdin: whole)
    let padded = try CLI.run(["summary", "--format", "json", "-"], stdin: whole + Data(count: 4096))
    #expect(unpadded.status == 0)
    #expect(padded.status == 0, "\(padded.stderr)")
    #expect(padded.stderr.isEmpty)
    #expect(try padded.json()["records"] as? [String: Int] == (try unpadded.json()["records"] as? [String: Int]))
    // Other data after the stream is still an error at its offset.
    let garbage = try CLI.run(["summary", "--format", "json", "-"], stdin: whole + Data("junk".utf8))
    #expect(garbage.status == 2)
    #expect(
      garbage.stderr.contains("flowlens: -: byte \(whole.count): unexpected data after the end of the gzip stream"))
  }

  /// Commands and formats, each run on inputs without a single record.
  static let commands: [[String]] = [
    ["summary"], ["summary", "--format", "json"], ["audit"], ["audit", "--format", "json"],
    ["report", "--format", "json"],
    ["report"], ["records"],
  ]

  @Test(
    "no record in the input: exit 2 naming what was read, whatever the command; --allow-empty: 0", arguments: commands)
  func emptyRunIsAnError(command: [String]) throws {
    try Self.withDirectory([:]) { empty in
      try Self.withDirectory([
        "diagram.png": Self.png, "table.avro": [0x4F, 0x62, 0x6A, 0x01] + Array(repeating: 0, count: 60),
      ]) { foreign in
        try Self.withDirectory(["only-header.log": Array("version srcaddr\nnot a record\n".utf8)]) { unusable in
          let cases: [(arguments: [String], stdin: Data?, read: String)] = [
            ([empty], nil, "no files found in \(empty)"),
            ([foreign], nil, "2 files: 2 skipped (diagram.png, table.avro)"),
            ([unusable], nil, "1 file: 1 read: 2 lines (1 header, 1 malformed)"),
            (["-"], Data(), "standard input: 0 lines"),
          ]
          for (arguments, stdin, read) in cases {
            let output = try CLI.run(command + arguments, stdin: stdin)
            #expect(output.status == 2, "\(command) \(arguments)")
            #expect(
              output.stderr.contains("flowlens: no flow log records in the input (\(read)); --allow-empty to accept\n"),
              "\(command) \(arguments): \(output.stderr)")
            if command.contains("json") {
              #expect(throws: Never.self, "\(command): the output is still valid JSON") { try output.json() }
            }
            let allowed = try CLI.run(command + ["--allow-empty"] + arguments, stdin: stdin)
            #expect(allowed.status == 0, "\(command) --allow-empty \(arguments): \(allowed.stderr)")
            #expect(!allowed.stderr.contains("no flow log records"))
            #expect(allowed.stdout == output.stdout, "the output is the same either way")
          }
        }
      }
    }
  }

  @Test("NODATA and SKIPDATA lines are records: a run of only those is not empty", arguments: commands)
  func nodataIsNotEmpty(command: [String]) throws {
    let output = try CLI.run(command + ["-"], stdin: Data((Self.nodata + "\n").utf8))
    #expect(output.status == 0, "\(command): \(output.stderr)")
  }
}
