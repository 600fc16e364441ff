import CZstd
import FlowLogParser
import Foundation
import Testing

/// A source that fails after a number of bytes, as a disk or network error would.
final class FailingSource: ByteSource {
  private let inner: MemorySource
  private let failAt: Int
  private var given = 0
  init(_ bytes: [UInt8], failAt: Int) {
    inner = MemorySource(bytes)
    self.failAt = failAt
  }
  var bytesConsumed: UInt64 { UInt64(given) }
  func read(into buffer: UnsafeMutableRawBufferPointer) throws(SourceError) -> Int {
    if given >= failAt { throw SourceError(offset: UInt64(given), message: "Input/output error") }
    let n = try inner.read(into: UnsafeMutableRawBufferPointer(rebasing: buffer[0..<min(buffer.count, failAt - given)]))
    given += n
    return n
  }
}

@Suite("Hostile input")
struct HostileInputTests {
  @Test("a zstd frame asking for a 1 GiB window is refused with a clear error, not a huge allocation")
  func hugeWindow() throws {
    let text = Array((defaultHeader + "\n" + v2Line() + "\n").utf8)
    // Streaming compression with no pledged size keeps the requested window in the frame header.
    let context = try #require(ZSTD_createCCtx())
    defer { ZSTD_freeCCtx(context) }
    ZSTD_CCtx_setParameter(context, ZSTD_c_windowLog, 30)
    var output = [UInt8](repeating: 0, count: 4096)
    let written = output.withUnsafeMutableBytes { out in
      text.withUnsafeBytes { src in
        var outBuffer = ZSTD_outBuffer(dst: out.baseAddress, size: out.count, pos: 0)
        var inBuffer = ZSTD_inBuffer(src: src.baseAddress, size: src.count, pos: 0)
        // Feed first and end separately: one call with everything would let zstd see the size
        // and shrink the window.
        _ = ZSTD_compressStream2(context, &outBuffer, &inBuffer, ZSTD_e_continue)
        var empty = ZSTD_inBuffer(src: nil, size: 0, pos: 0)
        _ = ZSTD_compressStream2(context, &outBuffer, &empty, ZSTD_e_end)
        return outBuffer.pos
      }
    }
    let result = readAll(Array(output[0..<written]))
    let error = try #require(result.issues.inputErrors.first)
    #expect(error.kind == .badStream)
    #expect(error.reason.contains("window larger than 128 MiB"))
    #expect(result.counts.records == 0)
  }

  @Test("a read error mid-file: an unreadable-input error with its offset; records before it counted")
  func readError() throws {
    let text = Array(
      ([defaultHeader] + (0..<100).map { v2Line(srcport: String(2000 + $0)) }).joined(separator: "\n").utf8)
    var sink = CollectingSink()
    var issues = IssueLog()
    let counts = FlowLogReader().read(FailingSource(text, failAt: 5000), name: "disk.log", into: &sink, issues: &issues)
    let error = try #require(issues.inputErrors.first)
    #expect(error.kind == .unreadable)
    #expect(error.offset == 5000)
    #expect(counts.records > 30)
    #expect(sink.records.enumerated().allSatisfy { $0.element["srcport"] == String(2000 + $0.offset) })
    #expect(counts.lines == counts.headers + counts.records + counts.malformed + counts.blank)
  }

  @Test("a 50 MB line without a newline is one malformed line; the lines around it still count")
  func hugeLine() {
    var bytes = Array((v2Line() + "\n").utf8)
    bytes += [UInt8](repeating: UInt8(ascii: "7"), count: 50_000_000)
    bytes += Array(("\n" + v2Line() + "\n").utf8)
    let result = readAll(bytes, chunk: 1 << 20)
    #expect(result.counts.records == 2)
    #expect(result.counts.malformed == 1)
    #expect(result.issues.examples.first?.kind == .lineTooLong)
    #expect(result.issues.examples.first?.line == 2)
  }

  @Test("empty inputs: a zero-length file, an empty gzip member, an empty zstd frame")
  func emptyInputs() {
    for bytes in [[UInt8](), gzip([]), zstd([]), gzip([]) + gzip([])] {
      let result = readAll(bytes)
      #expect(result.counts.lines == 0)
      #expect(result.issues.counts.isEmpty)
    }
  }

  @Test("a FIFO named as input is read; a FIFO found in a directory is skipped")
  func fifo() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("flowlens-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let path = directory.appendingPathComponent("pipe").path
    #expect(mkfifo(path, 0o600) == 0)
    let writer = Thread {
      let handle = FileHandle(forWritingAtPath: path)
      handle?.write(Data((v2Line() + "\n" + v2Line(action: "REJECT") + "\n").utf8))
      try? handle?.close()
    }
    writer.start()
    let found = InputDiscovery.expand([path])
    var sink = CollectingSink()
    var issues = IssueLog()
    let counts = FlowLogReader().readAll(found.files, into: &sink, issues: &issues)
    #expect(counts.records == 2)
    let walked = InputDiscovery.expand([directory.path])
    #expect(walked.files.isEmpty)
    #expect(walked.skipped.first?.reason == "not a regular file")
  }

  @Test("a directory given where a file is read is an input error, not a crash")
  func directoryAsFile() throws {
    var sink = CollectingSink()
    var issues = IssueLog()
    let input = InputFile(path: FileManager.default.temporaryDirectory.path, size: 0, foundInDirectory: false)
    _ = FlowLogReader().read(ReadJob(input), into: &sink, issues: &issues)
    #expect(issues.inputErrors.first?.kind == .unreadable)
    #expect(issues.inputErrors.first?.reason == "Is a directory")
  }
}
