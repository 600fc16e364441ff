/// Replays a few bytes already read (for sniffing the format), then reads on from the source.
final class PrefixedSource: ByteSource {
  private var prefix: [UInt8]
  private var prefixPosition = 0
  private let inner: any ByteSource

  init(prefix: [UInt8], inner: any ByteSource) {
    self.prefix = prefix
    self.inner = inner
  }

  var bytesConsumed: UInt64 { inner.bytesConsumed - UInt64(prefix.count - prefixPosition) }

  func read(into buffer: UnsafeMutableRawBufferPointer) throws(SourceError) -> Int {
    if prefixPosition < prefix.count {
      let n = min(buffer.count, prefix.count - prefixPosition)
      prefix.withUnsafeBytes { src in
        buffer.baseAddress!.copyMemory(from: src.baseAddress! + prefixPosition, byteCount: n)
      }
      prefixPosition += n
      return n
    }
    return try inner.read(into: buffer)
  }
}
