/// One inflate implementation (zlib or ISA-L) as ``GzipMemberReader`` drives it.
protocol InflateEngine: AnyObject {
  /// Input bytes handed over but not yet consumed.
  var pendingInput: Int { get }
  /// The input bytes handed over but not yet consumed.
  var pendingBytes: UnsafeRawBufferPointer { get }
  /// Hands over the next input bytes (only when `pendingInput` is 0).
  func setInput(_ bytes: UnsafeRawBufferPointer)
  /// Drops the first `count` pending input bytes (between members only).
  func skipInput(_ count: Int)
  /// Inflates into `output`.
  func inflate(into output: UnsafeMutableRawBufferPointer) -> InflateStep
  /// Starts a new member, keeping the pending input.
  func startNextMember()
  /// Why the engine could not be set up, naming the C call; nil when it was. Reported by the
  /// first read, as a fault at offset 0.
  var setupFailure: String? { get }
}

/// What one inflate call did.
struct InflateStep {
  /// Bytes written to the output.
  var produced: Int
  /// Whether the member's trailer was read: another member may follow.
  var memberEnded = false
  /// A fault, described; nil when none.
  var fault: String? = nil
  /// Whether the fault is a bad gzip header at the very start of a member (no output yet), which
  /// after a complete member means trailing data rather than corruption.
  var faultIsBadHeaderAtMemberStart = false
}

/// Reads gzip input through an ``InflateEngine``: every member of a multi-member file, truncation
/// and trailing garbage reported with the compressed byte offset, zero padding after the last
/// member accepted (what `gzip -t` accepts, it accepts). The member bookkeeping lives
/// here once, for both engines.
final class GzipMemberReader: ByteSource {
  private let inner: any ByteSource
  private let engine: any InflateEngine
  private let input: UnsafeMutableRawBufferPointer
  private var innerAtEnd = false
  /// True between the first byte of a member and its end.
  private var insideMember = false
  /// True once any member has ended: data after that which is not a member is trailing garbage.
  private var sawMemberEnd = false
  /// The compressed offset just past the last complete member.
  private var memberEndOffset: UInt64 = 0
  /// True once zero bytes followed the last member: padding, which `gzip -t` accepts when nothing
  /// but zeros follows to the end.
  private var inZeroPadding = false

  /// Bytes of the previous input kept in front of the next: at a member's end ISA-L hands back
  /// bytes it had buffered as bits by moving its input pointer back, possibly into the previous
  /// input (found by the fuzzer). They must still be there, and be the right bytes.
  private static let keep = 32
  /// How many bytes of the last input are at the end of the buffer's filled part.
  private var lastInputEnd = 0

  init(_ inner: any ByteSource, engine: any InflateEngine, inputBufferSize: Int) {
    self.inner = inner
    self.engine = engine
    input = .allocate(byteCount: max(inputBufferSize, 2 * Self.keep) + Self.keep, alignment: 64)
  }

  deinit { input.deallocate() }

  /// Compressed bytes handed to the engine so far.
  var bytesConsumed: UInt64 {
    // ISA-L can leave its input count at 2^32 - 1 after a fault in corrupt data (found by the
    // fuzzer): never trust it beyond the bytes it was given.
    let pending = UInt64(min(engine.pendingInput, lastInputEnd))
    return inner.bytesConsumed - min(pending, inner.bytesConsumed)
  }

  func read(into buffer: UnsafeMutableRawBufferPointer) throws(SourceError) -> Int {
    guard buffer.count > 0 else { return 0 }
    if let failure = engine.setupFailure { throw SourceError(offset: 0, message: failure) }
    while true {
      if engine.pendingInput == 0 && !innerAtEnd {
        // Keep the tail of the last input in front of the new one.
        let kept = min(Self.keep, lastInputEnd)
        if kept > 0 {
          input.baseAddress!.copyMemory(from: input.baseAddress! + (lastInputEnd - kept), byteCount: kept)
        }
        let n = try inner.read(into: UnsafeMutableRawBufferPointer(rebasing: input[kept...]))
        if n == 0 {
          innerAtEnd = true
        } else {
          engine.setInput(UnsafeRawBufferPointer(rebasing: input[kept..<(kept + n)]))
          lastInputEnd = kept + n
        }
      }
      if engine.pendingInput == 0 && innerAtEnd {
        if insideMember {
          throw SourceError(offset: bytesConsumed, message: "gzip stream is truncated (ends inside a member)")
        }
        return 0
      }
      if sawMemberEnd && !insideMember {
        // Between members, as gzip does: zero bytes to the end are padding (tape blocks, some
        // uploaders) and end the stream quietly; anything else but a member is trailing data,
        // reported at its first byte rather than read as a corrupt member.
        let pending = engine.pendingBytes
        var zeros = 0
        while zeros < pending.count && pending[zeros] == 0 { zeros += 1 }
        if zeros > 0 {
          engine.skipInput(zeros)
          inZeroPadding = true
          continue
        }
        if inZeroPadding || pending[0] != 0x1F {
          throw SourceError(offset: bytesConsumed, message: "unexpected data after the end of the gzip stream")
        }
      }
      insideMember = true
      let step = engine.inflate(into: buffer)
      if let fault = step.fault {
        if sawMemberEnd && step.faultIsBadHeaderAtMemberStart {
          throw SourceError(offset: memberEndOffset, message: "unexpected data after the end of the gzip stream")
        }
        throw SourceError(offset: bytesConsumed, message: "gzip stream is corrupt: \(fault)")
      }
      if step.memberEnded {
        // A member ended; another may follow (concatenated gzip files are one valid stream).
        insideMember = false
        sawMemberEnd = true
        memberEndOffset = bytesConsumed
        engine.startNextMember()
      }
      if step.produced > 0 { return step.produced }
    }
  }
}
