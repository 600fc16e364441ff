extension DetectorSettings {
  /// SKIPDATA records: intervals the audit could not see, per interface and hour.
  public struct CoverageGap: Sendable, Hashable {
    public var enabled = true
    public var severity = Severity.low
    public init() {}
  }
}

extension DetectorSettings.CoverageGap: DetectorPolicySection {
  static var policyKey: String { "coverage_gap" }
  static var allowedKeys: [String] { ["enabled", "severity"] }

  mutating func read(_ fields: PolicyFields, _ path: PolicyKeyPath, _ reader: PolicyReader) throws(PolicyError) {
    if let node = fields["severity"] { severity = try reader.severity(node, path.key("severity")) }
  }
}
