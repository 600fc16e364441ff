/// A source seen using a rule, and how many accepted records it sent: an address, or a prefix
/// when the rule's sources were aggregated (``SuggestedRule/observedSourcesAggregated``).
public struct ObservedSource: Sendable, Codable, Hashable {
  /// The address, or the prefix (`198.51.0.0/16`) when aggregated.
  public var address: String
  /// Accepted records from it (exact).
  public var records: UInt64
}
