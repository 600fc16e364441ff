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
    countsBySeverity[severity, default: 0] += 1
    guard let perRule else {
      kept[rule, default: Heap()].insert(Ranked(finding: make()))
      return
    }
    var heap = kept.removeValue(forKey: rule) ?? Heap()
    defer { kept[rule] = heap }
    if heap.count < perRule {
      heap.insert(Ranked(finding: make()))
      return
    }
    if let weakest = heap.min, records >= weakest.finding.records {
      let candidate = make()
      if Self.weaker(weakest.finding, candidate) {
        let dropped = heap.replaceMin(with: Ranked(finding: candidate)).finding
        omit(rule: dropped.rule, severity: dropped.severity, records: dropped.records)
      } else {
        omit(rule: rule, severity: severity, records: records)
      }
    } else {
      omit(rule: rule, severity: severity, records: records)
    }
  }

  /// Counts a finding that is not listed.
  private mutating func omit(rule: String, severity: Severity, records: UInt64) {
    omitted[rule, default: OmittedFindings(rule: rule, severity: severity, count: 0, records: 0)].count += 1
    omitted[rule]!.records.addSaturating(records)
  }

  /// The selection, in report order.
  func selection() -> FindingSelection {
    let findings = kept.values.flatMap { $0.unordered.map(\.finding) }.sorted(by: Finding.reportOrder)
    let omittedRows = omitted.values.sorted { a, b in
      a.severity != b.severity ? a.severity > b.severity : a.rule < b.rule
    }
    return FindingSelection(findings: findings, omitted: omittedRows, countsBySeverity: countsBySeverity)
  }
}
