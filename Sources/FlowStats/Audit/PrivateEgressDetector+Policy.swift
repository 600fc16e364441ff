extension DetectorSettings {
  /// Interfaces in private subnets whose egress takes an internet gateway path (traffic-path 2 or 8).
  public struct PrivateEgress: Sendable, Hashable {
    public var enabled = true
    /// Subnet ids (`subnet-…`) the policy calls private.
    public var subnetIDs: Set<String> = []
    /// Address ranges of private subnets.
    public var addresses = AddressSet.empty
    public var severity = Severity.high
    public init() {}

    /// Whether any private subnet is configured (without one, the detector has nothing to check).
    public var isConfigured: Bool { !subnetIDs.isEmpty || !addresses.isEmpty }
  }
}

extension DetectorSettings.PrivateEgress: DetectorPolicySection {
  static var policyKey: String { "private_egress_path" }
  static var allowedKeys: [String] { ["enabled", "subnets", "severity"] }

  mutating func read(_ fields: PolicyFields, _ path: PolicyKeyPath, _ reader: PolicyReader) throws(PolicyError) {
    if let node = fields["subnets"] {
      let path = path.key("subnets")
      var prefixes: [CIDR] = []
      for (i, item) in try reader.list(node, path, of: "subnet ids, CIDRs or network names").enumerated() {
        let itemPath = path.index(i)
        let text = try reader.nonEmptyString(item, itemPath, "a subnet id, CIDR or network name").trimmingASCIISpaces
        if text.hasPrefix("subnet-") {
          subnetIDs.insert(text)
          continue
        }
        switch try reader.addressEntry(item, itemPath) {
        case .prefix(let cidr): prefixes.append(cidr)
        case .network(let name, let node, let path): prefixes += try reader.network(named: name, node, path).prefixes
        }
      }
      addresses = AddressSet(prefixes)
    }
    if let node = fields["severity"] { severity = try reader.severity(node, path.key("severity")) }
  }
}
