import Foundation
import Testing

@testable import FlowLogParser

/// Every source read one byte at a time (and over an inner source that gives one byte at a time):
/// the same bytes as read in one go, and the same count of bytes consumed.
@Suite("Sources at one-byte reads")
struct ByteSourceTests {
  static let text = Array(
    (defaultHeader + "\n" + (0..<300).map { v2Line(packets: String($0)) }.joined(separator: "\n")).utf8)

  /// Reads `source` in reads of `readSize` bytes to its end; fails the test on an error.
  static func drain(_ source: any ByteSource, readSize: Int = 1) -> [UInt8] {
    let result = FlowLogParserTests.drain(source, readSize: readSize)
    if let error = result.error { Issue.record("read failed: \(error)") }
    return result.bytes
  }

  static func temporaryFile(_ bytes: [UInt8]) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("flowlens-\(UUID().uuidString)")
    try Data(bytes).write(to: url)
    return url
  }

  @Test("memory")
  func memory() {
    let source = MemorySource(Self.text, maxReadSize: 1)
    #expect(Self.drain(source, readSize: 7) == Self.text)
    #expect(source.bytesConsumed == UInt64(Self.text.count))
  }

  @Test("a file descriptor")
  func fileDescriptor() throws {
    let url = try Self.temporaryFile(Self.text)
    defer { try? FileManager.default.removeItem(at: url) }
    let source = try FileDescriptorSource(path: url.path)
    #expect(Self.drain(source) == Self.text)
    #expect(source.bytesConsumed == UInt64(Self.text.count))
    #expect(throws: SourceError.self) { try FileDescriptorSource(path: url.path + ".missing") }
  }

  @Test("a range of a file")
  func fileRange() throws {
    let url = try Self.temporaryFile(Self.text)
    defer { try? FileManager.default.removeItem(at: url) }
    let source = try FileRangeSource(path: url.path, start: 100, end: 2000)
    #expect(Self.drain(source) == Array(Self.text[100..<2000]))
    #expect(source.bytesConsumed == 1900)
  }

  @Test("a replayed prefix, then the rest")
  func prefixed() {
    let source = PrefixedSource(
      prefix: Array(Self.text.prefix(10)), inner: MemorySource(Array(Self.text.dropFirst(10)), maxReadSize: 1))
    #expect(Self.drain(source) == Self.text)
    #expect(source.bytesConsumed == UInt64(Self.text.count - 10))
  }

  @Test("a replayed block of decoded text, its fault, then nothing more")
  func decodedPrefix() {
    let fault = SourceError(offset: 3, message: "broken")
    let source = DecodedPrefixSource(prefix: Array(Self.text.prefix(50)), then: fault, inner: MemorySource(Self.text))
    var out: [UInt8] = []
    var byte: UInt8 = 0
    #expect(throws: fault) {
      while true {
        let n = try withUnsafeMutableBytes(of: &byte) { try source.read(into: $0) }
        if n == 0 { break }
        out.append(byte)
      }
    }
    #expect(out == Array(Self.text.prefix(50)))
  }

  @Test("gzip, with either engine", arguments: [GzipSource.Engine.isal, .zlib])
  func gzipSource(engine: GzipSource.Engine) {
    let compressed = gzip(Self.text) + gzip(Self.text)
    let source = GzipSource(MemorySource(compressed, maxReadSize: 1), engine: engine, inputBufferSize: 1)
    #expect(Self.drain(source) == Self.text + Self.text)
    #expect(source.bytesConsumed == UInt64(compressed.count))
  }

  @Test("zstd")
  func zstdSource() {
    let compressed = zstd(Self.text) + zstd(Self.text)
    let source = ZstdSource(MemorySource(compressed, maxReadSize: 1), inputBufferSize: 1)
    #expect(Self.drain(source) == Self.text + Self.text)
    #expect(source.bytesConsumed == UInt64(compressed.count))
  }

  @Test("read ahead on a thread")
  func pipelined() {
    let source = PipelinedSource(MemorySource(Self.text, maxReadSize: 1))
    #expect(Self.drain(source) == Self.text)
    #expect(source.bytesConsumed == UInt64(Self.text.count))
  }

  @Test("the whole reader over one-byte reads of a gzip stream: the same records as in one read")
  func readerOverOneByteReads() {
    let whole = readAll(gzip(Self.text))
    let bytewise = readAll(gzip(Self.text), chunk: 1)
    #expect(whole.counts == bytewise.counts)
    #expect(whole.records == bytewise.records)
    #expect(whole.counts.records == 300)
  }
}
