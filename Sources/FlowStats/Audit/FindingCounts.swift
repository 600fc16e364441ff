import FlowLogParser

/// Where a record is, comparable so that the evidence kept is the first by file path and line,
/// whatever order inputs were read in.
struct EvidencePosition: Hashable, Sendable, Comparable {
  /// The input's rank among all inputs sorted by path.
  var rank: Int32
  var line: Int32

  static func < (a: EvidencePosition, b: EvidencePosition) -> Bool { (a.rank, a.line) < (b.rank, b.line) }
  static let none = EvidencePosition(rank: .max, line: .max)
}

/// The counts behind one finding: records, packets, bytes, the time span and the first evidence.
/// Packet and byte sums saturate at 2^64 − 1 rather than wrap.
struct FindingCounts: Sendable, Hashable {
  var records: UInt64 = 0
  var packets: UInt64 = 0
  var bytes: UInt64 = 0
  var firstSeen: UInt64 = .max
  var lastSeen: UInt64 = 0
  var evidence = EvidencePosition.none

  @inline(__always)
  mutating func add(_ record: FlowRecord, at evidence: EvidencePosition) {
    records &+= 1
    packets.addSaturating(record.packets ?? 0)
    bytes.addSaturating(record.bytes ?? 0)
    if let start = record.start { firstSeen = min(firstSeen, start) }
    if let end = record.end { lastSeen = max(lastSeen, end) }
    self.evidence = min(self.evidence, evidence)
  }

  mutating func merge(_ other: FindingCounts) {
    records.addSaturating(other.records)
    packets.addSaturating(other.packets)
    bytes.addSaturating(other.bytes)
    firstSeen = min(firstSeen, other.firstSeen)
    lastSeen = max(lastSeen, other.lastSeen)
    evidence = min(evidence, other.evidence)
  }
}

extension FindingCounts: HeavyHitterValue {}

/// What every detector needs to turn its counts into ``Finding``s.
struct FindingContext {
  var interfaces: ByteStringInterner
  var inputNamesByRank: [String]

  func interface(_ id: Int32) -> String? { id >= 0 ? interfaces.string(Int(id)) : nil }

  /// A finding with the counts filled in.
  func finding(
    rule: String, severity: Severity, interface: Int32, source: String?, port: Int?, protocol: Int?,
    action: FlowAction?, counts: FindingCounts, recordsError: UInt64 = 0, message: String, remedy: String,
    details: [String: FindingDetail] = [:]
  ) -> Finding {
    var details = details
    // A group that a bounded table admitted late may have had records before: say how many at most.
    if recordsError > 0 { details["records_may_be_higher_by"] = FindingDetail(recordsError) }
    let evidence: Finding.Evidence? =
      counts.evidence == .none || Int(counts.evidence.rank) >= inputNamesByRank.count
      ? nil : Finding.Evidence(file: inputNamesByRank[Int(counts.evidence.rank)], line: Int(counts.evidence.line))
    return Finding(
      rule: rule, severity: severity, interfaceID: self.interface(interface), source: source, port: port,
      protocol: `protocol`, action: action?.name, records: counts.records, packets: counts.packets,
      bytes: counts.bytes, firstSeen: counts.firstSeen == .max ? nil : counts.firstSeen,
      lastSeen: counts.records == 0 || counts.lastSeen == 0 ? nil : counts.lastSeen, evidence: evidence,
      message: message, remedy: remedy, details: details)
  }
}

/// Byte-string helpers for detectors.
enum RecordText {
  @inline(__always)
  static func equals(_ bytes: UnsafeRawBufferPointer?, _ literal: StaticString) -> Bool {
    guard let bytes, bytes.count == literal.utf8CodeUnitCount else { return false }
    let l = literal.utf8Start
    for i in 0..<bytes.count where bytes[i] != l[i] { return false }
    return true
  }

  @inline(__always)
  static func string(_ bytes: UnsafeRawBufferPointer?) -> String? {
    bytes.map { String(decoding: $0, as: UTF8.self) }
  }
}
