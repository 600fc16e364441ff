import FlowLogParser

/// `port-scan`: one source REJECTed on at least `min_ports` distinct destination ports, or on at
/// least `min_hosts` distinct hosts of one port, within one window. Windows are aligned to the Unix
/// epoch, so results do not depend on the order records arrive in.
///
/// Distinctness comes from the keys themselves: a (source, window, port) entry is a distinct port,
/// a (source, window, port, host) entry a distinct host. Memory grows with distinct probes, never
/// with records, and nothing is allocated per source.
struct PortScanDetector: Sendable {
  struct SourceWindow: CounterTableKey {
    var source: IPAddress
    var window: UInt32
    @inline(__always) var tableHash: UInt64 { (source.tableHash ^ UInt64(window)) &* 0x9E37_79B9_7F4A_7C15 }
  }
  struct PortProbe: CounterTableKey {
    var window: SourceWindow
    var port: UInt16
    @inline(__always) var tableHash: UInt64 { (window.tableHash ^ UInt64(port)) &* 0xFF51_AFD7_ED55_8CCD }
  }
  struct HostProbe: CounterTableKey {
    var probe: PortProbe
    var host: IPAddress
    @inline(__always) var tableHash: UInt64 { (probe.tableHash ^ host.tableHash) &* 0xC4CE_B9FE_1A85_EC53 }
  }
  /// Distinct ports and the counts of one source in one window.
  struct WindowState: Sendable {
    var ports = 0
    var counts = FindingCounts()
  }
  /// Distinct hosts and the counts of one source on one port in one window.
  struct ProbeState: Sendable {
    var hosts = 0
    var counts = FindingCounts()
  }

  let settings: DetectorSettings.PortScan
  private let windowSeconds: UInt64
  private(set) var windows = FlatTable<SourceWindow, WindowState>(empty: WindowState())
  private(set) var probes = FlatTable<PortProbe, ProbeState>(empty: ProbeState())
  private(set) var hosts = FlatTable<HostProbe, Bool>(empty: true)

  init(settings: DetectorSettings.PortScan) {
    self.settings = settings
    windowSeconds = UInt64(max(1, settings.windowSeconds))
  }

  @inline(__always)
  mutating func observe(_ record: FlowRecord, evidence: EvidencePosition) {
    guard record.action == .reject, let source = record.srcaddr, let port = record.dstport,
      let host = record.dstaddr
    else { return }
    let time = record.start ?? record.end ?? 0
    let window = SourceWindow(source: source, window: UInt32(clamping: time / windowSeconds))
    let probe = PortProbe(window: window, port: port)
    let newHost = hosts.upsert(HostProbe(probe: probe, host: host)) { _ in }
    let newPort = probes.upsert(probe) { state in
      if newHost { state.hosts += 1 }
      state.counts.add(record, at: evidence)
    }
    windows.update(window) { state in
      if newPort { state.ports += 1 }
      state.counts.add(record, at: evidence)
    }
  }

  /// Adds what another detector saw. Distinct counts grow only by keys that are new here.
  mutating func merge(_ other: PortScanDetector) {
    for (probe, state) in other.probes.entries {
      let newPort = probes.upsert(probe) { $0.counts.merge(state.counts) }
      if newPort { windows.update(probe.window) { $0.ports += 1 } }
    }
    for (hostProbe, _) in other.hosts.entries where hosts.upsert(hostProbe, { _ in }) {
      probes.update(hostProbe.probe) { $0.hosts += 1 }
    }
    for (window, state) in other.windows.entries {
      windows.update(window) { $0.counts.merge(state.counts) }
    }
  }

  func findings(_ context: FindingContext) -> [Finding] {
    // Port scans: per source, over the windows that crossed the threshold.
    var scans: [IPAddress: (counts: FindingCounts, maxPorts: Int, windows: Int)] = [:]
    for (window, state) in windows.entries where state.ports >= settings.minPorts {
      var entry = scans[window.source] ?? (FindingCounts(), 0, 0)
      entry.counts.merge(state.counts)
      entry.maxPorts = max(entry.maxPorts, state.ports)
      entry.windows += 1
      scans[window.source] = entry
    }
    var result = scans.map { source, entry in
      context.finding(
        rule: "port-scan", severity: settings.severity, interface: -1, source: source.description, port: nil,
        protocol: nil, action: .reject, counts: entry.counts,
        message:
          "\(source) was rejected on \(entry.maxPorts) distinct ports within \(settings.windowSeconds) s "
          + "(\(entry.windows) \(entry.windows == 1 ? "window" : "windows"))",
        remedy: "Likely a scan. Rejected traffic did not get in; check that nothing from this source was accepted, and block it in a network ACL or AWS WAF if it persists.",
        details: ["distinct_ports": String(entry.maxPorts), "windows": String(entry.windows)])
    }
    // Sweeps: per (source, port), over the windows that crossed the threshold.
    struct SweepKey: Hashable {
      var source: IPAddress
      var port: UInt16
    }
    var sweeps: [SweepKey: (counts: FindingCounts, maxHosts: Int)] = [:]
    for (probe, state) in probes.entries where state.hosts >= settings.minHosts {
      let key = SweepKey(source: probe.window.source, port: probe.port)
      var entry = sweeps[key] ?? (FindingCounts(), 0)
      entry.counts.merge(state.counts)
      entry.maxHosts = max(entry.maxHosts, state.hosts)
      sweeps[key] = entry
    }
    result += sweeps.map { key, entry in
      context.finding(
        rule: "port-scan", severity: settings.severity, interface: -1, source: key.source.description,
        port: Int(key.port), protocol: nil, action: .reject, counts: entry.counts,
        message: "\(key.source) was rejected on port \(key.port) of \(entry.maxHosts) distinct hosts within \(settings.windowSeconds) s",
        remedy: "Likely a sweep for one service. Check that no host accepted it, and block the source if it persists.",
        details: ["distinct_hosts": String(entry.maxHosts)])
    }
    return result
  }
}
