import CZlib

/// Decompresses gzip input, every member of a multi-member file, with zlib.
public final class GzipSource: ByteSource {
  private let inner: any ByteSource
  private let stream: UnsafeMutablePointer<z_stream>
  private let input: UnsafeMutableRawBufferPointer
  private var innerAtEnd = false
  /// True between the first byte of a member and its end.
  private var insideMember = false
  /// True once any member has ended: data after that which is not a member is trailing garbage.
  private var sawMemberEnd = false
  /// The compressed offset just past the last complete member.
  private var memberEndOffset: UInt64 = 0

  /// Decompresses the bytes of `inner`.
  public init(_ inner: any ByteSource, inputBufferSize: Int = 1 << 20) {
    self.inner = inner
    stream = .allocate(capacity: 1)
    stream.initialize(to: z_stream())
    input = .allocate(byteCount: inputBufferSize, alignment: 16)
    // 16 + 15: gzip framing, 32 KiB window. zlib keeps a pointer to the stream, so it must not move.
    _ = czlib_inflateInit2(stream, 16 + 15)
  }

  deinit {
    inflateEnd(stream)
    stream.deinitialize(count: 1)
    stream.deallocate()
    input.deallocate()
  }

  /// Compressed bytes handed to zlib so far.
  public var bytesConsumed: UInt64 { inner.bytesConsumed - UInt64(stream.pointee.avail_in) }

  public func read(into buffer: UnsafeMutableRawBufferPointer) throws(SourceError) -> Int {
    guard buffer.count > 0 else { return 0 }
    while true {
      if stream.pointee.avail_in == 0 && !innerAtEnd {
        let n = try inner.read(into: input)
        if n == 0 {
          innerAtEnd = true
        } else {
          stream.pointee.next_in = input.baseAddress!.assumingMemoryBound(to: Bytef.self)
          stream.pointee.avail_in = uInt(n)
        }
      }
      if stream.pointee.avail_in == 0 && innerAtEnd {
        if insideMember {
          throw SourceError(offset: bytesConsumed, message: "gzip stream is truncated (ends inside a member)")
        }
        return 0
      }
      insideMember = true
      stream.pointee.next_out = buffer.baseAddress!.assumingMemoryBound(to: Bytef.self)
      stream.pointee.avail_out = uInt(buffer.count)
      let rc = inflate(stream, Z_NO_FLUSH)
      let produced = buffer.count - Int(stream.pointee.avail_out)
      switch rc {
      case Z_STREAM_END:
        // A member ended; another may follow (concatenated gzip files are one valid stream).
        inflateReset(stream)
        insideMember = false
        sawMemberEnd = true
        memberEndOffset = bytesConsumed
      case Z_OK:
        break
      case Z_BUF_ERROR where stream.pointee.avail_in == 0:
        break  // needs more input
      default:
        let offset = bytesConsumed
        if sawMemberEnd && produced == 0 && rc == Z_DATA_ERROR && Self.isAtMemberStart(stream) {
          throw SourceError(offset: memberEndOffset, message: "unexpected data after the end of the gzip stream")
        }
        let detail = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(rc)"
        throw SourceError(offset: offset, message: "gzip stream is corrupt: \(detail)")
      }
      if produced > 0 { return produced }
    }
  }

  /// Whether zlib had just started reading a new member header (total_out is 0 after a reset).
  private static func isAtMemberStart(_ stream: UnsafeMutablePointer<z_stream>) -> Bool {
    stream.pointee.total_out == 0
  }
}
