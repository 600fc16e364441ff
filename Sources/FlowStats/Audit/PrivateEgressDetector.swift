import FlowLogParser

/// `private-egress-path`: records of interfaces in subnets the policy calls private whose egress
/// certainly took an internet gateway route. A private subnet should reach the internet only
/// through NAT, if at all. Grouped by interface and source address.
///
/// Only a path that is certainly the internet gateway counts (AWS's `traffic-path` codes,
/// flowlog-format.md 1.7.5):
/// - 8, "internet gateway" (Nitro instances): always.
/// - 2, "internet gateway *or gateway VPC endpoint*" (older instance types): only when
///   `pkt-dst-aws-service` is in the layout and names no service a gateway endpoint could carry.
///   Gateway endpoints exist for S3 and DynamoDB only, so `S3` and `DYNAMODB` do not count (that is
///   the recommended endpoint path), nor `AMAZON`, the umbrella range that also holds their
///   addresses (AWS shows one code where ranges overlap). Without the field the record is not
///   counted: the destination could be an endpoint.
/// - 7 (gateway VPC endpoint) and every other code: never.
struct PrivateEgressDetector: AuditDetector {
  static let rule = "private-egress-path"
  static var ruleIDs: [String] { [rule] }
  static var policySection: KeyPath<Policy, DetectorSettings.PrivateEgress> { \.detectors.privateEgress }

  struct Key: InterfaceKeyed, CounterTableKey {
    var interface: Int32
    var source: IPAddress
    @inline(__always) var tableHash: UInt64 { groupHash(source.tableHash, UInt64(UInt32(bitPattern: interface))) }
  }

  let settings: DetectorSettings.PrivateEgress
  /// On when enabled and some private subnet is configured (without one there is nothing to check).
  let isEnabled: Bool
  private(set) var groups: HeavyHitterTable<Key, FindingCounts>
  /// Whether the layout of the records being read has `pkt-dst-aws-service` (set on each layout
  /// change): without it, `-` cannot be told from "not logged".
  var layoutHasDestinationService = true

  init(settings: DetectorSettings.PrivateEgress, setup: inout DetectorSetup) {
    self.settings = settings
    isEnabled = settings.enabled && settings.isConfigured
    groups = HeavyHitterTable(capacity: setup.capacity, empty: FindingCounts())
  }

  mutating func layoutDidChange(_ layout: FlowLayout) {
    layoutHasDestinationService = layout.fields.contains(.pktDstAWSService)
  }

  @inline(__always)
  mutating func observe(_ record: FlowRecord, _ context: RecordContext) {
    guard let path = record.integer(.trafficPath), let source = record.srcaddr else { return }
    if path == 2 {
      guard layoutHasDestinationService else { return }
      let service = record.text(.pktDstAWSService)
      if RecordText.equals(service, "S3") || RecordText.equals(service, "DYNAMODB")
        || RecordText.equals(service, "AMAZON")
      {
        return
      }
    } else if path != 8 {
      return
    }
    var isPrivate = false
    if !settings.subnetIDs.isEmpty, let subnet = RecordText.string(record.text(.subnetID)) {
      isPrivate = settings.subnetIDs.contains(subnet)
    }
    if !isPrivate { isPrivate = settings.addresses.contains(source) }
    guard isPrivate else { return }
    groups.update(Key(interface: context.interface, source: source)) { $0.add(record, at: context.evidence) }
  }

  mutating func merge(_ other: PrivateEgressDetector, interfaceMap: [Int32]) {
    groups.merge(groups: other.groups, interfaceMap: interfaceMap)
  }

  var approximations: [AuditReport.Approximation] {
    [groups.approximation("private_egress")].compactMap { $0 }
  }

  func holdsMoreThanShare(ofWorkers workers: Int) -> Bool { groups.holdsMoreThanShare(ofWorkers: workers) }

  func collect(into collector: inout FindingCollector, _ context: FindingContext) {
    for entry in groups.allEntries {
      let key = entry.key
      let counts = entry.value
      collector.offer(rule: Self.rule, severity: settings.severity, records: counts.records) {
        context.finding(
          rule: Self.rule, severity: settings.severity, interface: key.interface,
          source: key.source.description, port: nil, protocol: nil, action: nil, counts: counts,
          recordsError: entry.error,
          message:
            "\(key.source), in a private subnet, sent \(Quantity.counted(counts.records, "record")) of traffic over an internet gateway route",
          remedy:
            "Remove the 0.0.0.0/0 (and ::/0) route to the internet gateway from this subnet's route table; use a NAT gateway or VPC endpoints instead."
        )
      }
    }
  }
}

extension PrivateEgressDetector {
  func writeState(to writer: inout StateWriter) {
    groups.write(to: &writer)
    writer.bool(layoutHasDestinationService)
  }

  mutating func readState(from reader: inout StateReader) throws(StateError) {
    groups = try HeavyHitterTable(from: &reader, empty: FindingCounts(), expectedCapacity: groups.capacity)
    layoutHasDestinationService = try reader.bool()
  }
}
