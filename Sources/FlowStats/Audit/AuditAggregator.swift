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
  /// The detectors, as `detectors.list` registers them (see `AuditDetectors+Generated.swift`).
  private var detectors: AuditDetectors

  /// An aggregator for `policy` over inputs named `inputNames` (in the order they are read, so that
  /// ``RecordPosition/inputIndex`` names them) of `inputBytes` bytes in all (nil when unknown, as
  /// for standard input), which sizes the bounded state of the detectors. Aggregators that are
  /// merged must be made with the same arguments.
  /// Tables keyed by source keep `tableCapacity` keys exactly and the heaviest beyond.
  /// With `keepsExactState`, what bounded filters hold is also kept exactly, so that the state
  /// written for a partial result (`--partial`) merges into exactly one run's state.
  public init(
    policy: Policy, inputNames: [String], inputBytes: UInt64? = nil, tableCapacity: Int = defaultTableCapacity,
    keepsExactState: Bool = false
  ) {
    self.init(
      policy: policy, inputNames: inputNames,
      requestFilter: SplitBlockBloomFilter(bytes: NACLReturnDetector.filterBytes(forInputBytes: inputBytes)),
      tableCapacity: tableCapacity, keepsExactState: keepsExactState)
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
    policy: Policy, inputNames: [String], inputBytes: UInt64? = nil, tableCapacity: Int = defaultTableCapacity,
    keepsExactState: Bool = false
  ) -> @Sendable () -> AuditAggregator {
    let filter = SplitBlockBloomFilter(bytes: NACLReturnDetector.filterBytes(forInputBytes: inputBytes))
    return {
      AuditAggregator(
        policy: policy, inputNames: inputNames, requestFilter: filter, tableCapacity: tableCapacity,
        keepsExactState: keepsExactState)
    }
  }

  private init(
    policy: Policy, inputNames: [String], requestFilter: SplitBlockBloomFilter, tableCapacity: Int,
    keepsExactState: Bool
  ) {
    self.policy = policy
    let order = inputNames.indices.sorted { (inputNames[$0], $0) < (inputNames[$1], $1) }
    var ranks = [Int32](repeating: 0, count: inputNames.count)
    for (rank, index) in order.enumerated() { ranks[index] = Int32(rank) }
    inputRanks = ranks
    inputNamesByRank = order.map { inputNames[$0] }

    var setup = DetectorSetup(capacity: tableCapacity, requestFilter: requestFilter)
    setup.keepsRequestKeys = keepsExactState
    detectors = AuditDetectors(policy: policy, setup: &setup)
    interfaces = setup.interfaces
    interfaceHashes = setup.interfaceHashes
  }

  /// Calls `visitor` with every detector (and the same detector of `other`, when merging), in the
  /// order their approximate tables are reported.
  @inline(__always)
  private mutating func forEachDetector<Visitor: AuditDetectorVisitor>(
    _ visitor: inout Visitor, pairedWith other: AuditAggregator? = nil
  ) {
    detectors.forEach(&visitor, pairedWith: other?.detectors)
  }

  /// Calls `visitor` with every detector, for operations that change none (on a copy of the
  /// aggregator, which shares the detectors' storage).
  private func forEachDetectorReading<Visitor: AuditDetectorVisitor>(_ visitor: inout Visitor) {
    var detectors = self
    detectors.forEachDetector(&visitor)
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
    let context = RecordContext(interface: interface, interfaceHash: interfaceHash, evidence: evidence)
    // Per record each detector is called directly, not through `forEachDetector`: every visit
    // builds the other aggregator's optional detector (hundreds of bytes set and copied per
    // record), which was 7 % of an audit's instructions, measured with callgrind.
    detectors.observe(record, context, carriesTraffic: record.carriesTraffic)
  }

  /// Notes what the layout of the next records logs: whether a `-` in `pkt-dst-aws-service` means
  /// "no AWS service" or "not logged" decides whether traffic-path 2 is certainly an internet gateway.
  public mutating func layoutDidChange(_ layout: FlowLayout) {
    var change = LayoutChange(layout: layout)
    forEachDetector(&change)
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
    var merging = Merging(interfaceMap: map)
    forEachDetector(&merging, pairedWith: other)
  }

  /// Applies the updates a detector holds back until their memory is in cache (see
  /// ``PortScanDetector``). Every reading includes them anyway, but reads a settled aggregator
  /// without copying its tables: call it once the records are read.
  public mutating func settle() {
    detectors.portScan.settle()
  }

  /// Whether a detector table holds more than one worker's share of its capacity.
  public func holdsMoreThanShare(ofWorkers workers: Int) -> Bool {
    var share = HoldsMoreThanShare(workers: workers)
    forEachDetectorReading(&share)
    return share.holds
  }

  /// The tables that went past their capacity: their findings are heavy hitters, and their
  /// counts may be low by the stated error.
  public var approximations: [AuditReport.Approximation] {
    var approximations = Approximations()
    forEachDetectorReading(&approximations)
    return approximations.tables
  }

  /// Every finding, most severe first (see ``Finding/reportOrder(_:_:)``).
  public func findings() -> [Finding] { findings(perRule: nil).findings }

  /// The heaviest `perRule` findings of each rule (all when nil), most severe first, and what was
  /// left out. Only findings that are kept are built, so memory follows `perRule`.
  public func findings(perRule: Int?) -> FindingSelection {
    let context = FindingContext(interfaces: interfaces, inputNamesByRank: inputNamesByRank)
    var collecting = Collecting(collector: FindingCollector(perRule: perRule), context: context)
    forEachDetectorReading(&collecting)
    return collecting.collector.selection()
  }
}

extension AuditAggregator {
  /// Writes the totals, the interfaces and every detector's tables for a partial result
  /// (docs/partial-format.md); the policy and the inputs are written by the caller, with the run.
  public func write(to writer: inout StateWriter) {
    writer.value(totals)
    writer.value(interfaces)
    var writing = StateWriting(writer: writer)
    forEachDetectorReading(&writing)
    writer = writing.writer
  }

  /// Reads a partial result of an audit with `policy` and `tableCapacity`, as part of a run over
  /// inputs named `inputNames` of `inputBytes` (the merged run's; `reader.rankMap` translates the
  /// partial's evidence ranks to theirs). The aggregator keeps its state exactly, to be written again.
  public init(
    policy: Policy, inputNames: [String], inputBytes: UInt64?, tableCapacity: Int, from reader: inout StateReader
  ) throws(StateError) {
    self.init(
      policy: policy, inputNames: inputNames, inputBytes: inputBytes, tableCapacity: tableCapacity,
      keepsExactState: true)
    totals = try reader.value()
    let at = reader.position
    let read: ByteStringInterner = try reader.value()
    // Interfaces the policy names are interned first, in the same order in every aggregator.
    guard read.count >= interfaces.count, (0..<interfaces.count).allSatisfy({ read.bytes($0) == interfaces.bytes($0) })
    else { throw reader.error(at: at, "the interfaces do not start with those the policy names") }
    interfaces = read
    interfaceHashes = (0..<read.count).map { id in read.bytes(id).withUnsafeBytes { ByteStringInterner.hash($0) } }
    reader.interfaceCount = read.count
    var reading = StateReading(reader: reader)
    forEachDetector(&reading)
    if let error = reading.error { throw error }
    reader = reading.reader
  }
}
