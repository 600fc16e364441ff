import FlowLogParser
import Foundation
import Testing

/// Inputs the fuzzers found, kept as regression tests. A file's prefix names the fuzzer it replays
/// through: `reader-` (FuzzReader), `record-` (FuzzRecord).
@Suite("Fuzzer findings")
struct FuzzRegressionTests {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fuzz/Regressions")

  /// The file names in Fuzz/Regressions. Throws when the folder cannot be read: a moved folder
  /// must fail the suite, not leave it with nothing to replay.
  static func inputs() throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
  }

  /// Each input goes through the whole reader as FuzzReader runs it: no trap, and the line
  /// accounting holds.
  @Test("reader inputs the fuzzer found", arguments: try inputs().filter { $0.hasPrefix("reader-") })
  func reader(name: String) throws {
    let bytes = Array(try Data(contentsOf: Self.directory.appendingPathComponent(name)))
    let readSize = bytes.isEmpty ? 1 : Int(bytes[0] % 64) + 1
    let result = readAll(bytes, options: ReaderOptions(maxLineLength: 256, bufferSize: 4096), chunk: readSize)
    let c = result.counts
    #expect(c.lines == c.headers + c.records + c.malformed + c.blank)
    #expect(result.issues.inputErrors.allSatisfy { ($0.offset ?? 0) <= UInt64(bytes.count) })
  }

  /// The layouts FuzzRecord picks from with an input's first byte, in its order.
  static let recordLayouts: [FlowLayout] = [
    .defaultV2,
    FlowLayout(fields: FlowField.allCases),
    FlowLayout(fields: [.srcaddr, .dstaddr, .srcport, .dstport, .protocol, .action]),
    FlowLayout(fields: [.interfaceID, .start, .end, .logStatus, .tcpFlags, .pktSrcaddr]),
    FlowLayout(fields: FlowField.allCases.filter { $0.kind == .text }.reversed()),
  ]

  /// Each input goes through FuzzRecord's oracle: the first byte picks the layout, the rest is one
  /// line; when it decodes, its re-encoded text decodes to the same fields and values.
  @Test("record inputs the fuzzer found", arguments: try inputs().filter { $0.hasPrefix("record-") })
  func record(name: String) throws {
    let bytes = Array(try Data(contentsOf: Self.directory.appendingPathComponent(name)))
    try #require(!bytes.isEmpty)
    let layout = Self.recordLayouts[Int(bytes[0]) % Self.recordLayouts.count]
    // As in FuzzRecord: the reader never hands the decoder a newline, a leading or trailing space
    // or a trailing CR.
    var line = Array(bytes.dropFirst())
    line.removeAll { $0 == 0x0A }
    while line.last == 0x20 || line.last == 0x0D { line.removeLast() }
    while line.first == 0x20 { line.removeFirst() }
    let decoder = RecordDecoder(layout: layout)
    let second = RecordDecoder(layout: layout)
    line.withUnsafeBytes { raw in
      guard case .success(let record) = decoder.decode(raw) else { return }
      var text: [UInt8] = []
      RecordTextEncoder.append(record, layout: layout, to: &text)
      text.withUnsafeBytes { again in
        guard case .success(let copy) = second.decode(again) else {
          Issue.record("re-encoded record does not decode: \(String(decoding: again, as: UTF8.self))")
          return
        }
        #expect(copy.fields == record.fields)
        for field in FlowField.allCases where record.fields.contains(field) {
          #expect(copy.string(field) == record.string(field), "field \(field.name)")
        }
      }
    }
  }

  @Test("the regression inputs are there")
  func present() throws {
    let inputs = try Self.inputs()
    #expect(inputs.contains { $0.hasPrefix("reader-") })
    #expect(inputs.contains { $0.hasPrefix("record-") })
  }
}
