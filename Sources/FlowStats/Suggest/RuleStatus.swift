/// What the traffic says about one source of a security group rule.
public enum RuleStatus: String, Sendable, Codable, Hashable {
  /// Accepted traffic used the rule, and nothing narrower covers it: keep.
  case used
  /// No accepted traffic matched the rule: remove it.
  case unused
  /// Traffic used the rule from a small part of its range: replace it with ``SuggestedRule/proposed``.
  case widerThanUsed = "wider-than-used"
  /// No record of any interface in the group was read: the logs say nothing about the rule.
  case notLogged = "not-logged"
}
