/// A source address seen using a rule, and how many accepted records it sent.
public struct ObservedSource: Sendable, Codable, Hashable {
  /// The address.
  public var address: String
  /// Accepted records from it (a lower bound when the rule's sources are approximate).
  public var records: UInt64
}
