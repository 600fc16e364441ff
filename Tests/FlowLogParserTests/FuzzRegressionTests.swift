import FlowLogParser
import Foundation
import Testing

/// Inputs the fuzzers found, kept as regression tests.
@Suite("Fuzzer findings")
struct FuzzRegressionTests {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("Fuzz/Regressions")

  static var inputs: [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).sorted()
  }

  /// Each input goes through the whole reader as FuzzReader runs it: no trap, and the line
  /// accounting holds.
  @Test("reader inputs the fuzzer found", arguments: inputs.filter { $0.hasPrefix("reader-") })
  func reader(name: String) throws {
    let bytes = Array(try Data(contentsOf: Self.directory.appendingPathComponent(name)))
    let readSize = bytes.isEmpty ? 1 : Int(bytes[0] % 64) + 1
    let result = readAll(bytes, options: ReaderOptions(maxLineLength: 256, bufferSize: 4096), chunk: readSize)
    let c = result.counts
    #expect(c.lines == c.headers + c.records + c.malformed + c.blank)
    #expect(result.issues.inputErrors.allSatisfy { ($0.offset ?? 0) <= UInt64(bytes.count) })
  }

  @Test("the regression inputs are there")
  func present() {
    #expect(Self.inputs.contains { $0.hasPrefix("reader-") })
  }
}
