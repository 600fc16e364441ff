import FlowLogParser

/// Allow-list rules (and the built-in admin-exposure and database-exposure rules): an ACCEPTed
/// record to a port a rule covers, from a source outside the rule's `allow_from`.
///
/// Records whose `flow-direction` is `egress` are not inbound and are passed over. Where the log
/// has no `flow-direction`, the port does not say the direction: a group whose source is the
/// interface's own address (learned from the records, ``InterfaceAddresses``) is outbound and
/// dropped, and one whose direction the records cannot settle is reported with `direction`
/// `uncertain`. Findings are grouped by (rule, interface, source address, port, protocol), exactly
/// up to a capacity and by heavy hitters beyond it (internet-wide exposure can mean millions of
/// sources).
struct AllowListDetector: AuditDetector {
  /// The built-in rule of administrative ports (``Policy/adminPorts``).
  static let adminExposure = "admin-exposure"
  /// The built-in rule of database ports (``Policy/databasePorts``).
  static let databaseExposure = "database-exposure"
  static var ruleIDs: [String] { [adminExposure, databaseExposure] }
  static var policySection: KeyPath<Policy, [AllowRule]> { \.rules }

  /// A group's counts, and whether any of its records was logged as ingress.
  struct Group: HeavyHitterValue {
    var counts = FindingCounts()
    var hasIngressRecord = false

    var records: UInt64 { counts.records }
    mutating func merge(_ other: Group) {
      counts.merge(other.counts)
      hasIngressRecord = hasIngressRecord || other.hasIngressRecord
    }
  }

  struct Key: InterfaceKeyed, CounterTableKey {
    var rule: Int32
    var interface: Int32
    var source: IPAddress
    var port: UInt16
    var proto: UInt8
    @inline(__always) var tableHash: UInt64 {
      groupHash(source.tableHash, UInt64(UInt32(bitPattern: rule)) << 32 | UInt64(UInt32(bitPattern: interface)))
        ^ (UInt64(port) << 8 | UInt64(proto))
    }
  }

  let rules: [AllowRule]
  /// One bit per port: covered by some rule. Most records miss, and this answers them at once.
  private let coveredPorts: [UInt64]
  private(set) var groups: HeavyHitterTable<Key, Group>
  /// Each interface's own address, for records without flow-direction.
  private(set) var addresses = InterfaceAddresses()

  /// On when the policy has rules.
  let isEnabled: Bool

  init(settings rules: [AllowRule], setup: inout DetectorSetup) {
    self.rules = rules
    isEnabled = !rules.isEmpty
    groups = HeavyHitterTable(capacity: setup.capacity, empty: Group())
    var bits = [UInt64](repeating: 0, count: 65_536 / 64)
    for rule in rules {
      for range in rule.ports {
        for port in range { bits[Int(port) >> 6] |= 1 << UInt64(port & 63) }
      }
    }
    coveredPorts = bits
  }

  @inline(__always)
  mutating func observe(_ record: FlowRecord, _ context: RecordContext) {
    let interface = context.interface
    if interface >= 0, let source = record.srcaddr, let destination = record.dstaddr {
      addresses.observe(
        interface: interface, source: source, destination: destination, egress: record.isEgress,
        ingress: record.isIngress)
    }
    guard let port = record.dstport, coveredPorts[Int(port) >> 6] & (1 << UInt64(port & 63)) != 0,
      record.action == .accept, let proto = record.protocolNumber, let source = record.srcaddr,
      !record.isEgress
    else { return }
    let isIngress = record.isIngress
    for (index, rule) in rules.enumerated() {
      guard rule.covers(port: port), rule.protocol.matches(proto), !rule.allowFrom.contains(source) else { continue }
      if let destinations = rule.destinations {
        guard let destination = record.dstaddr, destinations.contains(destination) else { continue }
      }
      let key = Key(rule: Int32(index), interface: interface, source: source, port: port, proto: proto)
      groups.update(key) { group in
        group.counts.add(record, at: context.evidence)
        if isIngress { group.hasIngressRecord = true }
      }
    }
  }

  mutating func merge(_ other: AllowListDetector, interfaceMap: [Int32]) {
    groups.merge(groups: other.groups, interfaceMap: interfaceMap)
    addresses.merge(other.addresses, interfaceMap: interfaceMap)
  }

  var approximations: [AuditReport.Approximation] { [groups.approximation("allow_list")].compactMap { $0 } }

  func holdsMoreThanShare(ofWorkers workers: Int) -> Bool { groups.holdsMoreThanShare(ofWorkers: workers) }

  /// Offers the findings; the interfaces' learned addresses settle the direction of groups
  /// without ingress records.
  func collect(into collector: inout FindingCollector, _ context: FindingContext) {
    for entry in groups.allEntries {
      let key = entry.key
      let counts = entry.value.counts
      var uncertain = false
      if !entry.value.hasIngressRecord {
        switch addresses.role(of: key.source, on: key.interface) {
        case .own: continue  // the interface's own address: outbound traffic, not an exposure
        case .peer: break
        case .unknown: uncertain = true
        }
      }
      let rule = rules[Int(key.rule)]
      collector.offer(rule: rule.id, severity: rule.severity, records: counts.records) {
        let service = Self.serviceName(key.port)
        return context.finding(
          rule: rule.id, severity: rule.severity, interface: key.interface, source: key.source.description,
          port: Int(key.port), protocol: Int(key.proto), action: .accept, counts: counts, recordsError: entry.error,
          message:
            "\(service.map { "\($0) (port \(key.port))" } ?? "port \(key.port)") accepted from \(key.source), "
            + Self.outside(rule)
            + (uncertain
              ? " (direction uncertain: the log has no flow-direction and the records do not show which address "
                + "is the interface's own, so this may be outbound traffic from \(key.source))" : ""),
          remedy: rule.remedy ?? Self.remedy(rule, port: key.port),
          details: uncertain ? ["direction": "uncertain"] : [:])
      }
    }
  }

  /// How the source relates to the rule's `allow_from`, ending the finding's sentence. An empty
  /// `allow_from` (nothing may reach the port) is said as such, not as an empty list.
  static func outside(_ rule: AllowRule) -> String {
    rule.allowFromText.isEmpty
      ? "which no allow_from network covers (allow_from is empty: no source may reach this port)"
      : "which is outside \(rule.allowFromText.joined(separator: ", "))"
  }

  /// The default remedy of a rule without one.
  static func remedy(_ rule: AllowRule, port: UInt16) -> String {
    rule.allowFromText.isEmpty
      ? "Close port \(port) to every source in the security group and network ACL rules (the policy's allow_from is empty), or add the source to the policy if it is expected."
      : "Restrict the security group and network ACL rules for port \(port) to \(rule.allowFromText.joined(separator: ", ")), or add the source to the policy if it is expected."
  }

  static func serviceName(_ port: UInt16) -> String? {
    switch port {
    case 22: "SSH"
    case 23: "Telnet"
    case 3389: "RDP"
    case 5985, 5986: "WinRM"
    case 3306: "MySQL"
    case 5432: "PostgreSQL"
    case 1433: "SQL Server"
    case 1521: "Oracle"
    case 27017: "MongoDB"
    case 6379: "Redis"
    case 9200: "Elasticsearch"
    case 11211: "Memcached"
    case 5439: "Redshift"
    default: nil
    }
  }
}

extension AllowListDetector {
  func writeState(to writer: inout StateWriter) {
    groups.write(to: &writer)
    addresses.write(to: &writer)
  }

  mutating func readState(from reader: inout StateReader) throws(StateError) {
    reader.ruleCount = rules.count
    groups = try HeavyHitterTable(from: &reader, empty: Group(), expectedCapacity: groups.capacity)
    addresses = try InterfaceAddresses(from: &reader)
  }
}
