import FlowLogParser

/// Each interface's own address, learned from its records, for telling inbound from outbound where
/// the log has no `flow-direction` (v2 to v4 formats): a record to port 22 may be SSH in from its
/// srcaddr, or the instance SSHing out from its own address, and the port alone does not say which.
///
/// The rule. AWS logs an interface's own address on one side of every record of that interface:
/// srcaddr of egress, dstaddr of ingress (its primary private IPv4, or its IPv6 address). So per
/// interface and address family, the own address is in the intersection, over the interface's
/// records, of {srcaddr, dstaddr}; a record with `flow-direction` adds only its own side (srcaddr
/// of egress, dstaddr of ingress). Then, for a source address on that interface:
/// - the intersection is that one address: it is the interface's own, the traffic is outbound;
/// - the intersection does not hold it: it is a peer, the traffic is inbound;
/// - otherwise the direction is uncertain: the intersection still holds both sides (only one
///   flow seen, in one or both directions, with one peer), or none (an interface with several
///   addresses of the family, or one that forwards other hosts' traffic), or nothing was seen.
/// Two directions of one flow (the request to a low port and the reply from it) tell which side is
/// the client, not which side is the interface, so they settle nothing alone; a second peer does.
///
/// Set intersection is associative and commutative, and "no record yet" is its identity, so the
/// result is the same whatever the order of the records or how they were split across workers.
/// State is two candidate addresses per interface and family; learning allocates only for a new
/// interface.
struct InterfaceAddresses: Sendable {
  /// The addresses of one family that every record seen so far has on one side.
  struct Candidates: Sendable {
    /// How many of `first`, `second` are candidates; ``unseen`` before any record.
    var count: UInt8 = Candidates.unseen
    var first = IPAddress(ipv4: 0)
    var second = IPAddress(ipv4: 0)
    static let unseen: UInt8 = .max

    @inline(__always)
    func contains(_ address: IPAddress) -> Bool {
      (count >= 1 && count != Self.unseen && first == address) || (count == 2 && second == address)
    }

    /// Keeps only the candidates that are `a` or `b`.
    @inline(__always)
    mutating func intersect(_ a: IPAddress, _ b: IPAddress) {
      switch count {
      case Self.unseen:
        first = a
        second = b
        count = a == b ? 1 : 2
      case 2:
        let keepsFirst = first == a || first == b
        let keepsSecond = second == a || second == b
        if keepsFirst && keepsSecond { return }
        if keepsFirst {
          count = 1
        } else if keepsSecond {
          first = second
          count = 1
        } else {
          count = 0
        }
      case 1:
        if first != a && first != b { count = 0 }
      default:
        break  // empty stays empty
      }
    }

    mutating func merge(_ other: Candidates) {
      switch other.count {
      case Self.unseen: return
      case 0: count = 0
      case 1: intersect(other.first, other.first)
      default: intersect(other.first, other.second)
      }
    }
  }

  struct Entry: Sendable {
    var v4 = Candidates()
    var v6 = Candidates()
  }

  /// Indexed by interned interface number.
  private var entries: [Entry] = []

  /// What a record's direction says about where `source` belongs.
  enum Role {
    /// The interface's own address: traffic from it is outbound.
    case own
    /// Not the interface's address: traffic from it is inbound.
    case peer
    /// The records do not tell.
    case unknown
  }

  /// Learns from one record of `interface`: `egress`/`ingress` from its `flow-direction` (both
  /// false when the field is absent).
  @inline(__always)
  mutating func observe(interface: Int32, source: IPAddress, destination: IPAddress, egress: Bool, ingress: Bool) {
    guard interface >= 0, source.isIPv6 == destination.isIPv6 else { return }
    let index = Int(interface)
    if index >= entries.count { entries.append(contentsOf: repeatElement(Entry(), count: index + 1 - entries.count)) }
    let a = ingress ? destination : source
    let b = egress ? source : destination
    if source.isIPv6 { entries[index].v6.intersect(a, b) } else { entries[index].v4.intersect(a, b) }
  }

  /// Adds what another worker learned; `interfaceMap` translates its interface numbers to ours.
  mutating func merge(_ other: InterfaceAddresses, interfaceMap: [Int32]) {
    for (index, entry) in other.entries.enumerated() {
      let mine = Int(translated(Int32(index), interfaceMap))
      guard mine >= 0 else { continue }
      if mine >= entries.count { entries.append(contentsOf: repeatElement(Entry(), count: mine + 1 - entries.count)) }
      entries[mine].v4.merge(entry.v4)
      entries[mine].v6.merge(entry.v6)
    }
  }

  /// Whether `address` is `interface`'s own address, a peer's, or unknown (see the type's rule).
  func role(of address: IPAddress, on interface: Int32) -> Role {
    guard interface >= 0, Int(interface) < entries.count else { return .unknown }
    let candidates = address.isIPv6 ? entries[Int(interface)].v6 : entries[Int(interface)].v4
    switch candidates.count {
    case 1: return candidates.first == address ? .own : .peer
    case 2: return candidates.contains(address) ? .unknown : .peer
    default: return .unknown
    }
  }
}

extension InterfaceAddresses {
  /// The candidates of each interface, by interface number.
  func write(to writer: inout StateWriter) {
    writer.count(entries.count)
    for entry in entries {
      for candidates in [entry.v4, entry.v6] {
        writer.byte(candidates.count)
        writer.value(candidates.first)
        writer.value(candidates.second)
      }
    }
  }

  /// Reads candidates written by ``write(to:)``, for at most `reader.interfaceCount` interfaces.
  init(from reader: inout StateReader) throws(StateError) {
    self.init()
    let at = reader.position
    let n = try reader.count(minimumBytes: 6)
    guard n <= reader.interfaceCount else {
      throw reader.error(at: at, "addresses of \(n) interfaces, but \(reader.interfaceCount) interfaces")
    }
    for _ in 0..<n {
      var entry = Entry()
      for family in 0..<2 {
        var candidates = Candidates()
        let countAt = reader.position
        candidates.count = try reader.byte()
        guard candidates.count <= 2 || candidates.count == Candidates.unseen else {
          throw reader.error(at: countAt, "address candidates \(candidates.count) is not 0, 1, 2 or 255")
        }
        candidates.first = try reader.value()
        candidates.second = try reader.value()
        if family == 0 { entry.v4 = candidates } else { entry.v6 = candidates }
      }
      entries.append(entry)
    }
  }
}
