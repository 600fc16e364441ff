import FlowLogParser

/// What the network was meant to allow: named address sets, allow-list rules and the thresholds of
/// the built-in detectors. Parsed from YAML (``PolicyParser``) or the built-in ``Policy/builtIn``.
public struct Policy: Sendable, Hashable {
  /// The policy file format version (1).
  public var version: Int
  /// Named address sets (`corporate`, `vpc`, …), in file order.
  public var networks: [NamedNetwork]
  /// Allow-list rules: inbound traffic to these ports only from these sources.
  public var rules: [AllowRule]
  /// Thresholds and switches of the built-in detectors.
  public var detectors: DetectorSettings

  /// A policy of the given parts.
  public init(version: Int = 1, networks: [NamedNetwork] = [], rules: [AllowRule] = [], detectors: DetectorSettings = DetectorSettings()) {
    self.version = version
    self.networks = networks
    self.rules = rules
    self.detectors = detectors
  }

  /// The network with `name`, if defined.
  public func network(named name: String) -> NamedNetwork? { networks.first { $0.name == name } }
}

/// A named set of addresses.
public struct NamedNetwork: Sendable, Hashable {
  public var name: String
  public var addresses: AddressSet

  public init(name: String, addresses: AddressSet) {
    self.name = name
    self.addresses = addresses
  }
}

/// Which IP protocols a rule covers.
public enum ProtocolMatch: Sendable, Hashable, CustomStringConvertible {
  /// Every protocol.
  case any
  /// These protocol numbers (`tcp` is 6, `udp` 17, `icmp` 1 and 58).
  case numbers(Set<UInt8>)

  /// Parses `tcp`, `udp`, `icmp`, `icmpv6`, `any` or a number 0-255.
  public init?(name: String) {
    switch name.lowercased() {
    case "any", "all", "-1": self = .any
    case "tcp": self = .numbers([6])
    case "udp": self = .numbers([17])
    case "icmp": self = .numbers([1, 58])
    case "icmpv6": self = .numbers([58])
    default:
      guard let n = UInt8(name) else { return nil }
      self = .numbers([n])
    }
  }

  /// Whether protocol number `value` is covered.
  @inline(__always)
  public func matches(_ value: UInt8) -> Bool {
    switch self {
    case .any: true
    case .numbers(let set): set.contains(value)
    }
  }

  public var description: String {
    switch self {
    case .any: "any"
    case .numbers(let set):
      set == [6] ? "tcp" : set == [17] ? "udp" : set == [1, 58] ? "icmp" : set.sorted().map(String.init).joined(separator: ",")
    }
  }
}

/// Inbound traffic to `ports` (over `protocol`, to `destinations`) is allowed only from `allowFrom`.
public struct AllowRule: Sendable, Hashable {
  /// The rule's id, reported with each finding.
  public var id: String
  /// Destination ports covered (single ports are one-element ranges).
  public var ports: [ClosedRange<UInt16>]
  /// Protocols covered.
  public var `protocol`: ProtocolMatch
  /// Sources that may reach the ports.
  public var allowFrom: AddressSet
  /// How `allowFrom` was written (network names and CIDRs), for messages.
  public var allowFromText: [String]
  /// Destinations the rule covers; nil covers every destination.
  public var destinations: AddressSet?
  /// The severity of a violation.
  public var severity: Severity
  /// A remediation hint reported with violations; nil uses a generic one.
  public var remedy: String?

  public init(
    id: String, ports: [ClosedRange<UInt16>], protocol: ProtocolMatch = .any, allowFrom: AddressSet,
    allowFromText: [String], destinations: AddressSet? = nil, severity: Severity = .high, remedy: String? = nil
  ) {
    self.id = id
    self.ports = ports
    self.protocol = `protocol`
    self.allowFrom = allowFrom
    self.allowFromText = allowFromText
    self.destinations = destinations
    self.severity = severity
    self.remedy = remedy
  }

  /// Whether destination port `port` is covered.
  @inline(__always)
  public func covers(port: UInt16) -> Bool {
    for range in ports where range.contains(port) { return true }
    return false
  }
}

/// Thresholds and switches of the built-in detectors. Every detector is on by default.
public struct DetectorSettings: Sendable, Hashable {
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

  /// SKIPDATA records: intervals the audit could not see, per interface and hour.
  public struct CoverageGap: Sendable, Hashable {
    public var enabled = true
    public var severity = Severity.low
    public init() {}
  }

  public var portScan = PortScan()
  public var naclReturn = NACLReturn()
  public var natEndpoint = NATEndpoint()
  public var privateEgress = PrivateEgress()
  public var coverageGap = CoverageGap()

  public init() {}
}

extension Policy {
  /// Administrative ports: SSH, RDP, WinRM (HTTP and HTTPS), Telnet.
  public static let adminPorts: [UInt16] = [22, 3389, 5985, 5986, 23]
  /// Database ports: MySQL, PostgreSQL, SQL Server, Oracle, MongoDB, Redis, Elasticsearch/OpenSearch,
  /// Memcached, Redshift.
  public static let databasePorts: [UInt16] = [3306, 5432, 1433, 1521, 27017, 6379, 9200, 11211, 5439]

  /// The policy used without `--policy`: admin and database ports accepted only from private
  /// (RFC 1918, RFC 4193) sources; every detector on with its default thresholds.
  public static let builtIn = Policy(
    version: 1,
    networks: [NamedNetwork(name: "private", addresses: .privateRanges)],
    rules: [
      AllowRule(
        id: AllowListDetector.adminExposure, ports: adminPorts.map { $0...$0 }, protocol: .numbers([6]), allowFrom: .privateRanges,
        allowFromText: ["private"], severity: .high,
        remedy: "Remove 0.0.0.0/0 and ::/0 from security group rules for admin ports; reach instances through SSM Session Manager, a bastion or a VPN."),
      AllowRule(
        id: AllowListDetector.databaseExposure, ports: databasePorts.map { $0...$0 }, protocol: .numbers([6]),
        allowFrom: .privateRanges, allowFromText: ["private"], severity: .critical,
        remedy: "Keep databases in private subnets; allow their ports only from the application's security group."),
    ])
}
