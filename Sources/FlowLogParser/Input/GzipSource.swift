import CZlib

/// Decompresses gzip input: every member of a multi-member file. Zero bytes after the last member
/// are padding and accepted, as `gzip -t` accepts them; other trailing data is an error at its
/// offset (`gzip` warns "trailing garbage ignored" and exits 2).
///
/// Intel ISA-L's inflate by default (about three times zlib's speed here); zlib on request, kept
/// as the reference the tests hold ISA-L to.
public final class GzipSource: ByteSource {
  /// Which inflate implementation decodes.
  public enum Engine: Sendable {
    /// Intel ISA-L.
    case isal
    /// zlib.
    case zlib
  }

  private let reader: GzipMemberReader

  /// Decompresses the bytes of `inner` with `engine`.
  public init(_ inner: any ByteSource, engine: Engine = .isal, inputBufferSize: Int = 1 << 20) {
    let inflater: any InflateEngine =
      switch engine {
      case .isal: IsalEngine()
      case .zlib: ZlibEngine()
      }
    reader = GzipMemberReader(inner, engine: inflater, inputBufferSize: inputBufferSize)
  }

  public var bytesConsumed: UInt64 { reader.bytesConsumed }

  public func read(into buffer: UnsafeMutableRawBufferPointer) throws(SourceError) -> Int {
    try reader.read(into: buffer)
  }
}

/// zlib's inflate. zlib keeps a pointer to its stream, so the stream lives at a fixed address.
final class ZlibEngine: InflateEngine {
  private let stream: UnsafeMutablePointer<z_stream>
  let setupFailure: String?

  init() {
    stream = .allocate(capacity: 1)
    stream.initialize(to: z_stream())
    let rc = czlib_inflateInit2(stream, 16 + 15)  // gzip framing, 32 KiB window
    setupFailure = rc == Z_OK ? nil : "cannot start gzip decoding: inflateInit2 failed (zlib error \(rc))"
  }

  deinit {
    inflateEnd(stream)
    stream.deinitialize(count: 1)
    stream.deallocate()
  }

  var pendingInput: Int { Int(stream.pointee.avail_in) }

  var pendingBytes: UnsafeRawBufferPointer {
    UnsafeRawBufferPointer(start: stream.pointee.next_in, count: Int(stream.pointee.avail_in))
  }

  func skipInput(_ count: Int) {
    stream.pointee.next_in += count
    stream.pointee.avail_in -= uInt(count)
  }

  func setInput(_ bytes: UnsafeRawBufferPointer) {
    stream.pointee.next_in = UnsafeMutablePointer(mutating: bytes.baseAddress!.assumingMemoryBound(to: Bytef.self))
    stream.pointee.avail_in = uInt(bytes.count)
  }

  func inflate(into output: UnsafeMutableRawBufferPointer) -> InflateStep {
    stream.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
    stream.pointee.avail_out = uInt(output.count)
    let rc = CZlib.inflate(stream, Z_NO_FLUSH)
    var step = InflateStep(produced: output.count - Int(stream.pointee.avail_out))
    switch rc {
    case Z_STREAM_END:
      step.memberEnded = true
    case Z_OK:
      break
    case Z_BUF_ERROR where stream.pointee.avail_in == 0:
      break  // needs more input
    default:
      step.fault = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(rc)"
      // After a reset zlib's total_out is 0 until the new member yields data. Only a bad magic
      // counts: a member whose first deflate block is corrupt also fails before any output.
      step.faultIsBadHeaderAtMemberStart =
        rc == Z_DATA_ERROR && step.produced == 0 && stream.pointee.total_out == 0
        && step.fault == "incorrect header check"
    }
    return step
  }

  func startNextMember() {
    // Fails only on a stream zlib does not know, which this one is not.
    _ = inflateReset(stream)
  }
}
