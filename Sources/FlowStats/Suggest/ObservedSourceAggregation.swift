/// Says that a rule's observed sources are prefixes, not addresses: more distinct sources used
/// the rule than `--source-capacity`, so they were counted per prefix (see ``SourcePrefixTable``).
/// The counts stay exact, and the prefixes cover every source seen.
public struct ObservedSourceAggregation: Sendable, Codable, Hashable {
  /// The IPv4 prefix length the sources were counted at.
  public var ipv4PrefixLength: Int
  /// The IPv6 prefix length the sources were counted at.
  public var ipv6PrefixLength: Int
  /// `--source-capacity`: more distinct sources than this used the rule.
  public var sourceCapacity: Int

  enum CodingKeys: String, CodingKey {
    case ipv4PrefixLength = "ipv4_prefix_length"
    case ipv6PrefixLength = "ipv6_prefix_length"
    case sourceCapacity = "more_distinct_sources_than"
  }
}
