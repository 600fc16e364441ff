import FlowLogParser
import Foundation
import Testing

/// What follows the last gzip member or zstd frame: accepted exactly when the format's own tool
/// (`gzip -t`, `zstd -t`) accepts it, and otherwise reported with the offset where it starts.
@Suite("Data after the end of a compressed stream")
struct CompressedTailTests {
  /// What a tail after a complete stream must give.
  enum Verdict: Equatable, CustomStringConvertible {
    /// Read to the end without an error, all the text decoded (`gzip -t`/`zstd -t` exit 0).
    case accepted
    /// "unexpected data after the end of the … stream" at this many bytes past the stream
    /// (`gzip -t`: "decompression OK, trailing garbage ignored", exit 2; `zstd -t`: exit 1).
    case trailingData(at: Int)
    /// An error that is not trailing data: the tail starts a member or frame that breaks off
    /// (`gzip -t`: "unexpected end of file", exit 1; `zstd -t`: exit 1).
    case broken

    var description: String {
      switch self {
      case .accepted: "accepted"
      case .trailingData(let at): "trailing data at +\(at)"
      case .broken: "broken"
      }
    }
  }

  static let text = CompressionTests.sampleText(records: 300)
  static let more = CompressionTests.sampleText(records: 10, offset: 300)
  static func zeros(_ n: Int) -> [UInt8] { [UInt8](repeating: 0, count: n) }

  static let gzipTails: [(name: String, tail: [UInt8], verdict: Verdict)] = [
    ("1 zero byte", zeros(1), .accepted),
    ("9 zero bytes, shorter than a gzip header", zeros(9), .accepted),
    ("512 zero bytes", zeros(512), .accepted),
    ("5000 zero bytes, across input buffers", zeros(5000), .accepted),
    ("text", Array("garbage\n".utf8), .trailingData(at: 0)),
    ("zeros, then text", zeros(3) + Array("x".utf8), .trailingData(at: 3)),
    ("zeros, then a whole member", zeros(4) + gzip(more), .trailingData(at: 4)),
    ("1F, then text", [0x1F] + Array("xyzxyzxyzxyz".utf8), .trailingData(at: 0)),
    ("the first byte of a member", [0x1F], .broken),
    ("the magic of a member", [0x1F, 0x8B], .broken),
    ("a member's header only", [0x1F, 0x8B, 0x08, 0, 0, 0, 0, 0, 0, 0x03], .broken),
    ("a member cut in half, then zeros", Array(gzip(more).prefix(40)) + zeros(64), .broken),
  ]

  /// A skippable zstd frame (magic 0x184D2A50, little-endian length, payload).
  static func skippableFrame(_ payload: [UInt8]) -> [UInt8] {
    [0x50, 0x2A, 0x4D, 0x18] + withUnsafeBytes(of: UInt32(payload.count).littleEndian, Array.init) + payload
  }

  static let zstdTails: [(name: String, tail: [UInt8], verdict: Verdict)] = [
    ("a skippable frame", skippableFrame(Array("metadata".utf8)), .accepted),
    ("a skippable frame, then a frame", skippableFrame([1, 2, 3]) + zstd(more), .accepted),
    ("1 zero byte", zeros(1), .trailingData(at: 0)),
    ("512 zero bytes", zeros(512), .trailingData(at: 0)),
    ("text", Array("garbage\n".utf8), .trailingData(at: 0)),
    ("the first byte of a frame", [0x28], .broken),
    ("a skippable frame cut short", Array(skippableFrame(Array("metadata".utf8)).prefix(10)), .broken),
  ]

  /// Checks what one decoder made of `stream + tail` against the verdict.
  static func check(
    _ result: (bytes: [UInt8], error: SourceError?), streamLength: Int, tail: [UInt8], verdict: Verdict,
    format: String, expected: [UInt8], _ label: String
  ) {
    switch verdict {
    case .accepted:
      #expect(result.error == nil, "\(label): \(result.error?.message ?? "")")
      #expect(result.bytes == expected, "\(label)")
    case .trailingData(let at):
      #expect(
        result.error?.message.hasPrefix("unexpected data after the end of the \(format) stream") == true,
        "\(label): \(result.error?.message ?? "no error")")
      #expect(result.error?.offset == UInt64(streamLength + at), "\(label)")
      #expect(result.bytes == text, "\(label)")
    case .broken:
      #expect(result.error != nil, "\(label)")
      #expect(result.error?.message.hasPrefix("unexpected data") == false, "\(label): \(result.error?.message ?? "")")
      #expect(result.bytes.count >= text.count && Array(result.bytes.prefix(text.count)) == text, "\(label)")
    }
  }

  @Test("gzip: both inflate engines accept zero padding and report other tails", arguments: gzipTails.indices)
  func gzipTail(index: Int) {
    let (name, tail, verdict) = Self.gzipTails[index]
    let stream = gzip(Self.text)
    for readSize in [1, 333, Int.max] {
      for engine in [GzipSource.Engine.isal, .zlib] {
        let source = GzipSource(
          MemorySource(stream + tail, maxReadSize: readSize), engine: engine, inputBufferSize: 4096)
        Self.check(
          drain(source), streamLength: stream.count, tail: tail, verdict: verdict,
          format: "gzip",
          expected: Self.text, "\(name), \(engine), reads of \(readSize)")
      }
    }
  }

  @Test("zstd: skippable frames are read past; zero padding and other tails are errors", arguments: zstdTails.indices)
  func zstdTail(index: Int) {
    let (name, tail, verdict) = Self.zstdTails[index]
    let stream = zstd(Self.text)
    let expected = name == "a skippable frame, then a frame" ? Self.text + Self.more : Self.text
    for readSize in [1, 333, Int.max] {
      let source = ZstdSource(MemorySource(stream + tail, maxReadSize: readSize), inputBufferSize: 4096)
      Self.check(
        drain(source), streamLength: stream.count, tail: tail, verdict: verdict, format: "zstd",
        expected: expected, "\(name), reads of \(readSize)")
    }
  }

  @Test("a zero-padded gzip file is read whole by the reader: every record, no issue")
  func paddedFileThroughReader() {
    let input = gzip(Self.text) + Self.zeros(1000)
    for chunk in [7, Int.max] {
      let result = readAll(input, chunk: chunk)
      #expect(result.counts.records == 300)
      #expect(result.issues.counts.isEmpty)
      #expect(result.counts.bytes == UInt64(input.count))
    }
  }

  // MARK: The tools themselves, as the oracle of the tables above

  /// The path of a command on `PATH`, if there is one.
  static func tool(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    return path.split(separator: ":").map { "\($0)/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
  }

  /// The exit status of `tool -t` on `bytes` written to a file.
  static func testStatus(_ tool: String, _ bytes: [UInt8]) throws -> Int32 {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("flowlens-tail-\(UUID().uuidString)")
    try Data(bytes).write(to: file)
    defer { try? FileManager.default.removeItem(at: file) }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: tool)
    process.arguments = ["-t", "-q", file.path]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    process.waitUntilExit()
    return process.terminationStatus
  }

  @Test("the gzip table says what gzip -t says", .enabled(if: tool("gzip") != nil), arguments: gzipTails.indices)
  func gzipOracle(index: Int) throws {
    let (name, tail, verdict) = Self.gzipTails[index]
    let status = try Self.testStatus(Self.tool("gzip")!, gzip(Self.text) + tail)
    // gzip -t: 0 OK, 2 a warning ("trailing garbage ignored"), 1 an error.
    let expected: Int32 =
      switch verdict {
      case .accepted: 0
      case .trailingData: 2
      case .broken: 1
      }
    #expect(status == expected, "\(name)")
  }

  @Test("the zstd table says what zstd -t says", .enabled(if: tool("zstd") != nil), arguments: zstdTails.indices)
  func zstdOracle(index: Int) throws {
    let (name, tail, verdict) = Self.zstdTails[index]
    let status = try Self.testStatus(Self.tool("zstd")!, zstd(Self.text) + tail)
    #expect((status == 0) == (verdict == .accepted), "\(name): zstd -t exit \(status)")
  }
}
