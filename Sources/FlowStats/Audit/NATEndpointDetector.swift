import FlowLogParser

/// `nat-endpoint-candidate`: egress to S3 or DynamoDB (by `pkt-dst-aws-service`, or by destination
/// ranges from the policy) through a NAT gateway or an internet gateway path. A gateway VPC endpoint
/// carries that traffic privately and without the NAT gateway's per-GB processing charge.
///
/// A record is on a NAT path when its interface is a NAT gateway (`interface-type`, or listed in the
/// policy) and on an internet path when `traffic-path` is 8. Traffic-path 7 (through a gateway
/// endpoint already) and ingress records are passed over.
struct NATEndpointDetector: AuditDetector {
  static let rule = "nat-endpoint-candidate"
  static var ruleIDs: [String] { [rule] }
  static var policySection: KeyPath<Policy, DetectorSettings.NATEndpoint> { \.detectors.natEndpoint }

  struct Key: InterfaceKeyed, Sendable {
    var interface: Int32
    var service: String
    var viaNAT: Bool
  }

  let settings: DetectorSettings.NATEndpoint
  let isEnabled: Bool
  /// The interned numbers of the policy's NAT interfaces.
  let natInterfaceIDs: Set<Int32>
  private(set) var groups: [Key: FindingCounts] = [:]

  /// Interns the policy's NAT interfaces (in sorted order, before any record is read), so that every
  /// worker gives them the same numbers.
  init(settings: DetectorSettings.NATEndpoint, setup: inout DetectorSetup) {
    self.settings = settings
    isEnabled = settings.enabled
    var ids = Set<Int32>()
    for name in settings.natInterfaces.sorted() { ids.insert(setup.intern(name)) }
    natInterfaceIDs = ids
  }

  @inline(__always)
  mutating func observe(_ record: FlowRecord, _ context: RecordContext) {
    let interface = context.interface
    guard record.action == .accept, !record.isIngress else { return }
    let path = record.integer(.trafficPath)
    if path == 7 { return }
    let interfaceType = record.text(.interfaceType)
    let viaNAT =
      natInterfaceIDs.contains(interface) || RecordText.equals(interfaceType, "nat_gateway")
      || RecordText.equals(interfaceType, "regional_nat_gateway")
    guard viaNAT || path == 8 else { return }
    var service: String?
    if let named = RecordText.string(record.text(.pktDstAWSService)), settings.services.contains(named) {
      service = named
    } else if !settings.destinations.isEmpty, let destination = record.address(.pktDstaddr) ?? record.dstaddr,
      settings.destinations.contains(destination)
    {
      service = "policy destinations"
    }
    guard let service else { return }
    groups[Key(interface: interface, service: service, viaNAT: viaNAT), default: FindingCounts()].add(
      record, at: context.evidence)
  }

  mutating func merge(_ other: NATEndpointDetector, interfaceMap: [Int32]) {
    groups.merge(groups: other.groups, interfaceMap: interfaceMap)
  }

  func collect(into collector: inout FindingCollector, _ context: FindingContext) {
    for (key, counts) in groups {
      collector.offer(rule: Self.rule, severity: settings.severity, records: counts.records) {
        finding(key, counts, context)
      }
    }
  }

  private func finding(_ key: Key, _ counts: FindingCounts, _ context: FindingContext) -> Finding {
    // The price is per GB (10^9 bytes, see `costPerGB`); sizes are written in binary units like
    // every size flowlens prints, so the message names the setting rather than a second unit.
    let gigabytes = Double(counts.bytes) / 1_000_000_000
    let cost = key.viaNAT ? gigabytes * settings.costPerGB : 0
    let cents = (cost * 100).rounded() / 100
    let message =
      key.viaNAT
      ? "\(Quantity.bytes(counts.bytes)) to \(key.service) went through a NAT gateway "
        + "(\(Self.dollars(cost)) of NAT processing at the policy's cost_per_gb of $\(settings.costPerGB))"
      : "\(Quantity.bytes(counts.bytes)) to \(key.service) left through an internet gateway"
    return context.finding(
      rule: Self.rule, severity: settings.severity, interface: key.interface, source: nil,
      port: nil, protocol: nil, action: .accept, counts: counts, message: message,
      remedy:
        "Add a gateway VPC endpoint for \(key.service == "DYNAMODB" ? "DynamoDB" : key.service == "S3" ? "S3" : "the service") "
        + "to the route tables of these subnets; it carries the traffic privately and without NAT charges.",
      details: [
        "service": .text(key.service), "via": key.viaNAT ? "nat-gateway" : "internet-gateway",
        "estimated_nat_cost_usd": .number(cents),
      ])
  }

  /// An estimate in US dollars to the cent: "about $0.18"; below half a cent, "less than $0.01".
  static func dollars(_ amount: Double) -> String {
    let cents = Int((amount * 100).rounded())
    if cents == 0 { return amount > 0 ? "less than $0.01" : "$0.00" }
    let fraction = cents % 100
    return "about $\(Quantity.count(cents / 100)).\(fraction < 10 ? "0" : "")\(fraction)"
  }
}

extension NATEndpointDetector {
  /// The groups sorted by interface, service and path, so that the same counts write the same bytes.
  func writeState(to writer: inout StateWriter) {
    let sorted = groups.sorted {
      ($0.key.interface, $0.key.service, $0.key.viaNAT ? 1 : 0) < (
        $1.key.interface, $1.key.service, $1.key.viaNAT ? 1 : 0
      )
    }
    writer.count(sorted.count)
    for (key, counts) in sorted {
      writer.int(Int64(key.interface))
      writer.string(key.service)
      writer.bool(key.viaNAT)
      writer.value(counts)
    }
  }

  mutating func readState(from reader: inout StateReader) throws(StateError) {
    groups = [:]
    for _ in 0..<(try reader.count(minimumBytes: 9)) {
      let at = reader.position
      let key = Key(interface: try reader.interface(), service: try reader.string(), viaNAT: try reader.bool())
      guard groups.updateValue(try reader.value(), forKey: key) == nil else {
        throw reader.error(at: at, "a NAT group appears twice")
      }
    }
  }
}
