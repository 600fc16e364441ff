import FlowLogParser
import FlowStats
import Testing

@Suite("Audit: port-scan")
struct PortScanDetectorTests {
  static func probes(
    ports: Range<Int>, start: Int = 1_700_000_000, step: Int = 1, host: (Int) -> String = { _ in "10.0.0.9" }
  ) -> [String] {
    ports.enumerated().map { index, port in
      flow(
        "eni-s", "45.155.205.99", host(index), 40000 + index, port, packets: 1, bytes: 44, start: start + index * step,
        end: start + index * step + 1, action: "REJECT")
    }
  }

  @Test("port-scan: 25 ports in a window is a scan; 19 is not; 12 + 13 in two windows is not")
  func portScan() throws {
    let scan = audit(Self.probes(ports: 1000..<1025).joined(separator: "\n")).filter { $0.rule == "port-scan" }
    #expect(scan.count == 1)
    let f = try #require(scan.first)
    #expect(f.source == "45.155.205.99")
    #expect(f.port == nil)
    #expect(f.records == 25)
    #expect(f.details["distinct_ports"] == .integer(25))
    #expect(f.details["windows"] == .integer(1))
    #expect(f.message == "45.155.205.99 was rejected on 25 distinct ports in 1 window of 600 s, each with at least 20")
    #expect(f.interfaceID == nil)
    #expect(audit(Self.probes(ports: 1000..<1019).joined(separator: "\n")).filter { $0.rule == "port-scan" }.isEmpty)
    // 1_700_000_400 + 12 * 20 crosses the 600 s window boundary at 1_700_000_400 + 200.
    let split = Self.probes(ports: 1000..<1025, start: 1_699_999_800 + 360, step: 20)
    #expect(audit(split.joined(separator: "\n")).filter { $0.rule == "port-scan" }.isEmpty)
  }

  @Test("port-scan: one port on 20 hosts is a sweep")
  func sweep() throws {
    let lines = (0..<20).map { i in
      flow("eni-s", "45.155.205.99", "10.0.0.\(i + 1)", 40000 + i, 22, packets: 1, bytes: 44, action: "REJECT")
    }
    let f = try #require(audit(lines.joined(separator: "\n")).first { $0.rule == "port-scan" })
    #expect(f.port == 22)
    #expect(f.details["distinct_hosts"] == .integer(20))
  }
}
