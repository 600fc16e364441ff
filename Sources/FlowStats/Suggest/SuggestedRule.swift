/// One source of one inbound rule, what the traffic says about it, and what to put instead.
public struct SuggestedRule: Sendable, Codable, Hashable {
  /// `tcp`, `udp`, `icmp`, `icmpv6`, `-1` (all), or a protocol number, as AWS prints it.
  public var ipProtocol: String
  /// `FromPort`; nil for all protocols.
  public var fromPort: Int?
  /// `ToPort`; nil for all protocols.
  public var toPort: Int?
  /// The CIDR block, prefix list id or security group id.
  public var source: String
  /// `cidr`, `prefix_list` or `security_group`.
  public var sourceKind: String
  /// The verdict.
  public var status: RuleStatus
  /// Accepted inbound records counted for the rule.
  public var records: UInt64
  /// Their packets.
  public var packets: UInt64
  /// Their bytes.
  public var bytes: UInt64
  /// The sources seen, heaviest first.
  public var observedSources: [ObservedSource]
  /// Nil when ``observedSources`` are addresses; the prefix lengths when more distinct sources
  /// than `--source-capacity` used the rule and they were counted per prefix (counts stay exact).
  public var observedSourcesAggregated: ObservedSourceAggregation?
  /// The sources to allow instead: empty for `unused` (remove), the rule's own source for `used`.
  public var proposed: [String]
  /// The `--policy` network the proposal is, when it is one.
  public var proposedNetwork: String?
  /// Why the verdict, in a few words.
  public var reason: String

  enum CodingKeys: String, CodingKey {
    case ipProtocol = "protocol"
    case fromPort = "from_port"
    case toPort = "to_port"
    case source, status, records, packets, bytes, proposed, reason
    case sourceKind = "source_kind"
    case observedSources = "observed_sources"
    case observedSourcesAggregated = "observed_sources_aggregated"
    case proposedNetwork = "proposed_network"
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(ipProtocol, forKey: .ipProtocol)
    try c.encode(fromPort, forKey: .fromPort)
    try c.encode(toPort, forKey: .toPort)
    try c.encode(source, forKey: .source)
    try c.encode(sourceKind, forKey: .sourceKind)
    try c.encode(status, forKey: .status)
    try c.encode(records, forKey: .records)
    try c.encode(packets, forKey: .packets)
    try c.encode(bytes, forKey: .bytes)
    try c.encode(observedSources, forKey: .observedSources)
    try c.encode(observedSourcesAggregated, forKey: .observedSourcesAggregated)
    try c.encode(proposed, forKey: .proposed)
    try c.encode(proposedNetwork, forKey: .proposedNetwork)
    try c.encode(reason, forKey: .reason)
  }
}
