import FlowLogParser

/// `port-scan`: one source REJECTed on at least `min_ports` distinct destination ports, or on at
/// least `min_hosts` distinct hosts of one port, within one window. Windows are aligned to the Unix
/// epoch, so results do not depend on the order records arrive in.
///
/// Memory is bounded whatever the input (a spoofed scan from millions of sources): a (source,
/// window) and a (source, window, port) entry each keep counts and a ``SmallDistinctSet`` of ports
/// or hosts — exact below 32 distinct ports or hosts, so the default thresholds are
/// decided exactly — in ``HeavyHitterTable``s, exact up to their capacity and keeping the heaviest
/// entries beyond it.
struct PortScanDetector: AuditDetector {
  static let rule = "port-scan"
  static var ruleIDs: [String] { [rule] }
  static var policySection: KeyPath<Policy, DetectorSettings.PortScan> { \.detectors.portScan }

  struct SourceWindow: CounterTableKey {
    var source: IPAddress
    var window: UInt32
    @inline(__always) var tableHash: UInt64 { (source.tableHash ^ UInt64(window)) &* 0x9E37_79B9_7F4A_7C15 }
  }
  /// A (source, window, port) key, laid out flat so the port fills the address's padding: 24 bytes.
  struct PortProbe: CounterTableKey {
    var source: IPAddress
    var port: UInt16
    var windowNumber: UInt32
    init(window: SourceWindow, port: UInt16) {
      source = window.source
      self.port = port
      windowNumber = window.window
    }
    var window: SourceWindow { SourceWindow(source: source, window: windowNumber) }
    @inline(__always) var tableHash: UInt64 { (window.tableHash ^ UInt64(port)) &* 0xFF51_AFD7_ED55_8CCD }
  }
  /// The distinct ports and the counts of one source in one window.
  struct WindowState: HeavyHitterValue {
    var ports = SmallDistinctSet<UInt16>()
    var counts = FindingCounts()
    var records: UInt64 { counts.records }
    mutating func merge(_ other: WindowState) {
      ports.merge(other.ports)
      counts.merge(other.counts)
    }
  }
  /// The distinct hosts and the counts of one source on one port in one window.
  struct ProbeState: HeavyHitterValue {
    var hosts = SmallDistinctSet<UInt32>()
    var counts = FindingCounts()
    var records: UInt64 { counts.records }
    mutating func merge(_ other: ProbeState) {
      hosts.merge(other.hosts)
      counts.merge(other.counts)
    }
  }

  /// One rejected record's update of both tables, queued until its entries are in cache.
  struct QueuedProbe: Sendable {
    var window: SourceWindow
    var port: UInt16
    var host: UInt32
    /// The record's counts (one record).
    var counts: FindingCounts
    var probe: PortProbe { PortProbe(window: window, port: port) }
  }

  let settings: DetectorSettings.PortScan
  let isEnabled: Bool
  private let windowSeconds: UInt64
  /// The tables without the queued updates: read them through ``settled``.
  private var windows: HeavyHitterTable<SourceWindow, WindowState>
  private var probes: HeavyHitterTable<PortProbe, ProbeState>
  /// The last ``lag`` rejected records' updates, applied ``lag`` rejected records late. A scan's
  /// keys are as good as random, so each update of the two tables took four cache misses (index
  /// slot and entry of each), 7 % of an audit's time: each update's index slots are prefetched
  /// when it is queued, its entries halfway through its wait, and it is applied at the end.
  /// Updates are applied in the order of their records, so the tables end the same.
  private var queue: InlineArray<8, QueuedProbe>
  private var queued = 0
  /// Where the next update goes: the oldest update's place once the queue is full.
  private var queueNext = 0
  /// Rejected records between an update and its application.
  static var lag: Int { 8 }

  /// How many more probes than windows are kept: probes outnumber windows (the 1 GiB benchmark day:
  /// 81 k windows, 383 k probes), and each worker, with half the capacity, must still hold its half.
  static let probesPerWindow = 4

  /// A detector keeping at most `setup.capacity` (source, window) entries.
  init(settings: DetectorSettings.PortScan, setup: inout DetectorSetup) {
    self.settings = settings
    isEnabled = settings.enabled
    let capacity = setup.capacity
    windowSeconds = UInt64(max(1, settings.windowSeconds))
    windows = HeavyHitterTable(capacity: capacity, empty: WindowState())
    probes = HeavyHitterTable(capacity: capacity * Self.probesPerWindow, empty: ProbeState())
    let placeholder = QueuedProbe(
      window: SourceWindow(source: IPAddress(ipv4: 0), window: 0), port: 0, host: 0, counts: FindingCounts())
    queue = InlineArray(repeating: placeholder)
  }

  @inline(__always)
  mutating func observe(_ record: FlowRecord, _ context: RecordContext) {
    guard record.action == .reject, let source = record.srcaddr, let port = record.dstport,
      let host = record.dstaddr
    else { return }
    let time = record.start ?? record.end ?? 0
    var counts = FindingCounts()
    counts.add(record, at: context.evidence)
    let update = QueuedProbe(
      window: SourceWindow(source: source, window: UInt32(clamping: time / windowSeconds)), port: port,
      host: UInt32(truncatingIfNeeded: host.tableHash >> 32), counts: counts)
    windows.prefetchSlot(update.window)
    probes.prefetchSlot(update.probe)
    let position = queueNext
    queueNext = (position &+ 1) & (Self.lag &- 1)
    guard queued == Self.lag else {
      queue[position] = update
      queued &+= 1
      return
    }
    let due = queue[position]
    queue[position] = update
    // The update queued half the lag ago: its index slots have arrived, so its entries can be fetched.
    let halfway = queue[(position &+ Self.lag / 2) & (Self.lag &- 1)]
    windows.prefetch(halfway.window)
    probes.prefetch(halfway.probe)
    apply(due)
  }

  /// Counts one rejected record's update in both tables.
  @inline(__always)
  private mutating func apply(_ update: QueuedProbe) {
    windows.update(update.window) { state in
      state.ports.insert(update.port)
      state.counts.merge(update.counts)
    }
    probes.update(update.probe) { state in
      state.hosts.insert(update.host)
      state.counts.merge(update.counts)
    }
  }

  /// Applies the queued updates, oldest first.
  mutating func settle() {
    let first = queued == Self.lag ? queueNext : 0
    for k in 0..<queued { apply(queue[(first &+ k) & (Self.lag &- 1)]) }
    queued = 0
    queueNext = 0
  }

  /// The detector with every update applied: itself when none is queued (the aggregator settles
  /// before it reads), otherwise a copy, which copies the tables.
  var settled: PortScanDetector {
    guard queued > 0 else { return self }
    var copy = self
    copy.settle()
    return copy
  }

  /// The (source, window) table, the queued updates included.
  var windowTable: HeavyHitterTable<SourceWindow, WindowState> { settled.windows }
  /// The (source, window, port) table, the queued updates included.
  var probeTable: HeavyHitterTable<PortProbe, ProbeState> { settled.probes }

  /// Adds what another detector saw, keeping up to `capacity` entries per table from now on.
  /// The other's queued updates are applied after its tables (below the capacity the order of
  /// updates changes nothing).
  mutating func merge(_ other: PortScanDetector, interfaceMap: [Int32]) {
    settle()
    windows.merge(other.windows)
    probes.merge(other.probes)
    let first = other.queued == Self.lag ? other.queueNext : 0
    for k in 0..<other.queued { apply(other.queue[(first &+ k) & (Self.lag &- 1)]) }
  }

  /// The tables that went past their capacity, as the report states them.
  var approximations: [AuditReport.Approximation] {
    let detector = settled
    return [detector.windows.approximation("port_scan_windows"), detector.probes.approximation("port_scan_probes")]
      .compactMap { $0 }
  }

  /// (Without the queued updates: a handover waits for at most ``lag`` more records.)
  func holdsMoreThanShare(ofWorkers workers: Int) -> Bool {
    windows.holdsMoreThanShare(ofWorkers: workers) || probes.holdsMoreThanShare(ofWorkers: workers)
  }

  /// One finding per source (port scans) or per source and port (sweeps), over the windows that
  /// crossed the threshold. The distinct count reported is that of all those windows together: a
  /// single sketch, so an estimate past 32 is not inflated by taking the largest of many estimates.
  func collect(into collector: inout FindingCollector, _ context: FindingContext) {
    let detector = settled
    let windows = detector.windows
    let probes = detector.probes
    struct Flagged<Distinct: DistinctCounting> {
      var counts = FindingCounts()
      var distinct = Distinct()
      var windows = 0
      var error: UInt64 = 0
      mutating func add(_ counts: FindingCounts, _ distinct: Distinct, error: UInt64) {
        self.counts.merge(counts)
        self.distinct.merge(distinct)
        windows += 1
        self.error &+= error
      }
      var windowText: String { Quantity.counted(windows, "window") }
      var distinctText: String { (distinct.isExact ? "" : "about ") + Quantity.count(distinct.count) }
    }
    var scans: [IPAddress: Flagged<SmallDistinctSet<UInt16>>] = [:]
    for entry in windows.allEntries where entry.value.ports.count >= settings.minPorts {
      scans[entry.key.source, default: Flagged()].add(entry.value.counts, entry.value.ports, error: entry.error)
    }
    for (source, scan) in scans {
      collector.offer(rule: Self.rule, severity: settings.severity, records: scan.counts.records) {
        var details: [String: FindingDetail] = [
          "distinct_ports": FindingDetail(scan.distinct.count), "windows": FindingDetail(scan.windows),
        ]
        if !scan.distinct.isExact { details["distinct_ports_estimated"] = true }
        return context.finding(
          rule: Self.rule, severity: settings.severity, interface: -1, source: source.description, port: nil,
          protocol: nil, action: .reject, counts: scan.counts, recordsError: scan.error,
          message:
            "\(source) was rejected on \(scan.distinctText) distinct \(Quantity.noun(scan.distinct.count, "port")) in \(scan.windowText) of "
            + "\(settings.windowSeconds) s, each with at least \(settings.minPorts)",
          remedy:
            "Likely a scan. Rejected traffic did not get in; check that nothing from this source was accepted, and block it in a network ACL or AWS WAF if it persists.",
          details: details)
      }
    }
    struct SweepKey: Hashable {
      var source: IPAddress
      var port: UInt16
    }
    var sweeps: [SweepKey: Flagged<SmallDistinctSet<UInt32>>] = [:]
    for entry in probes.allEntries where entry.value.hosts.count >= settings.minHosts {
      let key = SweepKey(source: entry.key.window.source, port: entry.key.port)
      sweeps[key, default: Flagged()].add(entry.value.counts, entry.value.hosts, error: entry.error)
    }
    for (key, sweep) in sweeps {
      collector.offer(rule: Self.rule, severity: settings.severity, records: sweep.counts.records) {
        var details: [String: FindingDetail] = [
          "distinct_hosts": FindingDetail(sweep.distinct.count), "windows": FindingDetail(sweep.windows),
        ]
        if !sweep.distinct.isExact { details["distinct_hosts_estimated"] = true }
        return context.finding(
          rule: Self.rule, severity: settings.severity, interface: -1, source: key.source.description,
          port: Int(key.port), protocol: nil, action: .reject, counts: sweep.counts, recordsError: sweep.error,
          message:
            "\(key.source) was rejected on port \(key.port) of \(sweep.distinctText) distinct \(Quantity.noun(sweep.distinct.count, "host")) in "
            + "\(sweep.windowText) of \(settings.windowSeconds) s, each with at least \(settings.minHosts)",
          remedy:
            "Likely a sweep for one service. Check that no host accepted it, and block the source if it persists.",
          details: details)
      }
    }
  }
}

extension PortScanDetector {
  func writeState(to writer: inout StateWriter) {
    let detector = settled
    detector.windows.write(to: &writer)
    detector.probes.write(to: &writer)
  }

  mutating func readState(from reader: inout StateReader) throws(StateError) {
    settle()
    windows = try HeavyHitterTable(from: &reader, empty: WindowState(), expectedCapacity: windows.capacity)
    probes = try HeavyHitterTable(from: &reader, empty: ProbeState(), expectedCapacity: probes.capacity)
  }
}
