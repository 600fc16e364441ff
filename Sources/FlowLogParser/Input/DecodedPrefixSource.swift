/// Replays the first block of decoded text that was read for sniffing, then the fault met while
/// reading it (if any), then reads on from the decoder.
///
/// Unlike ``PrefixedSource`` the replayed bytes are decoded text, not bytes of the file: the
/// decoder has already consumed their compressed bytes, so `bytesConsumed` is the decoder's.
final class DecodedPrefixSource: ByteSource {
  private let prefix: [UInt8]
  private var position = 0
  private var fault: SourceError?
  private let inner: any ByteSource

  init(prefix: [UInt8], then fault: SourceError?, inner: any ByteSource) {
    self.prefix = prefix
    self.fault = fault
    self.inner = inner
  }

  var bytesConsumed: UInt64 { inner.bytesConsumed }

  func read(into buffer: UnsafeMutableRawBufferPointer) throws(SourceError) -> Int {
    guard buffer.count > 0 else { return 0 }
    if position < prefix.count {
      let n = min(buffer.count, prefix.count - position)
      prefix.withUnsafeBytes { source in
        buffer.baseAddress!.copyMemory(from: source.baseAddress! + position, byteCount: n)
      }
      position += n
      return n
    }
    if let fault { throw fault }
    return try inner.read(into: buffer)
  }
}
