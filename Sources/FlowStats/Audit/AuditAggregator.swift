import FlowLogParser

/// Checks records against a ``Policy``: the work behind `flowlens audit`.
///
/// Each detector keeps counts per finding, never records. One aggregator per worker; aggregators of
/// disjoint inputs combine with ``merge(_:)``, and ``findings()`` is the same whatever the split or
/// the order of the inputs (evidence is the first record by file path, then line).
public struct AuditAggregator: MergeableRecordSink {
  /// The policy in force.
  public let policy: Policy
  /// Record totals, as `summary` counts them.
  public private(set) var totals = RecordTotals()
  private var interfaces = ByteStringInterner()
  private var interfaceHashes: [UInt64] = []
  private let inputRanks: [Int32]
  /// The keys each detector table may keep once workers are merged.
  private let tableCapacity: Int
  private let inputNamesByRank: [String]
  private var allowList: AllowListDetector
  private var naclReturn: NACLReturnDetector
  private var portScan: PortScanDetector
  private var natEndpoint: NATEndpointDetector
  private var privateEgress: PrivateEgressDetector
  private var coverageGap: CoverageGapDetector
  /// Each interface's own address, for records without flow-direction (allow-list rules only).
  private var addresses = InterfaceAddresses()
  private let learnsAddresses: Bool
  /// Detector switches, copied out of the policy so the per-record path reads plain Bools.
  private let checksCoverage: Bool
  private let checksNACLReturn: Bool
  private let checksPortScan: Bool
  private let checksNATEndpoint: Bool
  private let checksPrivateEgress: Bool

  /// An aggregator for `policy` over inputs named `inputNames` (in the order they are read, so that
  /// ``RecordPosition/inputIndex`` names them) of `inputBytes` bytes in all (nil when unknown, as
  /// for standard input), which sizes the bounded state of the detectors. Aggregators that are
  /// merged must be made with the same arguments.
  /// Tables keyed by source keep `tableCapacity` keys exactly and the heaviest beyond.
  public init(
    policy: Policy, inputNames: [String], inputBytes: UInt64? = nil, tableCapacity: Int = defaultTableCapacity
  ) {
    self.init(
      policy: policy, inputNames: inputNames,
      requestFilter: SplitBlockBloomFilter(bytes: NACLReturnDetector.filterBytes(forInputBytes: inputBytes)),
      tableCapacity: tableCapacity)
  }

  /// The keys each detector table keeps exactly before it keeps only heavy hitters: enough for a
  /// day of a busy VPC's logs to be audited exactly, small enough that a spoofed scan from ten
  /// million sources stays within 256 MiB with two workers.
  public static let defaultTableCapacity = 131_072

  /// A maker of aggregators for parallel workers, all sharing one bounded filter of accepted
  /// requests: one copy in memory and in cache however many workers there are. Every worker's
  /// tables may hold the whole `tableCapacity`, so no worker drops a key the run has room for;
  /// a worker hands its tables over to the merged result once they hold more than its share
  /// (``holdsMoreThanShare(ofWorkers:)``), so memory does not grow with the number of workers.
  /// Other arguments as for ``init(policy:inputNames:inputBytes:tableCapacity:)``.
  public static func workerFactory(
    policy: Policy, inputNames: [String], inputBytes: UInt64? = nil, tableCapacity: Int = defaultTableCapacity
  ) -> @Sendable () -> AuditAggregator {
    let filter = SplitBlockBloomFilter(bytes: NACLReturnDetector.filterBytes(forInputBytes: inputBytes))
    return {
      AuditAggregator(policy: policy, inputNames: inputNames, requestFilter: filter, tableCapacity: tableCapacity)
    }
  }

  private init(policy: Policy, inputNames: [String], requestFilter: SplitBlockBloomFilter, tableCapacity: Int) {
    self.tableCapacity = tableCapacity
    let workerCapacity = tableCapacity
    self.policy = policy
    let order = inputNames.indices.sorted { (inputNames[$0], $0) < (inputNames[$1], $1) }
    var ranks = [Int32](repeating: 0, count: inputNames.count)
    for (rank, index) in order.enumerated() { ranks[index] = Int32(rank) }
    inputRanks = ranks
    inputNamesByRank = order.map { inputNames[$0] }

    let settings = policy.detectors
    allowList = AllowListDetector(rules: policy.rules, capacity: workerCapacity)
    naclReturn = NACLReturnDetector(settings: settings.naclReturn, requests: requestFilter, capacity: workerCapacity)
    portScan = PortScanDetector(settings: settings.portScan, capacity: workerCapacity)
    privateEgress = PrivateEgressDetector(settings: settings.privateEgress, capacity: workerCapacity)
    coverageGap = CoverageGapDetector(settings: settings.coverageGap)
    // NAT interfaces named in the policy are interned first, so every worker gives them the same ids.
    var natIDs = Set<Int32>()
    var interner = ByteStringInterner()
    var hashes: [UInt64] = []
    for name in settings.natEndpoint.natInterfaces.sorted() {
      let bytes = Array(name.utf8)
      let id = bytes.withUnsafeBytes { interner.id(of: $0) }
      if id == hashes.count { hashes.append(bytes.withUnsafeBytes { ByteStringInterner.hash($0) }) }
      natIDs.insert(Int32(id))
    }
    interfaces = interner
    interfaceHashes = hashes
    natEndpoint = NATEndpointDetector(settings: settings.natEndpoint, natInterfaceIDs: natIDs)
    checksCoverage = settings.coverageGap.enabled
    learnsAddresses = !policy.rules.isEmpty
    checksNACLReturn = settings.naclReturn.enabled
    checksPortScan = settings.portScan.enabled
    checksNATEndpoint = settings.natEndpoint.enabled
    checksPrivateEgress = settings.privateEgress.enabled && settings.privateEgress.isConfigured
  }


  public mutating func consume(_ record: FlowRecord, at position: RecordPosition) {
    totals.add(record)
    var interface: Int32 = -1
    var interfaceHash: UInt64 = 0
    if let bytes = record.interfaceOrResourceID {
      let id = interfaces.id(of: bytes)
      if id == interfaceHashes.count { interfaceHashes.append(ByteStringInterner.hash(bytes)) }
      interface = Int32(id)
      interfaceHash = interfaceHashes[id]
    }
    let rank = position.inputIndex < inputRanks.count ? inputRanks[position.inputIndex] : Int32(position.inputIndex)
    let evidence = EvidencePosition(rank: rank, line: Int32(clamping: position.line))
    if checksCoverage { coverageGap.observe(record, interface: interface, evidence: evidence) }
    guard record.carriesTraffic else { return }
    allowList.observe(record, interface: interface, evidence: evidence)
    if learnsAddresses, interface >= 0, let source = record.srcaddr, let destination = record.dstaddr {
      addresses.observe(
        interface: interface, source: source, destination: destination, egress: record.isEgress,
        ingress: record.isIngress)
    }
    if checksNACLReturn {
      naclReturn.observe(record, interface: interface, interfaceHash: interfaceHash, evidence: evidence)
    }
    if checksPortScan { portScan.observe(record, evidence: evidence) }
    if checksNATEndpoint { natEndpoint.observe(record, interface: interface, evidence: evidence) }
    if checksPrivateEgress { privateEgress.observe(record, interface: interface, evidence: evidence) }
  }

  /// Notes what the layout of the next records logs: whether a `-` in `pkt-dst-aws-service` means
  /// "no AWS service" or "not logged" decides whether traffic-path 2 is certainly an internet gateway.
  public mutating func layoutDidChange(_ layout: FlowLayout) {
    privateEgress.layoutHasDestinationService = layout.fields.contains(.pktDstAWSService)
  }

  /// Adds the records another aggregator (same policy and inputs) saw.
  public mutating func merge(_ other: AuditAggregator) {
    totals.merge(other.totals)
    var map = [Int32](repeating: -1, count: other.interfaces.count)
    for id in 0..<other.interfaces.count {
      let mine = other.interfaces.bytes(id).withUnsafeBytes { interfaces.id(of: $0) }
      if mine == interfaceHashes.count { interfaceHashes.append(other.interfaceHashes[id]) }
      map[id] = Int32(mine)
    }
    allowList.merge(other.allowList, interfaceMap: map, capacity: tableCapacity)
    addresses.merge(other.addresses, interfaceMap: map)
    naclReturn.merge(other.naclReturn, interfaceMap: map, capacity: tableCapacity)
    portScan.merge(other.portScan, capacity: tableCapacity)
    natEndpoint.merge(other.natEndpoint, interfaceMap: map)
    privateEgress.merge(other.privateEgress, interfaceMap: map, capacity: tableCapacity)
    coverageGap.merge(other.coverageGap, interfaceMap: map)
  }

  /// Whether a detector table holds more than one worker's share of its capacity.
  public func holdsMoreThanShare(ofWorkers workers: Int) -> Bool {
    allowList.groups.holdsMoreThanShare(ofWorkers: workers)
      || naclReturn.rejected.holdsMoreThanShare(ofWorkers: workers)
      || portScan.windows.holdsMoreThanShare(ofWorkers: workers)
      || portScan.probes.holdsMoreThanShare(ofWorkers: workers)
      || privateEgress.groups.holdsMoreThanShare(ofWorkers: workers)
  }

  /// The tables that went past their capacity: their findings are heavy hitters, and their
  /// counts may be low by the stated error.
  public var approximations: [AuditReport.Approximation] {
    let tables = [
      allowList.groups.approximation("allow_list"), naclReturn.rejected.approximation("nacl_return_replies"),
      privateEgress.groups.approximation("private_egress"),
    ]
    return tables.compactMap { $0 } + portScan.approximations
  }

  /// Every finding, most severe first (see ``Finding/reportOrder(_:_:)``).
  public func findings() -> [Finding] { findings(perRule: nil).findings }

  /// The heaviest `perRule` findings of each rule (all when nil), most severe first, and what was
  /// left out. Only findings that are kept are built, so memory follows `perRule`.
  public func findings(perRule: Int?) -> FindingSelection {
    let context = FindingContext(interfaces: interfaces, inputNamesByRank: inputNamesByRank)
    var collector = FindingCollector(perRule: perRule)
    allowList.collect(into: &collector, context, addresses: addresses)
    naclReturn.collect(into: &collector, context)
    portScan.collect(into: &collector, context)
    privateEgress.collect(into: &collector, context)
    for finding in natEndpoint.findings(context) + coverageGap.findings(context) {
      collector.offer(rule: finding.rule, severity: finding.severity, records: finding.records) { finding }
    }
    return collector.selection()
  }
}
