import Foundation
import Testing

@Suite("CLI: saturated packet and byte sums are reported")
struct SaturationCommandTests {
  /// Two records of 2^63 bytes: the sum, 2^64, does not fit in 64 bits.
  static let log = Data(
    """
    2 1 eni-a 203.0.113.9 10.0.0.5 40000 22 6 1 9223372036854775808 1700000000 1700000060 ACCEPT OK
    2 1 eni-a 203.0.113.9 10.0.0.5 40001 22 6 1 9223372036854775808 1700000000 1700000060 ACCEPT OK

    """.utf8)

  @Test("summary and audit, text and JSON", arguments: ["summary", "audit"])
  func note(command: String) throws {
    let text = try CLI.run([command, "-"], stdin: Self.log)
    #expect(text.stdout.contains("Saturated: "))
    #expect(text.stdout.contains("18,446,744,073,709,551,615"))
    let json = try CLI.run([command, "--format", "json", "-"], stdin: Self.log)
    let saturated = try #require(try json.json()["saturated"] as? [String])
    #expect(saturated.contains("records.bytes"))
  }
}
