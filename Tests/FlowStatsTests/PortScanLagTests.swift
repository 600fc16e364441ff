import FlowLogParser
import FlowStats
import Testing

/// The port-scan detector applies each rejected record's update a few rejected records late (see
/// ``PortScanDetector``); every reading must include the updates still queued.
@Suite("Audit: port-scan updates held back")
struct PortScanLagTests {
  /// Rejected probes from three sources, scattered over ports, hosts and two windows, with
  /// accepted records between them.
  static func lines(seed: UInt64) -> [String] {
    var random = SplitMix64(state: seed)
    var lines: [String] = []
    for _ in 0..<900 {
      let source = ["45.155.205.\(1 + random.next() % 3)", "203.0.113.7"][Int(random.next() % 2)]
      let port = 1_000 + Int(random.next() % 40)
      let host = "10.0.0.\(1 + random.next() % 30)"
      let start = 1_700_000_000 + Int(random.next() % 1_100)
      lines.append(
        flow("eni-s", source, host, 40_000, port, packets: 1, bytes: 44, start: start, end: start + 1, action: "REJECT")
      )
      if random.next() % 3 == 0 { lines.append(flow("eni-s", "10.0.0.5", "8.8.8.8", 50_000, 443)) }
    }
    return lines
  }

  static func read(_ lines: ArraySlice<String>, into aggregator: inout AuditAggregator) {
    var issues = IssueLog()
    _ = FlowLogReader().read(
      MemorySource(Array(lines.joined(separator: "\n").utf8)), name: "scan.log", inputIndex: 0, into: &aggregator,
      issues: &issues)
  }

  /// What the findings say, without the evidence line (parts are read as if each started the file).
  static func summary(_ findings: [Finding]) -> [String] {
    findings.filter { $0.rule == "port-scan" }.map {
      "\($0.source ?? "") \($0.port ?? -1) \($0.records) \($0.details["distinct_ports"].map { "\($0)" } ?? "")"
        + " \($0.details["distinct_hosts"].map { "\($0)" } ?? "") \($0.details["windows"].map { "\($0)" } ?? "")"
    }
  }

  @Test("findings read before, after settling, and from parts cut anywhere merged, are the same", arguments: [1, 2, 3])
  func readsIncludeQueuedUpdates(seed: UInt64) throws {
    let lines = Self.lines(seed: seed)
    var whole = AuditAggregator(policy: .builtIn, inputNames: ["scan.log"])
    Self.read(lines[...], into: &whole)
    let unsettled = Self.summary(whole.findings())
    var settled = whole
    settled.settle()
    #expect(Self.summary(settled.findings()) == unsettled)

    // Cuts that leave a few updates queued in each part; the parts are merged unsettled.
    let cuts = [0, 5, 301, 302, 777, lines.count]
    var parts: [AuditAggregator] = []
    for k in 0..<(cuts.count - 1) {
      var part = AuditAggregator(policy: .builtIn, inputNames: ["scan.log"])
      Self.read(lines[cuts[k]..<cuts[k + 1]], into: &part)
      parts.append(part)
    }
    var merged = parts[0]
    for part in parts.dropFirst() { merged.merge(part) }
    #expect(Self.summary(merged.findings()) == unsettled)

    // The oracle: per source and 600 s window, the distinct ports of its rejected records.
    var ports: [String: Set<Int>] = [:]
    var records: [String: Int] = [:]
    for line in lines where line.hasSuffix("REJECT OK") {
      let fields = line.split(separator: " ")
      let key = "\(fields[3]) \(Int(fields[10])! / 600)"
      ports[key, default: []].insert(Int(fields[6])!)
      records[key, default: 0] += 1
    }
    var scanned: [String: Int] = [:]
    for (key, set) in ports where set.count >= 20 {
      scanned[String(key.split(separator: " ")[0]), default: 0] += records[key]!
    }
    let reported = whole.findings().filter { $0.rule == "port-scan" && $0.port == nil }
    #expect(Dictionary(uniqueKeysWithValues: reported.map { ($0.source!, Int($0.records)) }) == scanned)
    #expect(!scanned.isEmpty)
  }
}
