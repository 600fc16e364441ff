/// Bytes already in memory, read as a stream: for tests, benchmarks and embedding.
public final class MemorySource: ByteSource {
  let bytes: [UInt8]
  private var position = 0
  /// The largest amount one `read` returns; small values exercise buffer boundaries.
  private let maxReadSize: Int

  /// A source over `bytes`, returning at most `maxReadSize` bytes per read.
  public init(_ bytes: [UInt8], maxReadSize: Int = .max) {
    self.bytes = bytes
    self.maxReadSize = max(1, maxReadSize)
  }

  public var bytesConsumed: UInt64 { UInt64(position) }

  public func read(into buffer: UnsafeMutableRawBufferPointer) throws(SourceError) -> Int {
    let n = min(buffer.count, bytes.count - position, maxReadSize)
    guard n > 0 else { return 0 }
    bytes.withUnsafeBytes { src in
      buffer.baseAddress!.copyMemory(from: src.baseAddress! + position, byteCount: n)
    }
    position += n
    return n
  }
}
