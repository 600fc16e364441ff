import FlowLogParser

/// `coverage-gap`: SKIPDATA records, per interface and hour. Flow logs skipped records in those
/// intervals (capacity limits or internal errors), so the audit could not see everything there.
struct CoverageGapDetector: AuditDetector {
  static let rule = "coverage-gap"
  static var ruleIDs: [String] { [rule] }
  static var policySection: KeyPath<Policy, DetectorSettings.CoverageGap> { \.detectors.coverageGap }
  /// SKIPDATA records carry no traffic: they are what this detector counts.
  static var observesRecordsWithoutTraffic: Bool { true }

  struct Key: InterfaceKeyed, Sendable {
    var interface: Int32
    var hour: UInt64
  }

  let settings: DetectorSettings.CoverageGap
  let isEnabled: Bool
  private(set) var groups: [Key: FindingCounts] = [:]

  init(settings: DetectorSettings.CoverageGap, setup: inout DetectorSetup) {
    self.settings = settings
    isEnabled = settings.enabled
  }

  @inline(__always)
  mutating func observe(_ record: FlowRecord, _ context: RecordContext) {
    guard record.logStatus == .skipdata else { return }
    let hour = (record.start ?? record.end ?? 0) / 3600
    groups[Key(interface: context.interface, hour: hour), default: FindingCounts()].add(record, at: context.evidence)
  }

  mutating func merge(_ other: CoverageGapDetector, interfaceMap: [Int32]) {
    groups.merge(groups: other.groups, interfaceMap: interfaceMap)
  }

  func collect(into collector: inout FindingCollector, _ context: FindingContext) {
    for (key, counts) in groups {
      let identity = {
        FindingCollector.Identity(interfaceID: context.interface(key.interface), source: nil, port: nil, protocol: nil)
      }
      collector.offer(rule: Self.rule, severity: settings.severity, records: counts.records, identity: identity) {
        finding(key, counts, context)
      }
    }
  }

  private func finding(_ key: Key, _ counts: FindingCounts, _ context: FindingContext) -> Finding {
    var finding = context.finding(
      rule: Self.rule, severity: settings.severity, interface: key.interface, source: nil, port: nil,
      protocol: nil, action: nil, counts: counts,
      message:
        "\(Quantity.count(counts.records)) SKIPDATA \(Quantity.noun(counts.records, "record")) in the hour from \(Self.hourText(key.hour)): traffic in that time may be missing from this audit",
      remedy:
        "SKIPDATA means the flow log dropped records (capacity or internal error). Check for a burst of traffic, and treat this hour's audit as incomplete.",
      details: ["hour_start": FindingDetail(key.hour * 3600)])
    finding.details["hour"] = .text(Self.hourText(key.hour))
    return finding
  }

  static func hourText(_ hour: UInt64) -> String { UTCTime.hourText(hour * 3600) }
}

extension CoverageGapDetector {
  /// The groups sorted by interface and hour, so that the same counts write the same bytes.
  func writeState(to writer: inout StateWriter) {
    let sorted = groups.sorted { ($0.key.interface, $0.key.hour) < ($1.key.interface, $1.key.hour) }
    writer.count(sorted.count)
    for (key, counts) in sorted {
      writer.int(Int64(key.interface))
      writer.uint(key.hour)
      writer.value(counts)
    }
  }

  mutating func readState(from reader: inout StateReader) throws(StateError) {
    groups = [:]
    for _ in 0..<(try reader.count(minimumBytes: 8)) {
      let at = reader.position
      let key = Key(interface: try reader.interface(), hour: try reader.uint(atMost: UInt64.max / 3600, "hour"))
      guard groups.updateValue(try reader.value(), forKey: key) == nil else {
        throw reader.error(at: at, "a coverage group appears twice")
      }
    }
  }
}
