/// A detector's settings as a section of the policy's `detectors` mapping: `false` or `true`,
/// nothing (the defaults), or a mapping of its keys.
protocol DetectorPolicySection: Sendable {
  /// Its key under `detectors`: `port_scan`.
  static var policyKey: String { get }
  /// The keys its mapping may have, `enabled` first, in the order error messages list them.
  static var allowedKeys: [String] { get }
  /// The defaults.
  init()
  /// Whether the detector is on.
  var enabled: Bool { get set }
  /// Reads the keys of `fields` other than `enabled` (already read), each under `path`.
  mutating func read(_ fields: PolicyFields, _ path: PolicyKeyPath, _ reader: PolicyReader) throws(PolicyError)
}
