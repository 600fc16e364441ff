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
  private let inputNamesByRank: [String]
  private var allowList: AllowListDetector
  private var naclReturn: NACLReturnDetector
  private var portScan: PortScanDetector
  private var natEndpoint: NATEndpointDetector
  private var privateEgress: PrivateEgressDetector
  private var coverageGap: CoverageGapDetector
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
  public init(policy: Policy, inputNames: [String], inputBytes: UInt64? = nil) {
    self.init(
      policy: policy, inputNames: inputNames,
      requestFilter: SplitBlockBloomFilter(bytes: NACLReturnDetector.filterBytes(forInputBytes: inputBytes)))
  }

  /// A maker of aggregators for parallel workers, all sharing one bounded filter of accepted
  /// requests: one copy in memory and in cache however many workers there are. Arguments as for
  /// ``init(policy:inputNames:inputBytes:)``.
  public static func workerFactory(
    policy: Policy, inputNames: [String], inputBytes: UInt64? = nil
  ) -> @Sendable () -> AuditAggregator {
    let filter = SplitBlockBloomFilter(bytes: NACLReturnDetector.filterBytes(forInputBytes: inputBytes))
    return { AuditAggregator(policy: policy, inputNames: inputNames, requestFilter: filter) }
  }

  private init(policy: Policy, inputNames: [String], requestFilter: SplitBlockBloomFilter) {
    self.policy = policy
    let order = inputNames.indices.sorted { (inputNames[$0], $0) < (inputNames[$1], $1) }
    var ranks = [Int32](repeating: 0, count: inputNames.count)
    for (rank, index) in order.enumerated() { ranks[index] = Int32(rank) }
    inputRanks = ranks
    inputNamesByRank = order.map { inputNames[$0] }

    let settings = policy.detectors
    allowList = AllowListDetector(rules: policy.rules)
    naclReturn = NACLReturnDetector(settings: settings.naclReturn, requests: requestFilter)
    portScan = PortScanDetector(settings: settings.portScan)
    privateEgress = PrivateEgressDetector(settings: settings.privateEgress)
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
    checksNACLReturn = settings.naclReturn.enabled
    checksPortScan = settings.portScan.enabled
    checksNATEndpoint = settings.natEndpoint.enabled
    checksPrivateEgress = settings.privateEgress.enabled && settings.privateEgress.isConfigured
  }

  /// The fields the detectors read; the decoder skips the others (such as version and account-id)
  /// unchecked. Keep in step with the detectors: a field missing here reads as absent.
  public static let fieldsRead: FieldSet? = FieldSet([
    .interfaceID, .resourceID, .srcaddr, .dstaddr, .srcport, .dstport, .protocol, .packets, .bytes, .start,
    .end, .action, .logStatus, .flowDirection, .trafficPath, .pktDstAWSService, .pktDstaddr, .interfaceType,
    .subnetID,
  ])

  public mutating func consume(_ record: FlowRecord, at position: RecordPosition) {
    totals.add(record)
    var interface: Int32 = -1
    var interfaceHash: UInt64 = 0
    if let bytes = record.interfaceID ?? record.text(.resourceID) {
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
    if checksNACLReturn {
      naclReturn.observe(record, interface: interface, interfaceHash: interfaceHash, evidence: evidence)
    }
    if checksPortScan { portScan.observe(record, evidence: evidence) }
    if checksNATEndpoint { natEndpoint.observe(record, interface: interface, evidence: evidence) }
    if checksPrivateEgress { privateEgress.observe(record, interface: interface, evidence: evidence) }
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
    allowList.merge(other.allowList, interfaceMap: map)
    naclReturn.merge(other.naclReturn, interfaceMap: map)
    portScan.merge(other.portScan)
    natEndpoint.merge(other.natEndpoint, interfaceMap: map)
    privateEgress.merge(other.privateEgress, interfaceMap: map)
    coverageGap.merge(other.coverageGap, interfaceMap: map)
  }

  /// Every finding, most severe first (see ``Finding/reportOrder(_:_:)``).
  public func findings() -> [Finding] {
    let context = FindingContext(interfaces: interfaces, inputNamesByRank: inputNamesByRank)
    var all = allowList.findings(context)
    all += naclReturn.findings(context)
    all += portScan.findings(context)
    all += natEndpoint.findings(context)
    all += privateEgress.findings(context)
    all += coverageGap.findings(context)
    return all.sorted(by: Finding.reportOrder)
  }
}
