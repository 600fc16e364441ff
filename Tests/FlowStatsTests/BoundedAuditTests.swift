import FlowLogParser
import FlowStats
import Testing

/// A spoofed flood: every record from its own source, through every table kept per source, with
/// one real scanner among them.
@Suite("Audit: bounded memory under a spoofed flood")
struct BoundedAuditTests {
  static let scanner = "198.18.0.66"

  /// `count` flood records (REJECTed probes, SSH ACCEPTed from the internet, and rejected replies,
  /// in turn, each from a new source) and, every 50th record, one probe of the scanner on a new port.
  static func flood(_ count: Int) -> [String] {
    var lines: [String] = []
    var scannerPort = 1
    for i in 0..<count {
      let source = "\(1 + i / 65_536).\(i / 256 % 256).\(i % 256).\(1 + i % 7)"
      let t = 1_700_000_000 + i % 300
      switch i % 3 {
      case 0:
        lines.append(
          flow(
            "eni-a", source, "10.0.0.5", 40_000, 1 + i % 60_000, packets: 1, bytes: 44, start: t, end: t + 1,
            action: "REJECT"))
      case 1: lines.append(flow("eni-a", source, "10.0.0.5", 40_000, 22, packets: 1, bytes: 44, start: t, end: t + 1))
      default:
        lines.append(
          flow(
            "eni-a", "10.0.0.5", source, 443, 40_000 + i % 20_000, packets: 1, bytes: 44, start: t, end: t + 1,
            action: "REJECT"))
      }
      if i % 50 == 49 {
        lines.append(
          flow(
            "eni-a", Self.scanner, "10.0.0.6", 50_000, scannerPort, packets: 1, bytes: 44, start: t, end: t + 1,
            action: "REJECT"))
        scannerPort += 1
      }
    }
    return lines
  }

  static func aggregate(_ lines: [String], capacity: Int, parts: Int = 1) -> AuditAggregator {
    let make = AuditAggregator.workerFactory(policy: .builtIn, inputNames: ["flood.log"], tableCapacity: capacity)
    var aggregators: [AuditAggregator] = []
    let size = (lines.count + parts - 1) / parts
    for start in stride(from: 0, to: lines.count, by: size) {
      var aggregator = make()
      var issues = IssueLog()
      let text = lines[start..<min(start + size, lines.count)].joined(separator: "\n")
      _ = FlowLogReader().read(
        MemorySource(Array(text.utf8)), name: "flood.log", inputIndex: 0, into: &aggregator, issues: &issues)
      aggregators.append(aggregator)
    }
    var merged = aggregators[0]
    for other in aggregators.dropFirst() { merged.merge(other) }
    return merged
  }

  @Test("past the capacity the tables keep the heaviest, say so, and the scanner is still found", arguments: [1, 2])
  func floodIsBounded(parts: Int) throws {
    let lines = Self.flood(30_000)
    let aggregator = Self.aggregate(lines, capacity: 1_024, parts: parts)
    #expect(aggregator.totals.records == UInt64(lines.count))
    let tables = Set(aggregator.approximations.map(\.table))
    #expect(tables.isSuperset(of: ["allow_list", "nacl_return_replies", "port_scan_windows", "port_scan_probes"]))
    for table in aggregator.approximations {
      #expect(table.keptKeys <= (table.table == "port_scan_probes" ? 4 : 1) * 1_024)
      #expect(table.maximumError > 0)
    }
    let selection = aggregator.findings(perRule: 10)
    let scan = try #require(
      selection.findings.first { $0.rule == "port-scan" && $0.source == Self.scanner && $0.port == nil })
    // 600 probes, each on a new port: records since admission, at most the stated error short.
    let bound = UInt64(aggregator.approximations.map(\.maximumError).max() ?? 0)
    #expect(scan.records <= 600 && scan.records + bound >= 600)
    #expect(scan.details["distinct_ports_estimated"] == true)
    // Each admin-exposure group had one record: ten are listed, the rest counted.
    #expect(selection.findings.filter { $0.rule == "admin-exposure" }.count == 10)
    let omitted = try #require(selection.omitted.first { $0.rule == "admin-exposure" })
    #expect(omitted.count + 10 == selection.countsBySeverity[.high])
  }

  @Test("below the capacity nothing is approximate and every exposure is its own finding")
  func smallFloodIsExact() {
    let lines = Self.flood(3_000)
    let aggregator = Self.aggregate(lines, capacity: 4_096, parts: 2)
    #expect(aggregator.approximations.isEmpty)
    let all = aggregator.findings()
    #expect(all.filter { $0.rule == "admin-exposure" }.count == 1_000)
    #expect(all.allSatisfy { $0.details["records_may_be_higher_by"] == nil })
    let scan = all.first { $0.rule == "port-scan" && $0.source == Self.scanner && $0.port == nil }
    #expect(scan?.records == 60)
    #expect(scan?.details["distinct_ports"] == 60 || scan?.details["distinct_ports_estimated"] == true)
  }

  @Test("the findings listed per rule are the heaviest, the same for any split", arguments: [1, 2, 3])
  func selectionIsTheHeaviest(parts: Int) {
    // Sources 203.0.113.1 ... 40 SSH in; source n makes n records.
    var lines: [String] = []
    for n in 1...40 {
      for k in 0..<n { lines.append(flow("eni-a", "203.0.113.\(n)", "10.0.0.5", 40_000 + k, 22)) }
    }
    lines.shuffle()  // any order: the selection must not depend on it
    let selection = Self.aggregate(lines, capacity: 4_096, parts: parts).findings(perRule: 5)
    let listed = selection.findings.filter { $0.rule == "admin-exposure" }
    #expect(listed.map(\.records).sorted(by: >) == [40, 39, 38, 37, 36])
    #expect(
      selection.omitted == [
        OmittedFindings(rule: "admin-exposure", severity: .high, count: 35, records: UInt64((1...35).reduce(0, +)))
      ])
  }
}
