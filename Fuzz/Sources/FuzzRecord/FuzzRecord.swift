import FlowLogParser

/// Layouts the fuzzer picks from with the first input byte.
let layouts: [FlowLayout] = [
  .defaultV2,
  FlowLayout(fields: FlowField.allCases),
  FlowLayout(fields: [.srcaddr, .dstaddr, .srcport, .dstport, .protocol, .action]),
  FlowLayout(fields: [.interfaceID, .start, .end, .logStatus, .tcpFlags, .pktSrcaddr]),
  FlowLayout(fields: FlowField.allCases.filter { $0.kind == .text }.reversed()),
]
// libFuzzer calls the target from one thread.
nonisolated(unsafe) let decoder = RecordDecoder(layout: .defaultV2)
nonisolated(unsafe) let second = RecordDecoder(layout: .defaultV2)

/// Decodes the input as one line; when it decodes, writes the record back as text, decodes that
/// again, and requires the same values: the parser agrees with itself on everything it accepts.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  guard size > 0 else { return 0 }
  let layout = layouts[Int(data[0]) % layouts.count]
  decoder.setLayout(layout)
  second.setLayout(layout)
  // The reader never hands the decoder a newline, a leading or trailing space or a trailing CR.
  var line = Array(UnsafeBufferPointer(start: data + 1, count: size - 1))
  line.removeAll { $0 == 0x0A }
  while line.last == 0x20 || line.last == 0x0D { line.removeLast() }
  while line.first == 0x20 { line.removeFirst() }
  line.withUnsafeBytes { raw in
    guard case .success(let record) = decoder.decode(raw) else { return }
    var text: [UInt8] = []
    RecordTextEncoder.append(record, layout: layout, to: &text)
    text.withUnsafeBytes { again in
      guard case .success(let copy) = second.decode(again) else {
        fatalError("re-encoded record does not decode: \(String(decoding: again, as: UTF8.self))")
      }
      check(copy.fields == record.fields, "field sets differ")
      for field in FlowField.allCases where record.fields.contains(field) {
        check(copy.string(field) == record.string(field), "field \(field.name) differs")
      }
    }
  }
  return 0
}

/// Like `precondition`, but the message survives an optimised build, so a crash says what broke.
func check(_ condition: Bool, _ message: @autoclosure () -> String) {
  if !condition { fatalError(message()) }
}
