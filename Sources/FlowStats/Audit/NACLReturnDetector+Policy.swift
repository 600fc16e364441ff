extension DetectorSettings {
  /// An ACCEPTed flow whose reply (the reverse 5-tuple, same interface) is REJECTed: a stateless
  /// network ACL dropping return traffic.
  public struct NACLReturn: Sendable, Hashable {
    public var enabled = true
    /// The window, in seconds: an accepted flow and its rejected reply match when they share one of
    /// these windows, aligned to the Unix epoch (see the `nacl-return-blocked` detector).
    public var windowSeconds = 600
    public var severity = Severity.medium
    public init() {}
  }
}

extension DetectorSettings.NACLReturn: DetectorPolicySection {
  static var policyKey: String { "nacl_return_blocked" }
  static var allowedKeys: [String] { ["enabled", "window_seconds", "severity"] }

  mutating func read(_ fields: PolicyFields, _ path: PolicyKeyPath, _ reader: PolicyReader) throws(PolicyError) {
    if let node = fields["window_seconds"] {
      windowSeconds = try reader.positiveInteger(node, path.key("window_seconds"))
    }
    if let node = fields["severity"] { severity = try reader.severity(node, path.key("severity")) }
  }
}
