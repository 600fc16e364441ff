import FlowLogParser

/// What `flowlens suggest` says: for every security group of the inventory, each inbound rule's
/// verdict from the accepted inbound traffic, and the narrower rules to put instead.
public struct SuggestReport: Sendable, Codable, Hashable {
  /// The evidence window.
  public var evidence: SuggestEvidence
  /// Accepted records into inventory interfaces.
  public var inboundAcceptedRecords: UInt64
  /// Of those, replies to the interfaces' own connections (counted for no rule).
  public var repliesNotCounted: UInt64
  /// Of those, records no rule of the interface's groups allows.
  public var matchedNoRule: UInt64
  /// `--aggregate-v4`.
  public var aggregateV4: Int
  /// `--aggregate-v6`.
  public var aggregateV6: Int
  /// The groups, by id.
  public var securityGroups: [SuggestedGroup]
  /// What the run's filter let through; nil without one.
  public var filter: FilterSummary?

  enum CodingKeys: String, CodingKey {
    case evidence, filter
    case inboundAcceptedRecords = "inbound_accepted_records"
    case repliesNotCounted = "replies_not_counted"
    case matchedNoRule = "matched_no_rule"
    case aggregateV4 = "aggregate_v4"
    case aggregateV6 = "aggregate_v6"
    case securityGroups = "security_groups"
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(evidence, forKey: .evidence)
    try c.encode(inboundAcceptedRecords, forKey: .inboundAcceptedRecords)
    try c.encode(repliesNotCounted, forKey: .repliesNotCounted)
    try c.encode(matchedNoRule, forKey: .matchedNoRule)
    try c.encode(aggregateV4, forKey: .aggregateV4)
    try c.encode(aggregateV6, forKey: .aggregateV6)
    try c.encode(securityGroups, forKey: .securityGroups)
    try c.encodeIfPresent(filter, forKey: .filter)
  }

  /// The report of an aggregator's counts under `options`.
  public init(aggregate: SecurityGroupUsageAggregator, options: SuggestOptions) {
    let inventory = aggregate.rules.inventory
    let hasRecords = aggregate.firstStart != .max
    let seconds = hasRecords && aggregate.lastEnd >= aggregate.firstStart ? aggregate.lastEnd - aggregate.firstStart : 0
    evidence = SuggestEvidence(
      records: aggregate.records, firstStart: hasRecords ? aggregate.firstStart : nil,
      lastEnd: hasRecords ? aggregate.lastEnd : nil, seconds: seconds, shorterThanAWeek: seconds < SuggestEvidence.week)
    inboundAcceptedRecords = aggregate.inboundAccepted
    repliesNotCounted = aggregate.replies
    matchedNoRule = aggregate.unmatched
    aggregateV4 = options.aggregateV4
    aggregateV6 = options.aggregateV6
    var groups: [SuggestedGroup] = inventory.securityGroups.map { group in
      let members = inventory.interfacePositions(inGroup: group.id)
      return SuggestedGroup(
        groupID: group.id, groupName: group.name, vpcID: group.vpcID, ownerID: group.ownerID,
        region: group.vpcID.flatMap { inventory.region(ofVPC: $0) },
        interfaces: members.map { inventory.interfaces[$0].id },
        rules: [])
    }
    for (index, slot) in aggregate.rules.slots.enumerated() {
      let members = inventory.interfacePositions(inGroup: inventory.securityGroups[slot.group].id)
      let logged = members.contains { aggregate.interfaceLogged[$0] }
      groups[slot.group].rules.append(
        Self.verdict(slot: slot, usage: aggregate.usage[index], logged: logged, options: options))
    }
    securityGroups = groups
  }

  /// The verdict on one rule source, with a word on ICMP types where it matters.
  static func verdict(
    slot: SecurityGroupRuleSet.Slot, usage: SecurityGroupUsageAggregator.RuleUsage, logged: Bool,
    options: SuggestOptions
  ) -> SuggestedRule {
    var rule = sourceVerdict(slot: slot, usage: usage, logged: logged, options: options)
    if SecurityGroupRuleSet.isUncertain(slot.rule), rule.status != .notLogged {
      rule.reason +=
        "; flow logs carry no ICMP type or code: an ICMP record counts for it only when no other rule allows it"
    }
    return rule
  }

  /// The verdict on one rule source from its traffic.
  static func sourceVerdict(
    slot: SecurityGroupRuleSet.Slot, usage: SecurityGroupUsageAggregator.RuleUsage, logged: Bool,
    options: SuggestOptions
  ) -> SuggestedRule {
    let entries = usage.sources.entries
    let aggregated = usage.sources.isAggregated
    var rule = SuggestedRule(
      ipProtocol: slot.rule.ipProtocol, fromPort: slot.rule.fromPort, toPort: slot.rule.toPort,
      source: slot.source.description, sourceKind: slot.source.kind, status: .used, records: usage.counters.records,
      packets: usage.counters.packets, bytes: usage.counters.bytes,
      observedSources: entries.map {
        ObservedSource(
          address: aggregated ? $0.prefix.description : $0.prefix.address.description, records: $0.counters.records)
      },
      observedSourcesAggregated: aggregated
        ? ObservedSourceAggregation(
          ipv4PrefixLength: usage.sources.ipv4PrefixLength, ipv6PrefixLength: usage.sources.ipv6PrefixLength,
          sourceCapacity: usage.sources.capacity) : nil,
      proposed: [slot.source.description], proposedNetwork: nil, reason: "")
    guard logged else {
      rule.status = .notLogged
      rule.reason = "no record of an interface in this group was read"
      return rule
    }
    guard usage.counters.records > 0 else {
      rule.status = .unused
      rule.proposed = []
      rule.reason = "no accepted inbound traffic matched"
      return rule
    }
    guard case .cidr(let cidr) = slot.source else {
      rule.reason = "used; a \(slot.source.kind == "prefix_list" ? "prefix list" : "group reference") is kept as it is"
      return rule
    }
    // Every observed prefix holds only sources seen (exact, whatever the split): a cover of them
    // covers all the traffic the rule let in.
    let sources = entries.map(\.prefix)
    if let network = Self.namedNetwork(covering: sources, within: cidr, networks: options.networks) {
      rule.status = .widerThanUsed
      rule.proposed = network.prefixes.map(\.description)
      rule.proposedNetwork = network.name
      rule.reason = "every source is in the network \(network.name)"
      return rule
    }
    let length = cidr.address.isIPv6 ? options.aggregateV6 : options.aggregateV4
    var prefixes: [CIDR] = []
    for source in sources.sorted(by: { $0.address < $1.address }) {
      let prefix = CIDR(address: source.address, prefixLength: min(length, source.prefixLength))
      if !prefixes.contains(prefix) { prefixes.append(prefix) }
    }
    let widest = prefixes.map(\.prefixLength).min() ?? length
    guard widest > cidr.prefixLength else {
      rule.reason =
        aggregated
        ? "used by more than \(usage.sources.capacity) sources, counted per /\(widest): no narrower than the rule"
        : "used; no narrower than the /\(length) sources are aggregated to"
      return rule
    }
    guard prefixes.count <= options.maximumProposedPrefixes else {
      rule.reason = "used from \(prefixes.count) /\(widest) prefixes (more than \(options.maximumProposedPrefixes))"
      return rule
    }
    rule.status = .widerThanUsed
    rule.proposed = prefixes.map(\.description)
    rule.reason = "sources in \(prefixes.count) /\(widest) \(prefixes.count == 1 ? "prefix" : "prefixes")"
    return rule
  }

  /// The narrowest named network whose prefixes of the rule's family hold every source prefix and
  /// are narrower than the rule's block (by total addresses, then name).
  static func namedNetwork(covering sources: [CIDR], within rule: CIDR, networks: [NamedNetwork])
    -> (name: String, prefixes: [CIDR])?
  {
    var best: (name: String, prefixes: [CIDR], size: Double)?
    for network in networks {
      let prefixes = network.addresses.prefixes.filter { $0.address.isIPv6 == rule.address.isIPv6 }
      guard !prefixes.isEmpty,
        prefixes.allSatisfy({ rule.contains($0.address) && $0.prefixLength >= rule.prefixLength }),
        prefixes != [rule],
        sources.allSatisfy({ source in
          prefixes.contains { $0.prefixLength <= source.prefixLength && $0.contains(source.address) }
        })
      else { continue }
      let size = prefixes.reduce(0.0) { $0 + Double.pow2(rule.address.bitWidth - $1.prefixLength) }
      if best == nil || size < best!.size || (size == best!.size && network.name < best!.name) {
        best = (network.name, prefixes, size)
      }
    }
    return best.map { ($0.name, $0.prefixes) }
  }
}

extension Double {
  fileprivate static func pow2(_ exponent: Int) -> Double {
    var value = 1.0
    for _ in 0..<exponent { value *= 2 }
    return value
  }
}
