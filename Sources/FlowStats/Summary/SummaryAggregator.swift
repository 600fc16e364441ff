import FlowLogParser

/// Totals and tables over records: the work behind `flowlens summary`.
///
/// One aggregator per worker; aggregators of disjoint inputs combine with ``merge(_:)``, which is
/// associative, so the result does not depend on how the input was split.
public struct SummaryAggregator: MergeableRecordSink {
  /// The options in force.
  public let options: SummaryOptions
  /// Record totals.
  public private(set) var totals = RecordTotals()
  /// Interface ids (``FlowLogParser/FlowRecord/interfaceOrResourceID``), interned.
  public private(set) var interfaces = ByteStringInterner()
  /// Counters per interface id (indexed by interned id).
  public private(set) var byInterface: [TrafficCounters] = []
  /// Counters per destination port for TCP and UDP, indexed directly: reply traffic spreads over
  /// every ephemeral port, and a lookup here costs one memory access. Nil (and TCP/UDP counted in
  /// `otherPorts`) until that table holds 4,096 keys, so that small inputs do not pay for 4 MiB.
  private var tcpUDPPorts: DirectPortCounters?
  /// Counters per destination port and protocol (key: `protocol << 16 | port`): every protocol
  /// while the table is small, then the protocols other than TCP and UDP.
  private var otherPorts = CounterTable<UInt64>()
  private static let directPortThreshold = 4096
  /// Counters per source prefix (masked address): exact up to `options.sourceCapacity` prefixes,
  /// then the heaviest (bounded memory under a spoofed scan). Read through ``bySource``, which
  /// includes the adds still queued in `queuedSources`.
  private var sourceTable: HeavyHitterTable<IPAddress, TrafficCounters>
  /// The last adds to `sourceTable`, applied a few records late behind a prefetch of their entry.
  private var queuedSources = LaggedAdds<IPAddress>(placeholder: IPAddress(ipv4: 0))
  /// The `--by` tables, one per ``SummaryOptions/groupings``.
  public private(set) var groups: [GroupTable]
  /// Per interned interface id: its position in ``SummaryOptions/inventory`` (-1: not listed);
  /// filled only with an inventory and `--by` tables.
  private var inventoryPositions: [Int32] = []
  /// Records per time bucket (`--bucket`); nil without.
  public private(set) var timeline: Timeline?

  /// An empty aggregator.
  public init(options: SummaryOptions = SummaryOptions()) {
    self.options = options
    sourceTable = HeavyHitterTable(capacity: options.sourceCapacity)
    groups = options.groupings.map { GroupTable(layout: $0, capacity: options.groupCapacity) }
    timeline = options.bucketSeconds.map { Timeline(bucketSeconds: $0) }
  }

  /// Counters per source prefix (masked address): exact up to `options.sourceCapacity` prefixes,
  /// then the heaviest (bounded memory under a spoofed scan).
  public var bySource: HeavyHitterTable<IPAddress, TrafficCounters> {
    guard !queuedSources.isEmpty else { return sourceTable }
    var copy = self
    copy.settleSources()
    return copy.sourceTable
  }

  /// Applies the queued source adds, in the order they came.
  private mutating func settleSources() {
    let queued = queuedSources
    queuedSources = LaggedAdds(placeholder: IPAddress(ipv4: 0))
    queued.forEachQueued { sourceTable.add($0.key, action: $0.action, packets: $0.packets, bytes: $0.bytes) }
  }

  /// Counters per destination port and protocol (key: `protocol << 16 | port`), in no particular order.
  public var byPort: [(key: UInt64, counters: TrafficCounters)] {
    var rows = otherPorts.counters
    guard let direct = tcpUDPPorts?.settled else { return rows }
    for slot in direct.indices where direct[slot].records != 0 || direct[slot].packets != 0 {
      let (port, proto) = DirectPortCounters.key(ofSlot: slot)
      rows.append((proto << 16 | port, direct[slot]))
    }
    return rows
  }

  public mutating func consume(_ record: FlowRecord, at position: RecordPosition) {
    totals.add(record)
    let action = record.action
    let packets = record.packets ?? 0
    let bytes = record.bytes ?? 0
    // NODATA and SKIPDATA records carry no traffic: they count in the totals only.
    guard record.carriesTraffic else { return }

    var interfaceNumber = -1
    if let interface = record.interfaceOrResourceID {
      let id = interfaces.id(of: interface)
      if id == byInterface.count { byInterface.append(TrafficCounters()) }
      byInterface[id].add(action: action, packets: packets, bytes: bytes)
      interfaceNumber = id
    }
    if let port = record.integer(.dstport), let proto = record.integer(.protocol) {
      if tcpUDPPorts != nil && (proto == 6 || proto == 17) {
        tcpUDPPorts!.add(
          slot: DirectPortCounters.slot(port: port, proto: proto), action: action, packets: packets, bytes: bytes)
      } else {
        otherPorts.add(proto << 16 | port, action: action, packets: packets, bytes: bytes)
        if tcpUDPPorts == nil && otherPorts.count >= Self.directPortThreshold { moveToDirectPorts() }
      }
    }
    if let source = record.srcaddr {
      let prefix = source.masked(toPrefix: source.isIPv6 ? options.sourcePrefixV6 : options.sourcePrefixV4)
      sourceTable.prefetch(prefix)
      if let due = queuedSources.push(.init(key: prefix, action: action, packets: packets, bytes: bytes)) {
        sourceTable.add(due.key, action: due.action, packets: due.packets, bytes: due.bytes)
      }
    }
    if !groups.isEmpty {
      let input = position.inputIndex
      let flowLog = input >= 0 && input < options.flowLogOfInput.count ? options.flowLogOfInput[input] : -1
      var position: Int32 = -1
      if let inventory = options.inventory, interfaceNumber >= 0 {
        // Allocates only for an interface id not seen before.
        while inventoryPositions.count < interfaces.count {
          inventoryPositions.append(inventory.position(of: interfaces.string(inventoryPositions.count)))
        }
        position = inventoryPositions[interfaceNumber]
      }
      for index in groups.indices {
        groups[index].add(
          record, flowLog: flowLog, prefixV4: options.sourcePrefixV4, prefixV6: options.sourcePrefixV6, action: action,
          packets: packets, bytes: bytes, inventory: options.inventory, position: position)
      }
    }
    timeline?.add(start: record.start, action: action, packets: packets, bytes: bytes)
  }

  /// Switches TCP and UDP ports to the directly indexed array.
  private mutating func moveToDirectPorts() {
    var direct = DirectPortCounters()
    var rest = CounterTable<UInt64>()
    for (key, counters) in otherPorts.counters {
      let proto = key >> 16
      if proto == 6 || proto == 17 {
        direct.add(slot: DirectPortCounters.slot(port: key & 0xFFFF, proto: proto), counters)
      } else {
        rest.add(key, counters)
      }
    }
    tcpUDPPorts = direct
    otherPorts = rest
  }

  /// Whether the source-prefix table holds more than one worker's share of its capacity.
  public func holdsMoreThanShare(ofWorkers workers: Int) -> Bool {
    sourceTable.holdsMoreThanShare(ofWorkers: workers)
      || groups.contains { $0.holdsMoreThanShare(ofWorkers: workers) }
  }

  /// Adds the records another aggregator saw (with the same options).
  public mutating func merge(_ other: SummaryAggregator) {
    totals.merge(other.totals)
    for id in 0..<other.interfaces.count {
      let mine = other.interfaces.bytes(id).withUnsafeBytes { interfaces.id(of: $0) }
      if mine == byInterface.count { byInterface.append(TrafficCounters()) }
      byInterface[mine].add(other.byInterface[id])
    }
    if let theirs = other.tcpUDPPorts?.settled {
      if tcpUDPPorts == nil { moveToDirectPorts() }
      for slot in theirs.indices where theirs[slot] != TrafficCounters() { tcpUDPPorts!.add(slot: slot, theirs[slot]) }
    }
    for (key, counters) in other.otherPorts.counters {
      let proto = key >> 16
      if tcpUDPPorts != nil && (proto == 6 || proto == 17) {
        tcpUDPPorts!.add(slot: DirectPortCounters.slot(port: key & 0xFFFF, proto: proto), counters)
      } else {
        otherPorts.add(key, counters)
      }
    }
    if tcpUDPPorts == nil && otherPorts.count >= Self.directPortThreshold { moveToDirectPorts() }
    settleSources()
    sourceTable.merge(other.bySource)
    for index in groups.indices { groups[index].merge(other.groups[index]) }
    if let other = other.timeline { timeline?.merge(other) }
  }
}

extension SummaryAggregator {
  /// Writes every table for a partial result (docs/partial-format.md); the options are written
  /// by the caller, with the run.
  public func write(to writer: inout StateWriter) {
    writer.value(totals)
    writer.value(interfaces)
    for counters in byInterface { writer.value(counters) }
    writer.bool(tcpUDPPorts != nil)
    let direct = tcpUDPPorts?.settled ?? []
    let used = direct.indices.filter { direct[$0] != TrafficCounters() }
    writer.count(used.count)
    for slot in used {
      writer.count(slot)
      writer.value(direct[slot])
    }
    otherPorts.write(to: &writer)
    bySource.write(to: &writer)
    for group in groups { group.write(to: &writer) }
    writer.bool(timeline != nil)
    timeline?.write(to: &writer)
  }

  /// Reads the tables of a partial result made with `options` (whose flow-log numbers are those of
  /// the merged run; `reader.flowLogMap` translates the partial's).
  public init(options: SummaryOptions, from reader: inout StateReader) throws(StateError) {
    self.init(options: options)
    totals = try reader.value()
    interfaces = try reader.value()
    byInterface.reserveCapacity(interfaces.count)
    for _ in 0..<interfaces.count { byInterface.append(try reader.value()) }
    if try reader.bool() { tcpUDPPorts = DirectPortCounters() }
    let used = try reader.count(minimumBytes: 5)
    for _ in 0..<used {
      let slot = try reader.index(below: tcpUDPPorts == nil ? 0 : DirectPortCounters.slotCount, "direct port index")
      tcpUDPPorts!.add(slot: slot, try reader.value())
    }
    otherPorts = try CounterTable(from: &reader, empty: TrafficCounters())
    sourceTable = try HeavyHitterTable(
      from: &reader, empty: TrafficCounters(), expectedCapacity: options.sourceCapacity)
    reader.groupCapacity = options.groupCapacity
    for index in groups.indices { groups[index] = try GroupTable(layout: groups[index].layout, from: &reader) }
    let at = reader.position
    guard try reader.bool() == (timeline != nil) else {
      throw reader.error(at: at, "the time buckets do not match the options (--bucket)")
    }
    if let bucketSeconds = options.bucketSeconds {
      timeline = try Timeline(bucketSeconds: bucketSeconds, from: &reader)
    }
  }
}
