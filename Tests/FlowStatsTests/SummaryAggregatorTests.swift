import FlowLogParser
import FlowStats
import Testing

/// A small deterministic generator whose counts are kept as it writes, independently of the parser.
struct GeneratedLog {
  var text = ""
  var records: UInt64 = 0
  var accept: UInt64 = 0
  var reject: UInt64 = 0
  var nodata: UInt64 = 0
  var skipdata: UInt64 = 0
  var packets: UInt64 = 0
  var bytes: UInt64 = 0
  var malformed = 0
  var headers = 0
  var lines = 0
  var perInterface: [String: (accept: UInt64, reject: UInt64, bytes: UInt64)] = [:]
  var perPort: [String: UInt64] = [:]  // "port/proto" → records with an action

  init(seed: UInt64, count: Int) {
    var state = seed
    func next() -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }
    let header =
      "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"
    text = header + "\n"
    headers = 1
    lines = 1
    for _ in 0..<count {
      let eni = "eni-\(String(100_000 + next() % 37, radix: 16))"
      let roll = next() % 1000
      lines += 1
      if roll < 10 {
        text += "2 123456789012 \(eni) - - - - - - - 1700000000 1700000060 - NODATA\n"
        records += 1
        nodata += 1
      } else if roll < 13 {
        text += "2 123456789012 \(eni) - - - - - - - 1700000000 1700000060 - SKIPDATA\n"
        records += 1
        skipdata += 1
      } else if roll < 20 {
        text += "2 123456789012 \(eni) 10.0.0.1 10.0.0.2 1 2 6 oops 1 1700000000 1700000060 ACCEPT OK\n"
        malformed += 1
      } else {
        let isReject = roll < 120
        let p = 1 + next() % 50
        let b = p * (40 + next() % 1400)
        let port = [22, 80, 443, 3389, 5432][Int(next() % 5)]
        let proto = port == 80 ? 17 : 6
        let src = roll % 7 == 0 ? "2001:db8:\(next() % 4)::\(next() % 100)" : "203.0.\(next() % 8).\(next() % 256)"
        let start = 1_700_000_000 + next() % 86_400
        text +=
          "2 123456789012 \(eni) \(src) 10.1.2.3 \(1024 + next() % 60_000) \(port) \(proto) \(p) \(b) \(start) \(start + 60) \(isReject ? "REJECT" : "ACCEPT") OK\n"
        records += 1
        packets += p
        bytes += b
        if isReject { reject += 1 } else { accept += 1 }
        var entry = perInterface[eni] ?? (0, 0, 0)
        if isReject { entry.reject += 1 } else { entry.accept += 1 }
        entry.bytes += b
        perInterface[eni] = entry
        perPort["\(port)/\(proto)", default: 0] += 1
      }
    }
  }
}

@Suite("Summary")
struct SummaryAggregatorTests {
  static func summarize(_ text: String, options: SummaryOptions = SummaryOptions(top: nil)) -> SummaryReport {
    var aggregator = SummaryAggregator(options: options)
    var issues = IssueLog()
    let counts = FlowLogReader().read(
      MemorySource(Array(text.utf8)), name: "gen.log", into: &aggregator, issues: &issues)
    return SummaryReport(aggregate: aggregator, counts: counts, issues: issues)
  }

  @Test("totals and tables equal counts the generator kept", arguments: [UInt64(1), 7, 42])
  func generated(seed: UInt64) {
    let log = GeneratedLog(seed: seed, count: 5000)
    let report = Self.summarize(log.text)
    let r = report.records
    #expect(r.total == log.records)
    #expect(r.accept == log.accept)
    #expect(r.reject == log.reject)
    #expect(r.nodata == log.nodata)
    #expect(r.skipdata == log.skipdata)
    #expect(r.packets == log.packets)
    #expect(r.bytes == log.bytes)
    #expect(r.malformed == log.malformed)
    #expect(r.headers == log.headers)
    #expect(report.inputs.lines == log.lines)
    #expect(report.inputs.lines == r.headers + Int(r.total) + r.malformed + r.blank)
    #expect(report.byInterface.count == log.perInterface.count)
    for row in report.byInterface {
      let expected = log.perInterface[row.interfaceID]
      #expect(expected?.accept == row.accept)
      #expect(expected?.reject == row.reject)
      #expect(expected?.bytes == row.bytes)
    }
    for row in report.byPort {
      #expect(log.perPort["\(row.port)/\(row.protocol)"] == row.accept + row.reject)
    }
    #expect(report.bySourceCIDR.reduce(0) { $0 + $1.accept + $1.reject } == log.accept + log.reject)
  }

  @Test("tables are sorted by records, then key, and cut at --top")
  func ordering() {
    let text = [
      v2("eni-b", dstport: 443), v2("eni-b", dstport: 443), v2("eni-a", dstport: 22), v2("eni-c", dstport: 80),
      v2("eni-c", dstport: 22, action: "REJECT"),
    ].joined(separator: "\n")
    let report = Self.summarize(text, options: SummaryOptions(top: 2))
    #expect(report.byInterface.map(\.interfaceID) == ["eni-b", "eni-c"])
    #expect(report.tableSizes.byInterface == 3)
    #expect(report.byPort.map(\.port) == [22, 443])
    #expect(report.byPort[0].reject == 1)
    #expect(report.byPort[0].accept == 1)
  }

  @Test(
    "source prefixes for IPv4 and IPv6",
    arguments: [
      (24, 64, ["203.0.113.0/24", "2001:db8:1:2::/64"]), (16, 48, ["203.0.0.0/16", "2001:db8:1::/48"]),
      (
        32, 128,
        ["203.0.113.9", "203.0.113.200", "2001:db8:1:2::1", "2001:db8:1:2:ffff::1"].map {
          "\($0)/\($0.contains(":") ? 128 : 32)"
        }
      ),
    ])
  func sourcePrefixes(v4: Int, v6: Int, expected: [String]) {
    let text = [
      v2("eni-a", src: "203.0.113.9"), v2("eni-a", src: "203.0.113.200"), v2("eni-a", src: "2001:db8:1:2::1"),
      v2("eni-a", src: "2001:db8:1:2:ffff::1"),
    ].joined(separator: "\n")
    let report = Self.summarize(text, options: SummaryOptions(sourcePrefixV4: v4, sourcePrefixV6: v6, top: nil))
    #expect(Set(report.bySourceCIDR.map(\.cidr)) == Set(expected))
    #expect(report.bySourceCIDR.reduce(0) { $0 + $1.accept } == 4)
  }

  @Test("merging aggregators of parts equals aggregating the whole, in any grouping")
  func mergeIsAssociative() {
    let log = GeneratedLog(seed: 99, count: 3000)
    let lines = log.text.split(separator: "\n").dropFirst().map(String.init)
    let thirds = [lines[0..<1000], lines[1000..<2000], lines[2000...]].map { $0.joined(separator: "\n") }
    func aggregate(_ text: String) -> SummaryAggregator {
      var aggregator = SummaryAggregator(options: SummaryOptions(top: nil))
      var issues = IssueLog()
      _ = FlowLogReader().read(MemorySource(Array(text.utf8)), name: "part", into: &aggregator, issues: &issues)
      return aggregator
    }
    let parts = thirds.map(aggregate)
    var left = parts[0]
    left.merge(parts[1])
    left.merge(parts[2])
    var rightTail = parts[1]
    rightTail.merge(parts[2])
    var right = parts[0]
    right.merge(rightTail)
    var reversed = parts[2]
    reversed.merge(parts[1])
    reversed.merge(parts[0])
    let whole = aggregate(lines.joined(separator: "\n"))
    let counts = InputCounts()
    let reports = [left, right, reversed, whole].map {
      SummaryReport(aggregate: $0, counts: counts, issues: IssueLog())
    }
    for report in reports.dropFirst() {
      #expect(report.records == reports[0].records)
      #expect(report.byInterface == reports[0].byInterface)
      #expect(report.byPort == reports[0].byPort)
      #expect(report.bySourceCIDR == reports[0].bySourceCIDR)
      #expect(report.time == reports[0].time)
    }
  }

  func v2(_ eni: String, src: String = "198.51.100.1", dstport: Int = 443, action: String = "ACCEPT") -> String {
    "2 123456789012 \(eni) \(src) 10.0.0.5 40000 \(dstport) 6 1 100 1700000000 1700000060 \(action) OK"
  }
}

/// A summary, with every table whole (no top-N cut), of lines read as one input.
private func aggregate(_ lines: ArraySlice<String>) -> SummaryAggregator {
  var aggregator = SummaryAggregator(options: SummaryOptions(top: nil))
  var issues = IssueLog()
  _ = FlowLogReader().read(
    MemorySource(Array(lines.joined(separator: "\n").utf8)), name: "p", into: &aggregator, issues: &issues)
  return aggregator
}

@Suite("Summary: many ports")
struct ManyPortsTests {
  /// Reply traffic to thousands of ephemeral ports moves the port table to its direct form; the
  /// result must not depend on when that happens or on how the input was split.
  @Test("port tables agree whether split before or after the switch to direct indexing", arguments: [1, 2, 5, 9])
  func manyPorts(parts: Int) {
    var lines: [String] = []
    for i in 0..<12_000 {
      let proto = [6, 17, 1, 47][i % 4]
      lines.append(
        "2 1 eni-\(i % 7) 10.0.0.\(i % 250) 10.1.0.1 443 \(1024 + (i * 7) % 30_000) \(proto) 1 \(i) 1 2 \(i % 3 == 0 ? "REJECT" : "ACCEPT") OK"
      )
    }
    let whole = aggregate(lines[...])
    let size = (lines.count + parts - 1) / parts
    var merged = SummaryAggregator(options: SummaryOptions(top: nil))
    for start in stride(from: 0, to: lines.count, by: size).reversed() {
      merged.merge(aggregate(lines[start..<min(start + size, lines.count)]))
    }
    let a = SummaryReport(aggregate: whole, counts: InputCounts(), issues: IssueLog())
    let b = SummaryReport(aggregate: merged, counts: InputCounts(), issues: IssueLog())
    #expect(a.byPort == b.byPort)
    #expect(a.byPort.count == whole.byPort.count)
    #expect(a.tableSizes == b.tableSizes)
    #expect(a.byPort.reduce(0) { $0 + $1.accept + $1.reject } == 12_000)
  }
}

@Suite("Summary: the lagged adds of the port and source tables")
struct DirectPortQueueTests {
  /// The direct port table and the source table apply each add a few records late (behind a
  /// prefetch): every reading of a table — the report, a merge — must include the adds still
  /// queued. Counts not a multiple of the queue's length leave some queued at the end.
  @Test(
    "per-port and per-source counts equal the generator's, whatever is still queued",
    arguments: [4_099, 5_003, 12_001])
  func queuedAddsCount(records: Int) throws {
    var expected: [String: (accept: UInt64, reject: UInt64, bytes: UInt64)] = [:]
    var expectedSources: [String: (accept: UInt64, reject: UInt64, bytes: UInt64)] = [:]
    var lines: [String] = []
    for i in 0..<records {
      let proto = [6, 17, 6, 1][i % 4]
      let port = 1024 + (i * 7_919) % 60_000
      let reject = i % 5 == 0
      let source = "10.\(i % 7).\((i / 7) % 200)"
      lines.append(
        "2 1 eni-\(i % 3) \(source).\(i % 250) 10.1.0.1 443 \(port) \(proto) 1 \(i) 1 2 \(reject ? "REJECT" : "ACCEPT") OK"
      )
      for (key, isPort) in [("\(port)/\(proto)", true), ("\(source).0/24", false)] {
        var row = (isPort ? expected : expectedSources)[key, default: (0, 0, 0)]
        if reject { row.reject += 1 } else { row.accept += 1 }
        row.bytes += UInt64(i)
        if isPort { expected[key] = row } else { expectedSources[key] = row }
      }
    }
    // Whole, and merged from two parts each past the switch to the direct table.
    var merged = aggregate(lines[..<(records / 2)])
    merged.merge(aggregate(lines[(records / 2)...]))
    for aggregator in [aggregate(lines[...]), merged] {
      let report = SummaryReport(aggregate: aggregator, counts: InputCounts(), issues: IssueLog())
      var seen: [String: (accept: UInt64, reject: UInt64, bytes: UInt64)] = [:]
      for row in report.byPort { seen["\(row.port)/\(row.protocol)"] = (row.accept, row.reject, row.bytes) }
      #expect(seen.count == expected.count)
      for (key, row) in expected {
        let got = try #require(seen[key], "port \(key) missing")
        #expect(got.accept == row.accept && got.reject == row.reject && got.bytes == row.bytes, "port \(key)")
      }
      #expect(report.bySourceCIDR.count == expectedSources.count)
      for row in report.bySourceCIDR {
        let want = try #require(expectedSources[row.cidr], "source \(row.cidr) not generated")
        #expect(row.accept == want.accept && row.reject == want.reject && row.bytes == want.bytes, "source \(row.cidr)")
      }
    }
  }
}
