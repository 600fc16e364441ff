import CZstd

/// Decompresses zstd input, every frame of a multi-frame file (skippable frames skipped), with
/// libzstd. Anything after the last frame that is not a frame, zero padding included, is an error
/// at its offset, as `zstd -t` has it.
public final class ZstdSource: ByteSource {
  private let inner: any ByteSource
  /// Nil when libzstd could not make one (out of memory): `setupFailure` says so.
  private let context: OpaquePointer?
  /// Why decoding could not be set up, naming the C call; thrown by the first read.
  private let setupFailure: String?
  private let input: UnsafeMutableRawBufferPointer
  private var inBuffer = ZSTD_inBuffer(src: nil, size: 0, pos: 0)
  private var innerAtEnd = false
  /// The last hint from ZSTD_decompressStream: 0 when a frame has just been completed.
  private var lastHint = 0
  /// True when the output buffer was filled and the decoder may hold more output.
  private var flushPending = false
  /// True once a frame has been completed: a byte that cannot start a frame is trailing data.
  private var sawFrameEnd = false

  /// The largest window a frame may ask for: 2^27 bytes (128 MiB), zstd's own default limit.
  /// A larger window would let one file claim gigabytes of memory.
  public static let maxWindowLog: Int32 = 27

  /// Decompresses the bytes of `inner`.
  public init(_ inner: any ByteSource, inputBufferSize: Int = 1 << 20) {
    self.inner = inner
    context = ZSTD_createDCtx()
    input = .allocate(byteCount: inputBufferSize, alignment: 16)
    guard let context else {
      setupFailure = "cannot start zstd decoding: ZSTD_createDCtx failed"
      return
    }
    // Without the cap a frame could claim gigabytes: a failure to set it is a failure to decode.
    let rc = ZSTD_DCtx_setParameter(context, ZSTD_d_windowLogMax, Self.maxWindowLog)
    setupFailure =
      ZSTD_isError(rc) == 0
      ? nil
      : "cannot start zstd decoding: ZSTD_DCtx_setParameter(windowLogMax) failed (\(String(cString: ZSTD_getErrorName(rc))))"
  }

  deinit {
    ZSTD_freeDCtx(context)
    input.deallocate()
  }

  /// Compressed bytes handed to zstd so far.
  public var bytesConsumed: UInt64 { inner.bytesConsumed - UInt64(inBuffer.size - inBuffer.pos) }

  public func read(into buffer: UnsafeMutableRawBufferPointer) throws(SourceError) -> Int {
    guard buffer.count > 0 else { return 0 }
    guard let context, setupFailure == nil else {
      throw SourceError(offset: 0, message: setupFailure ?? "cannot start zstd decoding")
    }
    while true {
      if inBuffer.pos == inBuffer.size && !innerAtEnd && !flushPending {
        let n = try inner.read(into: input)
        if n == 0 {
          innerAtEnd = true
        } else {
          inBuffer = ZSTD_inBuffer(src: UnsafeRawPointer(input.baseAddress), size: n, pos: 0)
        }
      }
      if inBuffer.pos == inBuffer.size && innerAtEnd && !flushPending {
        if lastHint != 0 {
          throw SourceError(offset: bytesConsumed, message: "zstd stream is truncated (ends inside a frame)")
        }
        return 0
      }
      if sawFrameEnd && lastHint == 0 && inBuffer.pos < inBuffer.size {
        // Between frames: a frame starts 28 B5 2F FD, a skippable frame 5? 2A 4D 18. Checked on the
        // first byte here, so that a short tail is not taken for a truncated frame.
        let first = inBuffer.src!.load(fromByteOffset: inBuffer.pos, as: UInt8.self)
        if first != 0x28 && first & 0xF0 != 0x50 {
          let padding = first == 0 ? " (zero bytes: zstd does not accept padding)" : ""
          throw SourceError(
            offset: bytesConsumed, message: "unexpected data after the end of the zstd stream\(padding)")
        }
      }
      var out = ZSTD_outBuffer(dst: buffer.baseAddress, size: buffer.count, pos: 0)
      let hint = ZSTD_decompressStream(context, &out, &inBuffer)
      if ZSTD_isError(hint) != 0 {
        let offset = bytesConsumed
        let code = ZSTD_getErrorCode(hint)
        let name = String(cString: ZSTD_getErrorName(hint))
        if code == ZSTD_error_frameParameter_windowTooLarge {
          throw SourceError(
            offset: offset,
            message: "zstd frame needs a window larger than \((1 << Self.maxWindowLog) >> 20) MiB (\(name))")
        }
        if lastHint == 0 && code == ZSTD_error_prefix_unknown && offset > 0 {
          throw SourceError(offset: offset, message: "unexpected data after the end of the zstd stream")
        }
        throw SourceError(offset: offset, message: "zstd stream is corrupt: \(name)")
      }
      lastHint = hint
      if hint == 0 { sawFrameEnd = true }
      flushPending = out.pos == out.size && hint != 0
      if out.pos > 0 { return out.pos }
    }
  }
}
