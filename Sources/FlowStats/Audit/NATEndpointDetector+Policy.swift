extension DetectorSettings {
  /// Egress through a NAT gateway or internet gateway to services a gateway VPC endpoint carries.
  public struct NATEndpoint: Sendable, Hashable {
    public var enabled = true
    /// `pkt-dst-aws-service` values that a gateway endpoint serves.
    public var services: Set<String> = ["S3", "DYNAMODB"]
    /// Destination ranges of those services, for logs without `pkt-dst-aws-service`.
    public var destinations = AddressSet.empty
    /// Interfaces that are NAT gateways, for logs without `interface-type`.
    public var natInterfaces: Set<String> = []
    /// NAT gateway data processing charge per GB (taken as 10^9 bytes), in USD, for the estimate.
    public var costPerGB = 0.045
    public var severity = Severity.low
    public init() {}
  }
}

extension DetectorSettings.NATEndpoint: DetectorPolicySection {
  static var policyKey: String { "nat_endpoint_candidate" }
  static var allowedKeys: [String] {
    ["enabled", "services", "destinations", "nat_interfaces", "cost_per_gb", "severity"]
  }

  mutating func read(_ fields: PolicyFields, _ path: PolicyKeyPath, _ reader: PolicyReader) throws(PolicyError) {
    if let node = fields["services"] {
      let path = path.key("services")
      var services: Set<String> = []
      for (i, item) in try reader.list(node, path, of: "service names").enumerated() {
        services.insert(
          try reader.nonEmptyString(item, path.index(i), "a service name").trimmingASCIISpaces.uppercased())
      }
      self.services = services
    }
    if let node = fields["destinations"] { destinations = try reader.addresses(node, path.key("destinations")).set }
    if let node = fields["nat_interfaces"] {
      let path = path.key("nat_interfaces")
      var interfaces: Set<String> = []
      for (i, item) in try reader.list(node, path, of: "interface ids").enumerated() {
        let id = try reader.nonEmptyString(item, path.index(i), "an interface id").trimmingASCIISpaces
        guard id.hasPrefix("eni-") else {
          throw reader.error(
            item, path.index(i),
            "'\(id)' is not an interface id; flow logs name NAT gateways by their interface (eni-…)")
        }
        interfaces.insert(id)
      }
      natInterfaces = interfaces
    }
    if let node = fields["cost_per_gb"] {
      let value = try reader.number(node, path.key("cost_per_gb"))
      guard value >= 0 else {
        throw reader.error(node, path.key("cost_per_gb"), "must not be negative, found \(value)")
      }
      costPerGB = value
    }
    if let node = fields["severity"] { severity = try reader.severity(node, path.key("severity")) }
  }
}
