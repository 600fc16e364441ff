extension DetectorSettings {
  /// One source REJECTed on many ports, or on many hosts of one port, within a window.
  public struct PortScan: Sendable, Hashable {
    public var enabled = true
    /// Distinct destination ports that make a scan.
    public var minPorts = 20
    /// Distinct destination hosts on one port that make a sweep.
    public var minHosts = 20
    /// The window, in seconds; windows are aligned to the Unix epoch so results do not depend on order.
    public var windowSeconds = 600
    public var severity = Severity.medium
    public init() {}
  }
}

extension DetectorSettings.PortScan: DetectorPolicySection {
  static var policyKey: String { "port_scan" }
  static var allowedKeys: [String] { ["enabled", "min_ports", "min_hosts", "window_seconds", "severity"] }

  mutating func read(_ fields: PolicyFields, _ path: PolicyKeyPath, _ reader: PolicyReader) throws(PolicyError) {
    if let node = fields["min_ports"] { minPorts = try reader.positiveInteger(node, path.key("min_ports")) }
    if let node = fields["min_hosts"] { minHosts = try reader.positiveInteger(node, path.key("min_hosts")) }
    if let node = fields["window_seconds"] {
      windowSeconds = try reader.positiveInteger(node, path.key("window_seconds"))
    }
    if let node = fields["severity"] { severity = try reader.severity(node, path.key("severity")) }
  }
}
