import CIsal
import CSnappy
import CZstd

/// Decompresses whole Parquet pages: each page's compressed and uncompressed sizes are known, so
/// one call per page fills the output exactly. GZIP with ISA-L, ZSTD with libzstd, SNAPPY with
/// libsnappy; any other codec is an unsupported feature, named.
final class ParquetCodec {
  /// `CompressionCodec` in parquet.thrift.
  static let uncompressed: Int32 = 0
  static let snappy: Int32 = 1
  static let gzip: Int32 = 2
  static let zstd: Int32 = 6

  private let zstdContext: OpaquePointer?
  private let isalState: UnsafeMutablePointer<inflate_state>

  init() {
    zstdContext = ZSTD_createDCtx()
    if let zstdContext { ZSTD_DCtx_setParameter(zstdContext, ZSTD_d_windowLogMax, ZstdSource.maxWindowLog) }
    isalState = .allocate(capacity: 1)
  }

  deinit {
    ZSTD_freeDCtx(zstdContext)
    isalState.deallocate()
  }

  /// The codec's name as parquet.thrift spells it.
  static func name(_ codec: Int32) -> String {
    switch codec {
    case 0: "UNCOMPRESSED"
    case 1: "SNAPPY"
    case 2: "GZIP"
    case 3: "LZO"
    case 4: "BROTLI"
    case 5: "LZ4"
    case 6: "ZSTD"
    case 7: "LZ4_RAW"
    default: "codec \(codec)"
    }
  }

  /// Whether `codec` is read.
  static func isSupported(_ codec: Int32) -> Bool {
    codec == uncompressed || codec == snappy || codec == gzip || codec == zstd
  }

  /// Decompresses `input` into all of `output`; the output must come out exactly that long.
  func decompress(_ codec: Int32, _ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer)
    throws(ParquetError)
  {
    switch codec {
    case Self.uncompressed:
      guard input.count == output.count else {
        throw .corrupt("an uncompressed page's sizes differ (\(input.count) and \(output.count) bytes)")
      }
      if input.count > 0 { output.baseAddress!.copyMemory(from: input.baseAddress!, byteCount: input.count) }
    case Self.snappy:
      try snappy(input, into: output)
    case Self.gzip:
      try gzip(input, into: output)
    case Self.zstd:
      try zstd(input, into: output)
    default:
      throw .unsupported("\(Self.name(codec)) compression is not supported (flowlens reads GZIP, SNAPPY, ZSTD)")
    }
  }

  private func snappy(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer)
    throws(ParquetError)
  {
    let src = input.baseAddress?.assumingMemoryBound(to: CChar.self)
    var length = 0
    guard snappy_uncompressed_length(src, input.count, &length) == SNAPPY_OK, length == output.count else {
      throw .corrupt("a SNAPPY page is corrupt (bad length header)")
    }
    var produced = output.count
    let dst = output.baseAddress?.assumingMemoryBound(to: CChar.self)
    guard output.count == 0 || snappy_uncompress(src, input.count, dst, &produced) == SNAPPY_OK,
      produced == output.count
    else { throw .corrupt("a SNAPPY page is corrupt") }
  }

  private func zstd(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer)
    throws(ParquetError)
  {
    guard let zstdContext else { throw .corrupt("cannot start zstd decoding: ZSTD_createDCtx failed") }
    let n = ZSTD_decompressDCtx(zstdContext, output.baseAddress, output.count, input.baseAddress, input.count)
    if ZSTD_isError(n) != 0 {
      throw .corrupt("a ZSTD page is corrupt: \(String(cString: ZSTD_getErrorName(n)))")
    }
    guard n == output.count else { throw .corrupt("a ZSTD page holds \(n) bytes, its header says \(output.count)") }
  }

  private func gzip(_ input: UnsafeRawBufferPointer, into output: UnsafeMutableRawBufferPointer)
    throws(ParquetError)
  {
    let state = isalState
    isal_inflate_init(state)
    state.pointee.crc_flag = UInt32(ISAL_GZIP)
    guard let inBase = input.baseAddress, input.count > 0 else { throw .corrupt("a GZIP page is empty") }
    state.pointee.next_in = UnsafeMutablePointer(mutating: inBase.assumingMemoryBound(to: UInt8.self))
    state.pointee.avail_in = UInt32(clamping: input.count)
    // One spare byte, so that more output than announced is seen rather than cut off.
    var spare: UInt8 = 0
    var produced = 0
    if let outBase = output.baseAddress, output.count > 0 {
      state.pointee.next_out = outBase.assumingMemoryBound(to: UInt8.self)
      state.pointee.avail_out = UInt32(clamping: output.count)
      let rc = isal_inflate(state)
      guard rc >= 0 else { throw .corrupt("a GZIP page is corrupt: \(IsalEngine.describe(rc))") }
      produced = output.count - Int(state.pointee.avail_out)
    }
    if state.pointee.block_state != ISAL_BLOCK_FINISH {
      try withUnsafeMutablePointer(to: &spare) { (p) throws(ParquetError) in
        state.pointee.next_out = p
        state.pointee.avail_out = 1
        let rc = isal_inflate(state)
        guard rc >= 0 else { throw .corrupt("a GZIP page is corrupt: \(IsalEngine.describe(rc))") }
        produced += 1 - Int(state.pointee.avail_out)
      }
    }
    guard state.pointee.block_state == ISAL_BLOCK_FINISH else {
      throw .corrupt(
        produced > output.count
          ? "a GZIP page holds more than the \(output.count) bytes its header says"
          : "a GZIP page is truncated")
    }
    guard produced == output.count else {
      throw .corrupt("a GZIP page holds \(produced) bytes, its header says \(output.count)")
    }
  }
}
