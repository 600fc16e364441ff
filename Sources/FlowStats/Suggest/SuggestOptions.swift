/// How `flowlens suggest` turns observed sources into proposed rules.
public struct SuggestOptions: Sendable {
  /// IPv4 sources are aggregated to prefixes of this length (`--aggregate-v4`).
  public var aggregateV4: Int
  /// IPv6 sources are aggregated to prefixes of this length (`--aggregate-v6`).
  public var aggregateV6: Int
  /// Distinct sources kept exactly per rule; past it the heaviest, and the rule says approximate.
  public var sourceCapacity: Int
  /// The named networks a proposal may use instead of prefixes, when all sources fall in one
  /// (`--policy`); empty without.
  public var networks: [NamedNetwork]
  /// More proposed prefixes than this and the rule is kept as it is: it serves many sources.
  public var maximumProposedPrefixes: Int

  /// Options with these values.
  public init(
    aggregateV4: Int = 24, aggregateV6: Int = 48, sourceCapacity: Int = 4_096, networks: [NamedNetwork] = [],
    maximumProposedPrefixes: Int = 16
  ) {
    self.aggregateV4 = aggregateV4
    self.aggregateV6 = aggregateV6
    self.sourceCapacity = sourceCapacity
    self.networks = networks
    self.maximumProposedPrefixes = maximumProposedPrefixes
  }
}
