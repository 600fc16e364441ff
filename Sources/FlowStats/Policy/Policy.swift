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
  public init(
    version: Int = 1, networks: [NamedNetwork] = [], rules: [AllowRule] = [],
    detectors: DetectorSettings = DetectorSettings()
  ) {
    self.version = version
    self.networks = networks
    self.rules = rules
    self.detectors = detectors
  }

  /// The network with `name`, if defined.
  public func network(named name: String) -> NamedNetwork? { networks.first { $0.name == name } }
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
        id: AllowListDetector.adminExposure, ports: adminPorts.map { $0...$0 }, protocol: .numbers([6]),
        allowFrom: .privateRanges,
        allowFromText: ["private"], severity: .high,
        remedy:
          "Remove 0.0.0.0/0 and ::/0 from security group rules for admin ports; reach instances through SSM Session Manager, a bastion or a VPN."
      ),
      AllowRule(
        id: AllowListDetector.databaseExposure, ports: databasePorts.map { $0...$0 }, protocol: .numbers([6]),
        allowFrom: .privateRanges, allowFromText: ["private"], severity: .critical,
        remedy: "Keep databases in private subnets; allow their ports only from the application's security group."),
    ])
}
