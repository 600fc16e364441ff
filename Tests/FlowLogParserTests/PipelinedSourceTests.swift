import Foundation
import Testing

@testable import FlowLogParser

/// A source that hands out `bytes`, then fails (when `failure` is set) or ends; it counts reads and
/// can be told to stall, to test a reading thread waiting on it.
private final class ScriptedSource: ByteSource, @unchecked Sendable {
  private let inner: MemorySource
  private let failure: SourceError?
  private(set) var reads = 0

  init(_ bytes: [UInt8], maxReadSize: Int = .max, failure: SourceError? = nil) {
    inner = MemorySource(bytes, maxReadSize: maxReadSize)
    self.failure = failure
  }

  var bytesConsumed: UInt64 { inner.bytesConsumed }

  func read(into buffer: UnsafeMutableRawBufferPointer) throws(SourceError) -> Int {
    reads += 1
    let n = try inner.read(into: buffer)
    if n == 0, let failure { throw failure }
    return n
  }
}

/// Bytes that differ from position to position, so that a chunk out of order shows.
private func pattern(_ count: Int) -> [UInt8] {
  (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 11) }
}

@Suite("Reading ahead on a thread")
struct PipelinedSourceTests {
  /// More than the ring holds, so buffers go round several times; not a multiple of a chunk.
  static let size = PipelinedSource.depth * PipelinedSource.chunkSize * 2 + 12_345

  @Test(
    "every byte, in order, whatever the reads on either side",
    arguments: [(1 << 20, 4096), (777, 1 << 20), (65_536, 3)])
  func ordering(innerReadSize: Int, readSize: Int) {
    let bytes = pattern(readSize < 16 ? 3 * PipelinedSource.chunkSize + 5 : Self.size)
    let source = PipelinedSource(ScriptedSource(bytes, maxReadSize: innerReadSize))
    let result = drain(source, readSize: readSize)
    #expect(result.error == nil)
    #expect(result.bytes == bytes)
    #expect(source.bytesConsumed == UInt64(bytes.count))
  }

  @Test("the end is final: reads after it return 0, and an empty source ends at once")
  func endOfStream() throws {
    for bytes in [[], pattern(10)] {
      let source = PipelinedSource(ScriptedSource(bytes))
      #expect(drain(source, readSize: 4096).bytes == bytes)
      var byte: UInt8 = 0
      for _ in 0..<3 {
        let n = try withUnsafeMutableBytes(of: &byte) { try source.read(into: $0) }
        #expect(n == 0)
      }
    }
  }

  @Test("an error of the inner source comes after the bytes before it, and again on every later read")
  func errorPropagation() throws {
    let bytes = pattern(PipelinedSource.chunkSize + 1000)
    let failure = SourceError(offset: UInt64(bytes.count), message: "Input/output error")
    let source = PipelinedSource(ScriptedSource(bytes, maxReadSize: 100_000, failure: failure))
    let result = drain(source, readSize: 8192)
    #expect(result.bytes == bytes)
    #expect(result.error == failure)
    var byte: UInt8 = 0
    #expect(throws: failure) { try withUnsafeMutableBytes(of: &byte) { _ = try source.read(into: $0) } }
  }

  @Test("released early, while the thread waits for a free buffer or reads on: no hang, no leak of the thread")
  func earlyClose() throws {
    let bytes = pattern(Self.size)
    for readFirst in [0, 1, PipelinedSource.chunkSize + 1] {
      let inner = ScriptedSource(bytes, maxReadSize: 1 << 16)
      do {
        let source = PipelinedSource(inner)
        if readFirst > 0 {
          let result = try [UInt8](unsafeUninitializedCapacity: readFirst) { buffer, count in
            count = try source.read(into: UnsafeMutableRawBufferPointer(buffer))
          }
          #expect(result == Array(bytes.prefix(result.count)))
        }
        // Let the thread fill the ring and wait.
        Thread.sleep(forTimeInterval: 0.05)
      }
      // The source is gone and its thread joined: the inner source is read no more.
      let reads = inner.reads
      Thread.sleep(forTimeInterval: 0.02)
      #expect(inner.reads == reads)
      #expect(inner.bytesConsumed < UInt64(bytes.count))
    }
  }
}
