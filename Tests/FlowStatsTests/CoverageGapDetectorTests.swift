import FlowLogParser
import FlowStats
import Testing

@Suite("Audit: coverage-gap")
struct CoverageGapDetectorTests {
  @Test("coverage-gap: SKIPDATA per interface and hour")
  func coverageGap() {
    let text = """
      2 123456789012 eni-a - - - - - - - 1700000000 1700000060 - SKIPDATA
      2 123456789012 eni-a - - - - - - - 1700000100 1700000160 - SKIPDATA
      2 123456789012 eni-a - - - - - - - 1700003700 1700003760 - SKIPDATA
      2 123456789012 eni-b - - - - - - - 1700000000 1700000060 - NODATA
      """
    let findings = audit(text).filter { $0.rule == "coverage-gap" }
    #expect(findings.map(\.records).sorted() == [1, 2])
    #expect(findings.allSatisfy { $0.interfaceID == "eni-a" && $0.severity == .low })
    #expect(findings.contains { $0.details["hour"] == .text("2023-11-14T22:00Z") })
    #expect(findings.contains { $0.details["hour_start"] == .integer(1_699_999_200) })
    #expect(findings.contains { $0.message.hasPrefix("1 SKIPDATA record in the hour") })
    #expect(findings.contains { $0.message.hasPrefix("2 SKIPDATA records in the hour") })
  }
}
