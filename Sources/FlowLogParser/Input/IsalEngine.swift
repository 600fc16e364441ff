import CIsal

/// ISA-L's inflate, with gzip framing and CRC checks.
final class IsalEngine: InflateEngine {
  private let state: UnsafeMutablePointer<inflate_state>

  init() {
    state = .allocate(capacity: 1)
    isal_inflate_init(state)
    state.pointee.crc_flag = UInt32(ISAL_GZIP)
  }

  /// Always nil: ISA-L's initialisation cannot fail.
  let setupFailure: String? = nil

  deinit { state.deallocate() }

  var pendingInput: Int { Int(state.pointee.avail_in) }

  var pendingBytes: UnsafeRawBufferPointer {
    UnsafeRawBufferPointer(start: state.pointee.next_in, count: Int(state.pointee.avail_in))
  }

  func skipInput(_ count: Int) {
    state.pointee.next_in += count
    state.pointee.avail_in -= UInt32(count)
  }

  func setInput(_ bytes: UnsafeRawBufferPointer) {
    state.pointee.next_in = UnsafeMutablePointer(mutating: bytes.baseAddress!.assumingMemoryBound(to: UInt8.self))
    state.pointee.avail_in = UInt32(bytes.count)
  }

  func inflate(into output: UnsafeMutableRawBufferPointer) -> InflateStep {
    state.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: UInt8.self)
    state.pointee.avail_out = UInt32(clamping: output.count)
    let totalBefore = state.pointee.total_out
    let rc = isal_inflate(state)
    var step = InflateStep(produced: Int(state.pointee.total_out &- totalBefore))
    if rc < 0 {
      step.fault = Self.describe(rc)
      step.faultIsBadHeaderAtMemberStart =
        rc == ISAL_INVALID_WRAPPER && step.produced == 0 && state.pointee.total_out == 0
    } else if state.pointee.block_state == ISAL_BLOCK_FINISH {
      step.memberEnded = true
    }
    return step
  }

  func startNextMember() {
    // The reset clears the input pointers; the rest of this input belongs to the next member.
    let nextIn = state.pointee.next_in
    let availIn = state.pointee.avail_in
    isal_inflate_reset(state)
    state.pointee.crc_flag = UInt32(ISAL_GZIP)
    state.pointee.next_in = nextIn
    state.pointee.avail_in = availIn
  }

  static func describe(_ rc: Int32) -> String {
    switch rc {
    case ISAL_INVALID_BLOCK: "invalid deflate block"
    case ISAL_INVALID_SYMBOL: "invalid deflate symbol"
    case ISAL_INVALID_LOOKBACK: "invalid lookback distance"
    case ISAL_INVALID_WRAPPER: "incorrect header check"
    case ISAL_UNSUPPORTED_METHOD: "unsupported compression method"
    case ISAL_INCORRECT_CHECKSUM: "incorrect data check"
    default: "ISA-L error \(rc)"
    }
  }
}
