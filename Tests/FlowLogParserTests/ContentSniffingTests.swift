import FlowLogParser
import Foundation
import Testing

/// Inputs that are plainly not flow log text — images, archives, random bytes, JSON — are
/// recognised from their first (decoded) bytes: skipped with a note in a directory walk, an input
/// error when named; never read as thousands of malformed lines.
@Suite("Sniffing what an input holds")
struct ContentSniffingTests {
  /// A real 1×1 RGB PNG (`file` says "PNG image data, 1 x 1, 8-bit/color RGB, non-interlaced").
  static let png: [UInt8] = [
    0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44, 0x52, 0x00, 0x00,
    0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x02, 0x00, 0x00, 0x00, 0x90, 0x77, 0x53, 0xDE, 0x00, 0x00, 0x00,
    0x0C, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8, 0xCF, 0xC0, 0x00, 0x00, 0x03, 0x01, 0x01, 0x00, 0xC9,
    0xFE, 0x92, 0xEF, 0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
  ]

  /// Bytes from a fixed-seed xorshift generator: the same "random" file on every run.
  static func randomBytes(_ count: Int, seed: UInt64 = 0x9E37_79B9_7F4A_7C15) -> [UInt8] {
    var state = seed
    return (0..<count).map { _ in
      state ^= state << 13
      state ^= state >> 7
      state ^= state << 17
      return UInt8(truncatingIfNeeded: state >> 24)
    }
  }

  /// A tar archive holding one flow log: a 512-byte header (name, mode, size in octal, `ustar`
  /// at 257), then the file's bytes padded to 512.
  static var tar: [UInt8] {
    let body = Array((defaultHeader + "\n" + v2Line() + "\n").utf8)
    var header = [UInt8](repeating: 0, count: 512)
    header.replaceSubrange(0..<8, with: Array("flow.log".utf8))
    header.replaceSubrange(100..<107, with: Array("0000644".utf8))
    header.replaceSubrange(124..<135, with: Array(String(body.count, radix: 8).leftPadded(to: 11).utf8))
    header.replaceSubrange(257..<263, with: Array("ustar\0".utf8))
    return header + body + [UInt8](repeating: 0, count: 512 - body.count % 512)
  }

  /// A CloudWatch Logs subscription delivery, as Firehose writes it to S3 (gzip of this JSON).
  static let cloudWatchPayload = """
    {"messageType":"DATA_MESSAGE","owner":"123456789012","logGroup":"vpc-flow-logs","logStream":"eni-0a1b2c3d4e5f60718-all",\
    "subscriptionFilters":["to-firehose"],"logEvents":[{"id":"37890000000000000000000000000000000000000000000000000000",\
    "timestamp":1700000000000,"message":"\(v2Line())"},{"id":"37890000000000000000000000000000000000000000000000000001",\
    "timestamp":1700000000000,"message":"\(v2Line(action: "REJECT"))"}]}
    """

  /// Content that is not a flow log, and the words its message must contain.
  static let foreign: [(label: String, bytes: [UInt8], what: String)] = [
    ("a PNG image", png, "PNG image"),
    ("a gzipped PNG image", gzip(png), "gzip-compressed PNG image"),
    ("random bytes", randomBytes(20_000), "binary data"),
    ("zstd-compressed random bytes", zstd(randomBytes(20_000)), "zstd-compressed binary data"),
    ("a JPEG image", [0xFF, 0xD8, 0xFF, 0xE0] + randomBytes(3000), "JPEG image"),
    ("a PDF document", Array("%PDF-1.7\n".utf8) + randomBytes(3000), "PDF document"),
    ("an ELF executable", [0x7F, 0x45, 0x4C, 0x46, 2, 1, 1, 0] + [UInt8](repeating: 0, count: 56), "ELF executable"),
    ("a gzipped Parquet file", gzip(Array("PAR1".utf8) + randomBytes(500)), "gzip-compressed Parquet file"),
    ("a gzipped tar of flow logs", gzip(tar), "gzip-compressed tar archive"),
    ("UTF-16 text", [0xFF, 0xFE] + Array(v2Line().utf8).flatMap { [$0, 0] }, "UTF-16 text"),
    (
      "a zstd JSON array", zstd(Array(" [{\"srcaddr\": \"10.0.0.1\"}]\n".utf8)),
      "zstd-compressed JSON input is not supported"
    ),
    ("a JSON object", Array("\n{\"version\": 2}\n".utf8), "JSON input is not supported"),
  ]

  static func read(_ bytes: [UInt8], foundInDirectory: Bool) -> (counts: InputCounts, issues: IssueLog) {
    var sink = CollectingSink()
    var issues = IssueLog()
    let job = ReadJob(InputFile(path: "dir/object", size: 0, foundInDirectory: foundInDirectory))
    let counts = FlowLogReader().read(job, from: MemorySource(bytes), into: &sink, issues: &issues)
    return (counts, issues)
  }

  @Test("found in a directory: skipped with a note saying what it is; no line read", arguments: foreign.indices)
  func skippedInDirectory(index: Int) {
    let (label, bytes, what) = Self.foreign[index]
    let (counts, issues) = Self.read(bytes, foundInDirectory: true)
    #expect(counts.lines == 0, "\(label)")
    #expect(counts.malformed == 0, "\(label)")
    #expect(counts.files == 0, "\(label): a skipped file is not counted as read")
    #expect(issues.inputErrors.isEmpty, "\(label)")
    #expect(issues.examples.count == 1, "\(label): \(issues.examples.map(\.reason))")
    let note = issues.examples.first
    #expect(note?.kind == .skippedFile, "\(label)")
    #expect(note?.file == "dir/object")
    #expect(note?.reason.hasPrefix("skipped: \(what)") == true, "\(label): \(note?.reason ?? "")")
  }

  @Test("named explicitly: an input error saying what it is", arguments: foreign.indices)
  func errorWhenNamed(index: Int) {
    let (label, bytes, what) = Self.foreign[index]
    let (counts, issues) = Self.read(bytes, foundInDirectory: false)
    #expect(counts.lines == 0, "\(label)")
    #expect(issues.inputErrors.count == 1, "\(label)")
    #expect(issues.inputErrors.first?.kind == .unsupportedFormat, "\(label)")
    #expect(
      issues.inputErrors.first?.reason.hasPrefix(what) == true, "\(label): \(issues.inputErrors.first?.reason ?? "")")
    #expect(issues.malformedLines == 0, "\(label)")
  }

  /// Flow logs with a few bad bytes are text: their lines are read, the bad ones reported one by one.
  /// (A CloudWatch Logs payload is read too, its log events the lines.)
  /// Each with the lines it has and the records it has at least (all but the line with the bad byte).
  static let textLogs: [(label: String, text: [UInt8], lines: Int, minimumRecords: Int)] = {
    var lines = [defaultHeader] + (0..<40).map { v2Line(srcport: String(1024 + $0)) }
    let plain = Array((lines.joined(separator: "\n") + "\n").utf8)
    var withNUL = plain
    withNUL[300] = 0  // inside the third line
    var latin1 = plain
    latin1[500] = 0xE9  // a stray Latin-1 byte
    lines[5] = "2 123456789012 eni-\u{07}bell 10.0.1.5 198.51.100.7 1 2 6 1 1 1 2 ACCEPT OK"
    let bell = Array((lines.joined(separator: "\n") + "\n").utf8)
    let nodata = Array("2 123456789012 eni-0a1b2c3d4e5f60718 - - - - - - - 1700000000 1700000060 - NODATA\n".utf8)
    let cloudWatch = Array("2024-11-26T00:00:04.000Z \(v2Line())\n".utf8)
    let oneLineWithNUL = Array("2 123456789012 eni-0a1b\0 10.0.1.5 198.51.100.7 1 2 6 1 1 1 2 ACCEPT OK\n".utf8)
    let bom = [0xEF, 0xBB, 0xBF] + plain
    return [
      ("a clean log", plain, 41, 40), ("one NUL byte", withNUL, 41, 39), ("one Latin-1 byte", latin1, 41, 39),
      ("a BEL in an interface id", bell, 41, 39), ("one NODATA record", nodata, 1, 1),
      ("a CloudWatch export line", cloudWatch, 1, 1), ("one line with a NUL", oneLineWithNUL, 1, 0),
      ("a gzipped CloudWatch Logs subscription payload", gzip(Array(cloudWatchPayload.utf8)), 2, 2),
      ("a UTF-8 byte order mark", bom, 41, 39), ("gzipped, one NUL byte", gzip(withNUL), 41, 39),
    ]
  }()

  @Test("text flow logs with a stray byte are read as text, in a directory too", arguments: textLogs.indices)
  func strayBytesStayText(index: Int) {
    let (label, text, lines, minimumRecords) = Self.textLogs[index]
    let (counts, issues) = Self.read(text, foundInDirectory: true)
    #expect(counts.files == 1, "\(label)")
    #expect(counts.lines == lines, "\(label)")
    #expect(issues.inputErrors.isEmpty && !issues.counts.keys.contains { $0.kind == .skippedFile }, "\(label)")
    // Whether the line with the bad byte is a record is the decoder's business; every other line is.
    #expect(counts.records >= minimumRecords, "\(label): \(counts.records)")
  }

  @Test("a big binary file is not split across workers and read as pieces of text")
  func bigBinaryNotSplit() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("flowlens-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try Data(Self.randomBytes(1 << 18)).write(to: directory.appendingPathComponent("blob.log"))
    try Data((v2Line() + "\n").utf8).write(to: directory.appendingPathComponent("flows.log"))
    let files = InputDiscovery.expand([directory.path]).files
    let reader = ParallelReader(jobs: 2, splitThreshold: 4096, minimumPieceSize: 4096)
    let (sink, counts, issues) = reader.read(files) { LineLedger() }
    #expect(counts.records == 1)
    #expect(sink.lines.count == 1)
    #expect(counts.malformed == 0)
    #expect(counts.files == 1)
    #expect(issues.inputErrors.isEmpty)
    #expect(issues.examples.map(\.kind) == [.skippedFile])
    #expect(issues.examples.first?.file.hasSuffix("blob.log") == true)
  }

  @Test("the first block of random bytes is binary whatever the seed; a window cut inside a UTF-8 character is text")
  func sniffEdges() {
    for seed in 1...50 {
      #expect(
        InputContent.sniff(Self.randomBytes(4096, seed: UInt64(seed) &* 0x2545_F491_4F6C_DD1D))
          == .binary("binary data"))
    }
    let accented = Array(
      String(repeating: "2 123456789012 eni-é 10.0.1.5 10.0.1.6 1 2 6 1 1 1 2 ACCEPT OK\n", count: 80).utf8)
    #expect(InputContent.sniff(accented) == .text)
    #expect(InputContent.sniff(accented.prefix(InputContent.sniffLength)) == .text)
    #expect(InputContent.sniff(Array("é".utf8).prefix(1)) == .text)
  }
}

extension String {
  fileprivate func leftPadded(to width: Int) -> String {
    String(repeating: "0", count: max(0, width - count)) + self
  }
}
