import FlowLogParser
import FlowStats

/// A partial state's payload (docs/partial-format.md) of arbitrary bytes: decoding and merging it
/// as `flowlens merge` does, then building the command's report, may fail with a `StateError` or a
/// `PartialMergeError`, but never crash, hang or allocate without bound. The same payload in an
/// envelope with a correct checksum must decode the same way (the envelope adds checks, not
/// meaning).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let payload = Array(UnsafeBufferPointer(start: data, count: size))
  let direct = outcome(shift: 0) { () throws(StateError) in try PartialState(payload: payload, from: 0) }
  let enveloped = outcome(shift: 24) { () throws(StateError) in try PartialState(decoding: envelope(payload)) }
  if direct != enveloped { fatalError("payload and envelope disagree: \(direct) vs \(enveloped)") }
  guard let state = try? PartialState(payload: payload, from: 0),
    let merge = try? PartialMerge(states: [state, state], names: ["a", "b"])
  else { return 0 }
  do {
    switch merge.shape {
    case .summary:
      _ = SummaryReport(aggregate: try merge.summary(), counts: merge.counts, issues: merge.issues)
    case .audit(_, let perRule):
      let policy = try merge.policy!.parsed()
      _ = AuditReport(
        policySource: "x", aggregate: try merge.audit(policy: policy), counts: merge.counts, issues: merge.issues,
        findingsPerRule: perRule)
    case .report:
      let policy = try merge.policy!.parsed()
      _ = ReportDocument(
        policySource: "x", aggregate: try merge.report(policy: policy), counts: merge.counts, issues: merge.issues)
    }
  } catch {}
  return 0
}

/// Whether decoding succeeded, or the error's message with its offset relative to the payload
/// (which starts at `shift` in the bytes decoded).
private func outcome(shift: Int, _ body: () throws(StateError) -> PartialState) -> String {
  do {
    let state = try body()
    return "ok \(state.command) \(state.tables.count)"
  } catch {
    return "error \(error.offset.map { $0 - shift } ?? -1) \(error.message)"
  }
}

/// `payload` in a version-1 envelope with its length and CRC-32.
private func envelope(_ payload: [UInt8]) -> [UInt8] {
  var bytes = PartialState.magic
  func le(_ value: UInt64, _ count: Int) {
    for i in 0..<count { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * UInt64(i)))) }
  }
  le(UInt64(PartialState.formatVersion), 4)
  le(UInt64(payload.count), 8)
  var crc: UInt32 = 0xFFFF_FFFF
  for byte in payload {
    crc ^= UInt32(byte)
    for _ in 0..<8 { crc = crc & 1 != 0 ? 0xEDB8_8320 ^ (crc >> 1) : crc >> 1 }
  }
  le(UInt64(crc ^ 0xFFFF_FFFF), 4)
  return bytes + payload
}
