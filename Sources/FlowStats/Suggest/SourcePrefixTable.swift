import FlowLogParser

/// The sources of one security group rule with their accepted traffic: per address up to
/// `capacity` distinct sources; past it per prefix, coarser step by step (IPv4 /24, /16, /8, /0;
/// IPv6 /64, /48, /32, /16, /0) until at most `capacity` prefixes remain.
///
/// Unlike a heavy-hitter list, nothing is estimated: every prefix's counts are exact, and the
/// step reached depends only on the set of sources — it is the first step at which the sources
/// fall in at most `capacity` prefixes. A part of the input holds a subset of the sources, so it
/// never goes past that step, and merging steps both parts to the coarser of the two, adds, and
/// steps on while over the capacity. So the table, and everything `suggest` derives from it, is
/// the same for any split of the input and any `--jobs`; and any proposal built from the prefixes
/// covers every source seen.
public struct SourcePrefixTable: Sendable {
  /// IPv4 prefix length per step.
  static let ipv4Lengths = [32, 24, 16, 8, 0]
  /// IPv6 prefix length per step.
  static let ipv6Lengths = [128, 64, 48, 32, 16, 0]
  /// The last step: at most one IPv4 and one IPv6 prefix, which any capacity (≥ 2) holds.
  static let lastStep = max(ipv4Lengths.count, ipv6Lengths.count) - 1

  /// The most keys kept before stepping to coarser prefixes.
  public let capacity: Int
  /// The step: 0 while every key is an address.
  public private(set) var step = 0
  private var table = CounterTable<IPAddress>()

  /// An empty table that keeps up to `capacity` (at least 2) keys.
  public init(capacity: Int) {
    self.capacity = max(2, capacity)
  }

  /// The IPv4 prefix length keys have at `step`.
  public static func ipv4Length(atStep step: Int) -> Int { ipv4Lengths[min(step, ipv4Lengths.count - 1)] }
  /// The IPv6 prefix length keys have at `step`.
  public static func ipv6Length(atStep step: Int) -> Int { ipv6Lengths[min(step, ipv6Lengths.count - 1)] }

  /// The IPv4 prefix length of the keys (32: addresses).
  public var ipv4PrefixLength: Int { Self.ipv4Length(atStep: step) }
  /// The IPv6 prefix length of the keys (128: addresses).
  public var ipv6PrefixLength: Int { Self.ipv6Length(atStep: step) }
  /// Whether the keys are prefixes rather than addresses: more distinct sources than the capacity.
  public var isAggregated: Bool { step > 0 }
  /// The number of keys.
  public var count: Int { table.count }

  @inline(__always)
  private static func key(_ address: IPAddress, step: Int) -> IPAddress {
    step == 0 ? address : address.masked(toPrefix: address.isIPv6 ? ipv6Length(atStep: step) : ipv4Length(atStep: step))
  }

  /// Counts one accepted record from `source`.
  @inline(__always)
  public mutating func add(_ source: IPAddress, packets: UInt64, bytes: UInt64) {
    table.add(Self.key(source, step: step), action: .accept, packets: packets, bytes: bytes)
    if table.count > capacity { coarsen(to: step + 1) }
  }

  /// Adds what another table counted.
  public mutating func merge(_ other: SourcePrefixTable) {
    if other.step > step { coarsen(to: other.step) }
    for (key, counters) in other.table.counters { table.add(Self.key(key, step: step), counters) }
    if table.count > capacity { coarsen(to: step + 1) }
  }

  /// Re-keys the table at `target` or, while it still holds more than the capacity, a later step.
  private mutating func coarsen(to target: Int) {
    var next = target
    while true {
      var coarser = CounterTable<IPAddress>()
      for (key, counters) in table.counters { coarser.add(Self.key(key, step: next), counters) }
      table = coarser
      step = next
      if table.count <= capacity || next >= Self.lastStep { return }
      next += 1
    }
  }

  /// Every key as a prefix (a /32 or /128 while ``isAggregated`` is false) with its counters,
  /// most records first, then by prefix.
  public var entries: [(prefix: CIDR, counters: TrafficCounters)] {
    table.counters.map { entry in
      (
        CIDR(address: entry.key, prefixLength: entry.key.isIPv6 ? ipv6PrefixLength : ipv4PrefixLength),
        entry.counters
      )
    }.sorted {
      $0.counters.records != $1.counters.records
        ? $0.counters.records > $1.counters.records : $0.prefix.address < $1.prefix.address
    }
  }

  /// Whether the table holds more than one worker's share of its capacity when `workers` read in
  /// parallel (as ``HeavyHitterTable/holdsMoreThanShare(ofWorkers:)``).
  public func holdsMoreThanShare(ofWorkers workers: Int) -> Bool {
    workers > 1 && table.count >= max(min(capacity, 4_096), capacity / (2 * workers))
  }
}
