import FlowLogParser

/// `nacl-return-blocked`: an ACCEPTed flow whose reply — the reverse 5-tuple on the same interface —
/// is REJECTed within the window. Security groups are stateful and let replies out; a stateless
/// network ACL without an outbound rule for the ephemeral range drops them.
///
/// Order-independent: accepted flows and rejected replies are collected separately, keyed by a
/// 64-bit fingerprint of the accepted direction, and matched when the findings are made.
/// Memory grows with distinct accepted flows (16 bytes each), not with records.
struct NACLReturnDetector: Sendable {
  struct Interval: Sendable, Hashable {
    var start: UInt32 = .max
    var end: UInt32 = 0
    mutating func add(start s: UInt64?, end e: UInt64?) {
      start = min(start, UInt32(clamping: s ?? e ?? 0))
      end = max(end, UInt32(clamping: e ?? s ?? 0))
    }
    mutating func merge(_ other: Interval) {
      start = min(start, other.start)
      end = max(end, other.end)
    }
    func overlaps(_ other: Interval, slack: UInt32) -> Bool {
      UInt64(start) <= UInt64(other.end) + UInt64(slack) && UInt64(other.start) <= UInt64(end) + UInt64(slack)
    }
  }

  /// A rejected reply, keyed by the fingerprint of the flow it answers.
  struct Reply: Sendable, Hashable {
    var interface: Int32
    var peer: IPAddress  // the accepted flow's source: where the reply was going
    var servicePort: UInt16
    var proto: UInt8
    var interval = Interval()
    var counts = FindingCounts()
  }

  let settings: DetectorSettings.NACLReturn
  private(set) var accepted: [UInt64: Interval] = [:]
  private(set) var rejected: [UInt64: Reply] = [:]
  /// Fingerprints use a hash of the interface's bytes (not its interned number), so that they
  /// agree across workers.
  init(settings: DetectorSettings.NACLReturn) {
    self.settings = settings
  }

  @inline(__always)
  mutating func observe(_ record: FlowRecord, interface: Int32, interfaceHash: UInt64, evidence: EvidencePosition) {
    guard let action = record.action, let src = record.srcaddr, let dst = record.dstaddr,
      let sport = record.srcport, let dport = record.dstport, let proto = record.protocolNumber
    else { return }
    if action == .accept {
      let key = Self.fingerprint(interfaceHash, src, dst, sport, dport, proto)
      accepted[key, default: Interval()].add(start: record.start, end: record.end)
    } else {
      // The reply reversed is the accepted flow's direction.
      let key = Self.fingerprint(interfaceHash, dst, src, dport, sport, proto)
      var reply = rejected[key] ?? Reply(interface: interface, peer: dst, servicePort: sport, proto: proto)
      reply.interval.add(start: record.start, end: record.end)
      reply.counts.add(record, at: evidence)
      rejected[key] = reply
    }
  }

  mutating func merge(_ other: NACLReturnDetector, interfaceMap: [Int32]) {
    for (key, interval) in other.accepted { accepted[key, default: Interval()].merge(interval) }
    for (key, reply) in other.rejected {
      if var mine = rejected[key] {
        mine.interval.merge(reply.interval)
        mine.counts.merge(reply.counts)
        rejected[key] = mine
      } else {
        var moved = reply
        moved.interface = reply.interface >= 0 ? interfaceMap[Int(reply.interface)] : -1
        rejected[key] = moved
      }
    }
  }

  func findings(_ context: FindingContext) -> [Finding] {
    struct Group: Hashable {
      var interface: Int32
      var peer: IPAddress
      var port: UInt16
      var proto: UInt8
    }
    var groups: [Group: FindingCounts] = [:]
    let slack = UInt32(clamping: settings.windowSeconds)
    for (key, reply) in rejected {
      guard let flow = accepted[key], flow.overlaps(reply.interval, slack: slack) else { continue }
      groups[Group(interface: reply.interface, peer: reply.peer, port: reply.servicePort, proto: reply.proto), default: FindingCounts()]
        .merge(reply.counts)
    }
    return groups.map { group, counts in
      context.finding(
        rule: "nacl-return-blocked", severity: settings.severity, interface: group.interface,
        source: group.peer.description, port: Int(group.port), protocol: Int(group.proto), action: .reject,
        counts: counts,
        message:
          "traffic from \(group.peer) to port \(group.port) was accepted, but \(counts.records) "
          + "\(counts.records == 1 ? "reply was" : "replies were") rejected on the way back",
        remedy:
          "Network ACLs are stateless: add an outbound rule for the reply traffic (usually the ephemeral ports "
          + "1024-65535) to the subnet's network ACL.")
    }
  }

  @inline(__always)
  static func fingerprint(
    _ interface: UInt64, _ a: IPAddress, _ b: IPAddress, _ pa: UInt16, _ pb: UInt16, _ proto: UInt8
  ) -> UInt64 {
    var h = interface
    @inline(__always) func mix(_ v: UInt64) {
      h = (h ^ v) &* 0x9E37_79B9_7F4A_7C15
      h ^= h >> 31
    }
    mix(a.high)
    mix(a.low ^ (a.isIPv6 ? 1 << 40 : 0))
    mix(b.high)
    mix(b.low ^ (b.isIPv6 ? 1 << 40 : 0))
    mix(UInt64(pa) << 24 | UInt64(pb) << 8 | UInt64(proto))
    return h
  }
}
