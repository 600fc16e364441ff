import FlowStats

/// The policy parser over arbitrary text: it may reject anything, but never crash or hang.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  if let policy = try? PolicyParser.parse(text, file: "fuzz.yaml") {
    // A policy that parses must also build an auditor.
    _ = AuditAggregator(policy: policy, inputNames: ["x"], inputBytes: 1 << 20)
  }
  return 0
}
