import FlowLogParser

/// `private-egress-path`: records of interfaces in subnets the policy calls private whose
/// `traffic-path` is an internet gateway route (2, or 8 on Nitro). A private subnet should reach the
/// internet only through NAT, if at all. Grouped by interface and source address.
struct PrivateEgressDetector: Sendable {
  struct Key: InterfaceKeyed, CounterTableKey {
    var interface: Int32
    var source: IPAddress
    @inline(__always) var tableHash: UInt64 { groupHash(source.tableHash, UInt64(UInt32(bitPattern: interface))) }
  }

  let settings: DetectorSettings.PrivateEgress
  private(set) var groups: HeavyHitterTable<Key, FindingCounts>

  init(settings: DetectorSettings.PrivateEgress, capacity: Int) {
    self.settings = settings
    groups = HeavyHitterTable(capacity: capacity, empty: FindingCounts())
  }

  @inline(__always)
  mutating func observe(_ record: FlowRecord, interface: Int32, evidence: EvidencePosition) {
    guard let path = record.integer(.trafficPath), path == 2 || path == 8, let source = record.srcaddr else { return }
    var isPrivate = false
    if !settings.subnetIDs.isEmpty, let subnet = RecordText.string(record.text(.subnetID)) {
      isPrivate = settings.subnetIDs.contains(subnet)
    }
    if !isPrivate { isPrivate = settings.addresses.contains(source) }
    guard isPrivate else { return }
    groups.update(Key(interface: interface, source: source)) { $0.add(record, at: evidence) }
  }

  mutating func merge(_ other: PrivateEgressDetector, interfaceMap: [Int32], capacity: Int) {
    groups.raiseCapacity(to: capacity)
    groups.merge(groups: other.groups, interfaceMap: interfaceMap)
  }

  func collect(into collector: inout FindingCollector, _ context: FindingContext) {
    for entry in groups.allEntries {
      let key = entry.key
      let counts = entry.value
      collector.offer(rule: "private-egress-path", severity: settings.severity, records: counts.records) {
        context.finding(
          rule: "private-egress-path", severity: settings.severity, interface: key.interface,
          source: key.source.description, port: nil, protocol: nil, action: nil, counts: counts,
          recordsError: entry.error,
          message: "\(key.source), in a private subnet, sent \(Quantity.counted(counts.records, "record")) of traffic over an internet gateway route",
          remedy: "Remove the 0.0.0.0/0 (and ::/0) route to the internet gateway from this subnet's route table; use a NAT gateway or VPC endpoints instead.")
      }
    }
  }
}
