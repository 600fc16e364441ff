import HeapModule

/// Findings a rule had beyond the number shown: nothing is dropped without being counted.
public struct OmittedFindings: Sendable, Hashable, Codable {
  /// The rule or detector id.
  public var rule: String
  /// The severity of the rule's findings.
  public var severity: Severity
  /// How many findings were left out.
  public var count: Int
  /// The records behind them.
  public var records: UInt64

  /// What a rule had beyond the findings listed.
  public init(rule: String, severity: Severity, count: Int, records: UInt64) {
    self.rule = rule
    self.severity = severity
    self.count = count
    self.records = records
  }
}

/// The findings of an audit, at most a given number per rule: the heaviest by records, ties by
/// ``Finding/reportOrder(_:_:)``, so the choice does not depend on input order or threads.
public struct FindingSelection: Sendable {
  /// The findings shown, most severe first (see ``Finding/reportOrder(_:_:)``).
  public var findings: [Finding]
  /// Per rule, what was left out (empty when every finding is shown).
  public var omitted: [OmittedFindings]
  /// All findings by severity, shown or not.
  public var countsBySeverity: [Severity: Int]
}

/// Keeps the heaviest `perRule` findings of each rule as detectors offer them, building a
/// ``Finding`` (its strings) only when it could be kept: a spoofed flood with a hundred thousand
/// exposed sources costs a heap per rule, not a hundred thousand messages.
struct FindingCollector {
  /// A finding ordered so that the heap's minimum is the one to give up first.
  private struct Ranked: Comparable {
    var finding: Finding
    static func < (a: Ranked, b: Ranked) -> Bool { weaker(a.finding, b.finding) }
    static func == (a: Ranked, b: Ranked) -> Bool { a.finding == b.finding }
  }

  let perRule: Int?
  private var kept: [String: Heap<Ranked>] = [:]
  private var omitted: [String: OmittedFindings] = [:]
  private var countsBySeverity: [Severity: Int] = [:]

  init(perRule: Int?) {
    self.perRule = perRule.map { max(0, $0) }
  }

  /// Whether `a` gives way to `b`: fewer records, or as many and later in report order.
  static func weaker(_ a: Finding, _ b: Finding) -> Bool {
    a.records != b.records ? a.records < b.records : Finding.reportOrder(b, a)
  }

  /// Offers a finding of `rule` with `records`; `make` builds it if it may be kept.
  mutating func offer(rule: String, severity: Severity, records: UInt64, _ make: () -> Finding) {
    offer(rule: rule, severity: severity, records: records, identity: { nil }, make)
  }

  /// What places a finding among the findings of its rule with as many records: its fields that
  /// ``Finding/reportOrder(_:_:)`` compares before the message.
  struct Identity {
    var interfaceID: String?
    var source: String?
    var port: Int?
    var `protocol`: Int?

    /// Whether a finding with this identity comes before `finding` (same rule and severity) in
    /// report order, as ``Finding/reportOrder(_:_:)`` says; nil when only the messages can tell.
    func precedes(_ finding: Finding) -> Bool? {
      if interfaceID != finding.interfaceID { return (interfaceID ?? "") < (finding.interfaceID ?? "") }
      if source != finding.source { return (source ?? "") < (finding.source ?? "") }
      if port != finding.port { return (port ?? -1) < (finding.port ?? -1) }
      if self.protocol != finding.protocol { return (self.protocol ?? -1) < (finding.protocol ?? -1) }
      return nil
    }
  }

  /// Like ``offer(rule:severity:records:_:)``, for a rule with many findings: `identity` (nil:
  /// none) lets a finding that would not be kept be counted without being built, its message and
  /// all (most of a flood's findings tie on records and lose on identity).
  mutating func offer(
    rule: String, severity: Severity, records: UInt64, identity: () -> Identity?, _ make: () -> Finding
  ) {
    countsBySeverity[severity, default: 0] += 1
    guard let perRule else {
      kept[rule, default: Heap()].insert(Ranked(finding: make()))
      return
    }
    // The rule's heap is changed in place (one lookup); what it gives up is counted after.
    if let omitted = Self.offer(
      into: &kept[rule, default: Heap()], perRule: perRule, rule: rule, severity: severity, records: records,
      identity: identity, make)
    {
      omit(rule: omitted.rule, severity: omitted.severity, records: omitted.records)
    }
  }

  /// Offers a finding to the heap of its rule; returns the finding left out (this one or the
  /// weakest kept), if any.
  private static func offer(
    into heap: inout Heap<Ranked>, perRule: Int, rule: String, severity: Severity, records: UInt64,
    identity: () -> Identity?, _ make: () -> Finding
  ) -> (rule: String, severity: Severity, records: UInt64)? {
    if heap.count < perRule {
      heap.insert(Ranked(finding: make()))
      return nil
    }
    guard let weakest = heap.min, records >= weakest.finding.records else { return (rule, severity, records) }
    if records == weakest.finding.records, severity == weakest.finding.severity, rule == weakest.finding.rule,
      let identity = identity(), let precedes = identity.precedes(weakest.finding), !precedes
    {
      return (rule, severity, records)  // it would give way to the weakest kept: never built
    }
    let candidate = make()
    guard weaker(weakest.finding, candidate) else { return (rule, severity, records) }
    let dropped = heap.replaceMin(with: Ranked(finding: candidate)).finding
    return (dropped.rule, dropped.severity, dropped.records)
  }

  /// Counts a finding that is not listed.
  private mutating func omit(rule: String, severity: Severity, records: UInt64) {
    omitted[rule, default: OmittedFindings(rule: rule, severity: severity, count: 0, records: 0)].count += 1
    omitted[rule]!.records.addSaturating(records)
  }

  /// The selection, in report order.
  func selection() -> FindingSelection {
    let all = kept.values.flatMap { $0.unordered.map(\.finding) }
    // Positions are sorted, not findings, and compared in place: a copy of a finding is a dozen
    // references retained and released, which was four fifths of the sort's instructions,
    // measured with callgrind.
    let order = all.withUnsafeBufferPointer { findings in
      findings.indices.sorted { Finding.reportOrder(findings.baseAddress! + $0, findings.baseAddress! + $1) }
    }
    let findings = order.map { all[$0] }
    let omittedRows = omitted.values.sorted { a, b in
      a.severity != b.severity ? a.severity > b.severity : a.rule < b.rule
    }
    return FindingSelection(findings: findings, omitted: omittedRows, countsBySeverity: countsBySeverity)
  }
}
