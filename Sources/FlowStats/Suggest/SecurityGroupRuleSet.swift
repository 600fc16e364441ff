import FlowLogParser

/// The inbound rules of an inventory's security groups, flattened for matching records: one
/// ``Slot`` per (group, permission, source), and per interface the slots of all its groups, most
/// specific first. Built once per run and shared (read-only) by the workers.
public final class SecurityGroupRuleSet: Sendable {
  /// One source of one inbound permission of one group.
  public struct Slot: Sendable {
    /// Position of the group in the inventory's ``Inventory/securityGroups``.
    public let group: Int
    /// Position of the permission in the group's ``SecurityGroup/inbound``.
    public let permission: Int
    /// The permission (protocol and ports).
    public let rule: SecurityGroupPermission
    /// The source.
    public let source: SecurityGroupSource
    /// For a group-reference source: the addresses of the interfaces in the referenced group.
    let memberAddresses: Set<IPAddress>
  }

  /// The inventory the rules come from.
  public let inventory: Inventory
  /// Every slot, in group, permission, source order.
  public let slots: [Slot]
  /// Per interface (position in the inventory), the slots of its groups, most specific first.
  let slotsOfInterface: [[Int32]]

  /// The rule set of `inventory`.
  public init(inventory: Inventory) {
    self.inventory = inventory
    var slots: [Slot] = []
    var slotsOfGroup: [String: [Int32]] = [:]
    for (g, group) in inventory.securityGroups.enumerated() {
      for (p, permission) in group.inbound.enumerated() {
        for source in permission.sources {
          var members = Set<IPAddress>()
          if case .securityGroup(let referenced) = source {
            for position in inventory.interfacePositions(inGroup: referenced) {
              members.formUnion(inventory.interfaces[position].addresses)
            }
          }
          slotsOfGroup[group.id, default: []].append(Int32(slots.count))
          slots.append(Slot(group: g, permission: p, rule: permission, source: source, memberAddresses: members))
        }
      }
    }
    self.slots = slots
    slotsOfInterface = inventory.interfaces.map { interface in
      let candidates = interface.securityGroupIDs.flatMap { slotsOfGroup[$0] ?? [] }
      return candidates.sorted { Self.isMoreSpecific(slots[Int($0)], than: slots[Int($1)], $0, $1) }
    }
  }

  /// The order in which a record is matched against rules: a record counts for the most specific
  /// rule that allows it (a group reference, then the longest prefix, then the narrowest port
  /// range, prefix lists last since their members are unknown), so that traffic a narrow rule
  /// allows does not make a wider one look used; rules limited to ICMP types come after all
  /// others (``isUncertain(_:)``).
  private static func isMoreSpecific(_ a: Slot, than b: Slot, _ ia: Int32, _ ib: Int32) -> Bool {
    let ua = isUncertain(a.rule)
    let ub = isUncertain(b.rule)
    if ua != ub { return ub }
    let ra = rank(a.source)
    let rb = rank(b.source)
    if ra != rb { return ra < rb }
    let wa = portWidth(a.rule)
    let wb = portWidth(b.rule)
    if wa != wb { return wa < wb }
    return ia < ib
  }

  /// Whether a rule may or may not have allowed a record it matches: one limited to some ICMP types,
  /// since flow logs carry no ICMP type or code (both ports are 0). Such rules are matched after
  /// every other, so that a rule that certainly allowed the record gets it, and a rule that is
  /// needed never looks unused because of a narrower one that perhaps did not apply.
  static func isUncertain(_ rule: SecurityGroupPermission) -> Bool {
    guard rule.protocolNumber == 1 || rule.protocolNumber == 58, let type = rule.fromPort else { return false }
    return type >= 0
  }

  /// Lower is more specific: group references, then prefixes by length (longest first), then
  /// prefix lists.
  private static func rank(_ source: SecurityGroupSource) -> Int {
    switch source {
    case .securityGroup: 0
    case .cidr(let cidr): 1 + (cidr.address.bitWidth - cidr.prefixLength)
    case .prefixList: 1_000
    }
  }

  private static func portWidth(_ rule: SecurityGroupPermission) -> Int {
    if rule.ipProtocol == "-1" { return 1 << 20 }
    if rule.protocolNumber == 1 || rule.protocolNumber == 58 { return 1 << 16 }
    guard let from = rule.fromPort, let to = rule.toPort, from >= 0 else { return 1 << 17 }
    return to - from
  }

  /// The first of `interface`'s slots (most specific first) that allows traffic from `source`
  /// with protocol `proto` to `port`; -1 when none does.
  @inline(__always)
  func matchingSlot(interface: Int, source: IPAddress, protocol proto: UInt8, port: UInt16) -> Int {
    for index in slotsOfInterface[interface] {
      guard slots[Int(index)].rule.covers(protocol: proto, port: port) else { continue }
      switch slots[Int(index)].source {
      case .cidr(let cidr): if cidr.contains(source) { return Int(index) }
      case .securityGroup: if slots[Int(index)].memberAddresses.contains(source) { return Int(index) }
      case .prefixList: return Int(index)
      }
    }
    return -1
  }
}
