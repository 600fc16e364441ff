import FlowLogParser

/// `nacl-return-blocked`: an ACCEPTed flow whose reply — the reverse 5-tuple on the same interface —
/// is REJECTed in the same window. Security groups are stateful and let replies out; a stateless
/// network ACL without a rule for the ephemeral range drops them.
///
/// The window, exactly: time is cut into windows of `window_seconds` aligned to the Unix epoch (as
/// for `port_scan`), and a record is in each window its [start, end] touches. A rejected reply is
/// matched when an accepted request of its flow is in one of the reply's windows. So a request and
/// a reply that overlap in time always match, matched records are less than `window_seconds` apart,
/// and a request and a reply on either side of a window boundary do not match. Each rejected record
/// is matched on its own: only the replies in a request's windows are counted. A record that touches
/// more than ``maximumWindowsPerRecord`` windows (a `window_seconds` far below the aggregation
/// interval, or a crafted time range) is in its first and last half of them only.
///
/// Order-independent and bounded: accepted requests go into a fixed-size Bloom filter keyed by
/// (interface, 5-tuple, window), one key per window they are in; rejected replies go into a table
/// keyed by the request they answer and the windows they touch. They are matched when the findings
/// are made. A request is a flow whose source port is not below its destination port (a client's
/// ephemeral port to a service port, or ICMP's 0 and 0), a reply the other way round, so replies
/// never fill the filter. The filter's false-positive rate (a rejected reply matched to a request
/// that never was) is reported with each finding; sized from the input, it stays below 0.01 %. The
/// rejected replies are exact up to a capacity and heavy hitters beyond it.
struct NACLReturnDetector: AuditDetector {
  static let rule = "nacl-return-blocked"
  static var ruleIDs: [String] { [rule] }
  static var policySection: KeyPath<Policy, DetectorSettings.NACLReturn> { \.detectors.naclReturn }

  /// A rejected reply's table key: the flow it answers and the windows it touches.
  struct ReplyKey: CounterTableKey {
    var fingerprint: UInt64
    var firstWindow: UInt32
    var lastWindow: UInt32
    @inline(__always) var tableHash: UInt64 {
      groupHash(fingerprint, UInt64(firstWindow) << 32 | UInt64(lastWindow))
    }
  }

  /// Rejected replies of one flow in the same windows.
  struct Reply: HeavyHitterValue, Hashable {
    var interface: Int32
    var peer: IPAddress  // the accepted flow's source: where the reply was going
    var servicePort: UInt16
    var proto: UInt8
    var counts = FindingCounts()

    var records: UInt64 { counts.records }
    mutating func merge(_ other: Reply) {
      if counts.records == 0 {
        self = other
      } else {
        counts.merge(other.counts)
      }
    }
  }

  /// The most windows a record is in: a record that touches more is in its first and last half of
  /// this many (only when `window_seconds` is far below the aggregation interval, or for a crafted
  /// time range), which bounds the work a record can cause.
  static let maximumWindowsPerRecord: UInt32 = 64

  /// Calls `body` with each window a record touching windows `first...last` is in.
  @inline(__always)
  static func forEachWindow(_ first: UInt32, _ last: UInt32, _ body: (UInt32) -> Void) {
    if last - first < maximumWindowsPerRecord {
      for w in first...last { body(w) }
    } else {
      let half = maximumWindowsPerRecord / 2
      for w in first..<(first + half) { body(w) }
      for w in (last - half + 1)...last { body(w) }
    }
  }

  let settings: DetectorSettings.NACLReturn
  let isEnabled: Bool
  private let window: UInt32
  let requests: SplitBlockBloomFilter
  /// Request keys not yet in the filter. Inserting them in batches lets the processor overlap the
  /// cache misses of many inserts, instead of taking one per record in the middle of decoding.
  private(set) var pending: [UInt64] = []
  private static let batchSize = 4096
  private(set) var rejected: HeavyHitterTable<ReplyKey, Reply>
  /// Whether every request key is also kept exactly (for a partial result, `--partial`): a merge
  /// of partials then puts them into a filter sized for all their inputs, the very filter one run
  /// over those inputs fills, where filters sized for each part could not be combined exactly.
  private let keepsRequestKeys: Bool
  /// The request keys kept (sorted and without repeats up to `distinctRequestKeys`).
  private(set) var requestKeys: [UInt64] = []
  private var distinctRequestKeys = 0

  /// Fingerprints use a hash of the interface's bytes (not its interned number), so that they
  /// agree across workers; `filterBytes` must be the same for aggregators that are merged.
  init(settings: DetectorSettings.NACLReturn, setup: inout DetectorSetup) {
    self.settings = settings
    isEnabled = settings.enabled
    rejected = HeavyHitterTable(
      capacity: setup.capacity, empty: Reply(interface: -1, peer: IPAddress(ipv4: 0), servicePort: 0, proto: 0))
    window = UInt32(clamping: max(1, settings.windowSeconds))
    requests = setup.requestFilter
    keepsRequestKeys = setup.keepsRequestKeys
  }

  /// Bytes for the filter to keep false positives below 0.01 % (24 bits per request) for an input
  /// of `inputBytes`; flow log text has at least ~100 bytes per record, half of them requests.
  static func filterBytes(forInputBytes inputBytes: UInt64?) -> Int {
    guard let inputBytes, inputBytes > 0 else { return 16 << 20 }
    let requests = inputBytes / 100 / 2
    return Int(min(max(requests * 3, 64 << 10), 256 << 20))
  }

  @inline(__always)
  private static func bucketed(_ fingerprint: UInt64, _ bucket: UInt32) -> UInt64 {
    var h = (fingerprint ^ UInt64(bucket)) &* 0xFF51_AFD7_ED55_8CCD
    h ^= h >> 33
    return h &* 0xC4CE_B9FE_1A85_EC53
  }

  @inline(__always)
  mutating func observe(_ record: FlowRecord, _ context: RecordContext) {
    guard let action = record.action, let src = record.srcaddr, let dst = record.dstaddr,
      let sport = record.srcport, let dport = record.dstport, let proto = record.protocolNumber
    else { return }
    let start = UInt32(clamping: record.start ?? record.end ?? 0)
    let end = UInt32(clamping: record.end ?? record.start ?? 0)
    let firstWindow = min(start, end) / window
    let lastWindow = max(start, end) / window
    if action == .accept {
      guard sport >= dport else { return }  // a reply: never the request side
      let key = Self.fingerprint(context.interfaceHash, src, dst, sport, dport, proto)
      if pending.isEmpty { pending.reserveCapacity(Self.batchSize + Int(Self.maximumWindowsPerRecord)) }
      Self.forEachWindow(firstWindow, lastWindow) { pending.append(Self.bucketed(key, $0)) }
      if pending.count >= Self.batchSize { flush() }
    } else {
      guard sport <= dport else { return }  // not shaped like a reply
      // The reply reversed is the request's direction.
      let key = ReplyKey(
        fingerprint: Self.fingerprint(context.interfaceHash, dst, src, dport, sport, proto), firstWindow: firstWindow,
        lastWindow: lastWindow)
      rejected.update(key) { reply in
        if reply.counts.records == 0 {
          reply = Reply(interface: context.interface, peer: dst, servicePort: sport, proto: proto)
        }
        reply.counts.add(record, at: context.evidence)
      }
    }
  }

  /// Puts the pending request keys into the filter.
  mutating func flush() {
    requests.insert(contentsOf: pending)
    if keepsRequestKeys { keep(pending) }
    pending.removeAll(keepingCapacity: true)
  }

  /// Adds keys to the exact request keys, dropping repeats whenever the keys doubled.
  private mutating func keep(_ keys: [UInt64]) {
    requestKeys.append(contentsOf: keys)
    if requestKeys.count > 2 * distinctRequestKeys + 65_536 { compactRequestKeys() }
  }

  /// Sorts the exact request keys and drops repeats.
  private mutating func compactRequestKeys() {
    requestKeys.sort()
    var kept = 0
    for key in requestKeys where kept == 0 || requestKeys[kept - 1] != key {
      requestKeys[kept] = key
      kept += 1
    }
    requestKeys.removeLast(requestKeys.count - kept)
    distinctRequestKeys = kept
  }

  mutating func merge(_ other: NACLReturnDetector, interfaceMap: [Int32]) {
    flush()
    requests.formUnion(other.requests)
    requests.insert(contentsOf: other.pending)
    if keepsRequestKeys {
      keep(other.requestKeys)
      keep(other.pending)
    }
    rejected.merge(other.rejected) { _, reply in
      reply.interface = translated(reply.interface, interfaceMap)
    }
  }

  var approximations: [AuditReport.Approximation] {
    [rejected.approximation("nacl_return_replies")].compactMap { $0 }
  }

  func holdsMoreThanShare(ofWorkers workers: Int) -> Bool { rejected.holdsMoreThanShare(ofWorkers: workers) }

  func collect(into collector: inout FindingCollector, _ context: FindingContext) {
    struct Group: CounterTableKey {
      var interface: Int32
      var peer: IPAddress
      var port: UInt16
      var proto: UInt8
      var tableHash: UInt64 {
        groupHash(peer.tableHash, UInt64(UInt32(bitPattern: interface)) << 32 | UInt64(port) << 8 | UInt64(proto))
      }
    }
    struct Matched {
      var counts = FindingCounts()
      var error: UInt64 = 0
    }
    requests.insert(contentsOf: pending)  // the filter is shared state; inserting is idempotent
    // A flat table, not a Dictionary: a flood's hundred thousand replies hashed twice each with
    // SipHash were most of the collection's time. (The order of the offers changes nothing.)
    var groups = FlatTable<Group, Matched>(empty: Matched())
    let entries = rejected.allEntries
    for (position, entry) in entries.enumerated() {
      // The filter's blocks are as good as random: fetch a later reply's first one ahead.
      if position &+ 8 < entries.count {
        let ahead = entries[position &+ 8].key
        requests.prefetch(Self.bucketed(ahead.fingerprint, ahead.firstWindow))
      }
      let key = entry.key
      let reply = entry.value
      // A request in one of the windows the reply is in.
      var matched = false
      Self.forEachWindow(key.firstWindow, key.lastWindow) { w in
        if !matched { matched = requests.mayContain(Self.bucketed(key.fingerprint, w)) }
      }
      guard matched else { continue }
      let group = Group(interface: reply.interface, peer: reply.peer, port: reply.servicePort, proto: reply.proto)
      groups.update(group) { matched in
        matched.counts.merge(reply.counts)
        matched.error &+= entry.error
      }
    }
    let falsePositiveRate = requests.estimatedFalsePositiveRate
    for (group, entry) in groups.entries {
      let counts = entry.counts
      let identity = {
        FindingCollector.Identity(
          interfaceID: context.interface(group.interface), source: group.peer.description, port: Int(group.port),
          protocol: Int(group.proto))
      }
      collector.offer(rule: Self.rule, severity: settings.severity, records: counts.records, identity: identity) {
        context.finding(
          rule: Self.rule, severity: settings.severity, interface: group.interface,
          source: group.peer.description, port: Int(group.port), protocol: Int(group.proto), action: .reject,
          counts: counts, recordsError: entry.error,
          message:
            "traffic from \(group.peer) to port \(group.port) was accepted, but "
            + "\(Quantity.counted(counts.records, "reply", plural: "replies")) "
            + "\(counts.records == 1 ? "was" : "were") rejected on the way back",
          remedy:
            "Network ACLs are stateless: add an outbound rule for the reply traffic (usually the ephemeral ports "
            + "1024-65535) to the subnet's network ACL.",
          details: ["match_false_positive_rate": .number((falsePositiveRate * 1_000_000).rounded() / 1_000_000)])
      }
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

extension NACLReturnDetector {
  /// The exact request keys (sorted, without repeats: the first as `fixed64`, then each as its
  /// difference from the one before, a `uint`), then the rejected replies. The filter itself is not
  /// written: the merge fills one sized for all the partials' inputs from the keys.
  func writeState(to writer: inout StateWriter) {
    var detector = self
    detector.flush()
    detector.compactRequestKeys()
    let keys = detector.requestKeys
    writer.count(keys.count)
    var previous: UInt64 = 0
    for (index, key) in keys.enumerated() {
      if index == 0 { writer.fixed64(key) } else { writer.uint(key &- previous) }
      previous = key
    }
    rejected.write(to: &writer)
  }

  /// Reads the state into a detector of an aggregator made for the merged inputs: the request
  /// keys go into its filter (and are kept, for a merge that writes a partial again).
  mutating func readState(from reader: inout StateReader) throws(StateError) {
    let count = try reader.count()
    var keys: [UInt64] = []
    keys.reserveCapacity(count)
    var previous: UInt64 = 0
    for index in 0..<count {
      let at = reader.position
      let key = index == 0 ? try reader.fixed64() : previous &+ (try reader.uint())
      guard index == 0 || key > previous else { throw reader.error(at: at, "request keys out of order") }
      keys.append(key)
      previous = key
    }
    requests.insert(contentsOf: keys)
    requestKeys = keys
    distinctRequestKeys = keys.count
    pending = []
    rejected = try HeavyHitterTable(
      from: &reader, empty: Reply(interface: -1, peer: IPAddress(ipv4: 0), servicePort: 0, proto: 0),
      expectedCapacity: rejected.capacity)
  }
}
