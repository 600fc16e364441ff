import FlowLogParser
import Testing

@testable import FlowStats

/// ``FindingCollector`` keeps the heaviest findings of each rule, ties in report order, and may
/// count a finding without building it (``FindingCollector/Identity``).
@Suite("Audit: finding selection")
struct FindingSelectionTests {
  static func finding(_ n: Int, records: UInt64, interface: String?, source: String?, port: Int?) -> Finding {
    Finding(
      rule: "nacl-return-blocked", severity: .medium, interfaceID: interface, source: source, port: port,
      protocol: 6, action: "REJECT", records: records, packets: records, bytes: records, firstSeen: nil,
      lastSeen: nil, evidence: nil, message: "finding \(n)", remedy: "", details: [:])
  }

  @Test("the kept and the omitted are those of a full sort, with or without identities", arguments: [1, 5, 40])
  func matchesFullSort(perRule: Int) {
    var random = SplitMix64(state: UInt64(perRule))
    let all = (0..<300).map { n in
      Self.finding(
        n, records: 1 + random.next() % 3, interface: random.next() % 4 == 0 ? nil : "eni-\(random.next() % 5)",
        source: random.next() % 5 == 0 ? nil : "10.0.\(random.next() % 4).\(random.next() % 3)",
        port: random.next() % 3 == 0 ? nil : Int(random.next() % 4))
    }
    // The oracle: most records first, then report order; the first `perRule` are listed.
    let expected = all.sorted { $0.records != $1.records ? $0.records > $1.records : Finding.reportOrder($0, $1) }
    let listed = Array(expected.prefix(perRule)).sorted(by: Finding.reportOrder)
    let omittedRecords = expected.dropFirst(perRule).reduce(0) { $0 + $1.records }

    for withIdentity in [false, true] {
      var collector = FindingCollector(perRule: perRule)
      var built = 0
      for finding in all {
        let identity = {
          FindingCollector.Identity(
            interfaceID: finding.interfaceID, source: finding.source, port: finding.port, protocol: finding.protocol)
        }
        let make = {
          built += 1
          return finding
        }
        collector.offer(
          rule: finding.rule, severity: finding.severity, records: finding.records,
          identity: { withIdentity ? identity() : nil }, make)
      }
      let selection = collector.selection()
      #expect(selection.findings == listed)
      #expect(selection.omitted.first?.count == all.count - perRule)
      #expect(selection.omitted.first?.records == omittedRecords)
      if withIdentity { #expect(built < all.count) }
    }
  }
}
