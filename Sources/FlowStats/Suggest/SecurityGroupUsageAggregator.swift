import FlowLogParser

/// Accepted inbound traffic per security group rule: the work behind `flowlens suggest`.
///
/// A record is inbound to an inventory interface when its `dstaddr` is one of that interface's
/// addresses (v2 logs have no `flow-direction`; the inventory makes it certain). An accepted
/// inbound record counts for the most specific rule of the interface's groups that allows it
/// (``SecurityGroupRuleSet``). Records from a port below 1024 to a port of 1024 or above (TCP,
/// UDP) are replies to the interface's own connections, which security groups allow without an
/// inbound rule: they are counted apart, not for any rule.
///
/// One aggregator per worker; ``merge(_:)`` adds counters and merges the bounded source tables,
/// which are exact (``SourcePrefixTable``), so the result does not depend on how the input was
/// split or on `--jobs`.
public struct SecurityGroupUsageAggregator: MergeableRecordSink {
  /// Traffic counted for one rule slot.
  public struct RuleUsage: Sendable {
    /// Accepted records, packets and bytes.
    public var counters = TrafficCounters()
    /// The sources: addresses up to the capacity, then prefixes (exact either way).
    public var sources: SourcePrefixTable
  }

  /// The rules matched against.
  public let rules: SecurityGroupRuleSet
  /// Per slot of ``rules``.
  public private(set) var usage: [RuleUsage]
  /// Per inventory interface: whether any record of it was read (its traffic is logged).
  public private(set) var interfaceLogged: [Bool]
  /// Accepted records into inventory interfaces.
  public private(set) var inboundAccepted: UInt64 = 0
  /// Of those, the replies not counted for a rule.
  public private(set) var replies: UInt64 = 0
  /// Of those, the records no rule of the interface's groups allows (a stale inventory, or a
  /// rule this account cannot see).
  public private(set) var unmatched: UInt64 = 0
  /// Records read, and the earliest `start` and latest `end` among them: the evidence window.
  public private(set) var records: UInt64 = 0
  /// The earliest `start`; `UInt64.max` before any.
  public private(set) var firstStart: UInt64 = .max
  /// The latest `end`; 0 before any.
  public private(set) var lastEnd: UInt64 = 0

  private var interned = ByteStringInterner()
  /// Per interned interface id: its position in the inventory, or -1.
  private var positionOfInterned: [Int32] = []

  /// An empty aggregator over `rules`, keeping up to `sourceCapacity` sources per rule (then
  /// prefixes of them).
  public init(rules: SecurityGroupRuleSet, sourceCapacity: Int) {
    self.rules = rules
    usage = rules.slots.map { _ in RuleUsage(sources: SourcePrefixTable(capacity: sourceCapacity)) }
    interfaceLogged = Array(repeating: false, count: rules.inventory.interfaces.count)
  }

  public mutating func consume(_ record: FlowRecord, at position: RecordPosition) {
    records &+= 1
    if let start = record.start, start < firstStart { firstStart = start }
    if let end = record.end, end > lastEnd { lastEnd = end }
    guard let id = record.interfaceID else { return }
    let internedID = interned.id(of: id)
    if internedID == positionOfInterned.count {
      // A new interface id: allocates once per interface, not per record.
      let name = String(decoding: id, as: UTF8.self)
      positionOfInterned.append(Int32(rules.inventory.interfacePosition(name) ?? -1))
    }
    let interface = Int(positionOfInterned[internedID])
    guard interface >= 0 else { return }
    interfaceLogged[interface] = true
    guard record.carriesTraffic, record.action == .accept, let destination = record.dstaddr,
      let source = record.srcaddr, let proto = record.protocolNumber,
      rules.inventory.interfaces[interface].owns(destination)
    else { return }
    inboundAccepted &+= 1
    let port = record.dstport ?? 0
    if proto == 6 || proto == 17, let sourcePort = record.srcport, sourcePort < 1024, port >= 1024 {
      replies &+= 1
      return
    }
    let slot = rules.matchingSlot(interface: interface, source: source, protocol: proto, port: port)
    guard slot >= 0 else {
      unmatched &+= 1
      return
    }
    let packets = record.packets ?? 0
    let bytes = record.bytes ?? 0
    usage[slot].counters.add(action: .accept, packets: packets, bytes: bytes)
    usage[slot].sources.add(source, packets: packets, bytes: bytes)
  }

  /// Whether a rule's source table holds more than one worker's share of its capacity.
  public func holdsMoreThanShare(ofWorkers workers: Int) -> Bool {
    usage.contains { $0.sources.holdsMoreThanShare(ofWorkers: workers) }
  }

  /// Adds what another aggregator (over the same rules) counted.
  public mutating func merge(_ other: SecurityGroupUsageAggregator) {
    for index in usage.indices {
      usage[index].counters.add(other.usage[index].counters)
      usage[index].sources.merge(other.usage[index].sources)
    }
    for index in interfaceLogged.indices where other.interfaceLogged[index] { interfaceLogged[index] = true }
    inboundAccepted &+= other.inboundAccepted
    replies &+= other.replies
    unmatched &+= other.unmatched
    records &+= other.records
    firstStart = min(firstStart, other.firstStart)
    lastEnd = max(lastEnd, other.lastEnd)
  }
}
