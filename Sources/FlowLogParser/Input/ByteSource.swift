/// A stream of bytes: a file, standard input, or a decompressor over another source.
public protocol ByteSource: AnyObject {
  /// Reads up to `buffer.count` bytes into `buffer`; returns 0 at the end of the stream.
  func read(into buffer: UnsafeMutableRawBufferPointer) throws(SourceError) -> Int
  /// Bytes taken from the underlying file so far (for a decompressor: compressed bytes).
  var bytesConsumed: UInt64 { get }
}
