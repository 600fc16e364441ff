import FlowLogParser

/// `coverage-gap`: SKIPDATA records, per interface and hour. Flow logs skipped records in those
/// intervals (capacity limits or internal errors), so the audit could not see everything there.
struct CoverageGapDetector: Sendable {
  struct Key: Hashable, Sendable {
    var interface: Int32
    var hour: UInt64
  }

  let settings: DetectorSettings.CoverageGap
  private(set) var groups: [Key: FindingCounts] = [:]

  init(settings: DetectorSettings.CoverageGap) {
    self.settings = settings
  }

  @inline(__always)
  mutating func observe(_ record: FlowRecord, interface: Int32, evidence: EvidencePosition) {
    guard record.logStatus == .skipdata else { return }
    let hour = (record.start ?? record.end ?? 0) / 3600
    groups[Key(interface: interface, hour: hour), default: FindingCounts()].add(record, at: evidence)
  }

  mutating func merge(_ other: CoverageGapDetector, interfaceMap: [Int32]) {
    for (key, counts) in other.groups {
      var mapped = key
      mapped.interface = key.interface >= 0 ? interfaceMap[Int(key.interface)] : -1
      groups[mapped, default: FindingCounts()].merge(counts)
    }
  }

  func findings(_ context: FindingContext) -> [Finding] {
    groups.map { key, counts in
      var finding = context.finding(
        rule: "coverage-gap", severity: settings.severity, interface: key.interface, source: nil, port: nil,
        protocol: nil, action: nil, counts: counts,
        message: "\(counts.records) SKIPDATA \(counts.records == 1 ? "record" : "records") in the hour from \(Self.hourText(key.hour)): traffic in that time may be missing from this audit",
        remedy: "SKIPDATA means the flow log dropped records (capacity or internal error). Check for a burst of traffic, and treat this hour's audit as incomplete.",
        details: ["hour_start": String(key.hour * 3600)])
      finding.details["hour"] = Self.hourText(key.hour)
      return finding
    }
  }

  static func hourText(_ hour: UInt64) -> String {
    let days = Int64(hour / 24)
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let day = doy - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    func two(_ v: Int64) -> String { v < 10 ? "0\(v)" : "\(v)" }
    return "\(year)-\(two(month))-\(two(day))T\(two(Int64(hour % 24))):00Z"
  }
}
