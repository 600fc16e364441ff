import FlowLogParser

/// `port-scan`: one source REJECTed on at least `min_ports` distinct destination ports, or on at
/// least `min_hosts` distinct hosts of one port, within one window. Windows are aligned to the Unix
/// epoch, so results do not depend on the order records arrive in.
///
/// Distinctness is kept as sets of (source, window, port) and (source, window, port, host) keys:
/// memory grows with distinct probes, never with records, and no per-source array is allocated.
struct PortScanDetector: Sendable {
  struct SourceWindow: Hashable, Sendable {
    var source: IPAddress
    var window: UInt32
  }
  struct PortProbe: Hashable, Sendable {
    var window: SourceWindow
    var port: UInt16
  }
  struct HostProbe: Hashable, Sendable {
    var probe: PortProbe
    var host: IPAddress
  }
  struct WindowState: Sendable {
    var ports = 0
    var counts = FindingCounts()
  }

  let settings: DetectorSettings.PortScan
  private(set) var seenPorts: Set<PortProbe> = []
  private(set) var seenHosts: Set<HostProbe> = []
  private(set) var windows: [SourceWindow: WindowState] = [:]
  private(set) var hostsPerPort: [PortProbe: Int] = [:]
  private(set) var sweepCounts: [PortProbe: FindingCounts] = [:]

  init(settings: DetectorSettings.PortScan) {
    self.settings = settings
  }

  @inline(__always)
  mutating func observe(_ record: FlowRecord, evidence: EvidencePosition) {
    guard record.action == .reject, let source = record.srcaddr, let port = record.dstport,
      let host = record.dstaddr
    else { return }
    let time = record.start ?? record.end ?? 0
    let window = SourceWindow(source: source, window: UInt32(clamping: time / UInt64(max(1, settings.windowSeconds))))
    let probe = PortProbe(window: window, port: port)
    var state = windows[window] ?? WindowState()
    if seenPorts.insert(probe).inserted { state.ports += 1 }
    state.counts.add(record, at: evidence)
    windows[window] = state
    if seenHosts.insert(HostProbe(probe: probe, host: host)).inserted { hostsPerPort[probe, default: 0] += 1 }
    sweepCounts[probe, default: FindingCounts()].add(record, at: evidence)
  }

  mutating func merge(_ other: PortScanDetector) {
    for probe in other.seenPorts where seenPorts.insert(probe).inserted {
      windows[probe.window, default: WindowState()].ports += 1
    }
    for (window, state) in other.windows { windows[window, default: WindowState()].counts.merge(state.counts) }
    for host in other.seenHosts where seenHosts.insert(host).inserted { hostsPerPort[host.probe, default: 0] += 1 }
    for (probe, counts) in other.sweepCounts { sweepCounts[probe, default: FindingCounts()].merge(counts) }
  }

  func findings(_ context: FindingContext) -> [Finding] {
    // Port scans: per source, over the windows that crossed the threshold.
    var scans: [IPAddress: (counts: FindingCounts, maxPorts: Int, windows: Int)] = [:]
    for (window, state) in windows where state.ports >= settings.minPorts {
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
    for (probe, hosts) in hostsPerPort where hosts >= settings.minHosts {
      let key = SweepKey(source: probe.window.source, port: probe.port)
      var entry = sweeps[key] ?? (FindingCounts(), 0)
      entry.counts.merge(sweepCounts[probe] ?? FindingCounts())
      entry.maxHosts = max(entry.maxHosts, hosts)
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
