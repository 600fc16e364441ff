import Yams

/// The keys and values of one YAML mapping, checked against the keys it may have.
struct PolicyFields {
  var node: Node
  var path: PolicyKeyPath
  var entries: [(name: String, key: Node, value: Node)]

  subscript(name: String) -> Node? { entries.first { $0.name == name }?.value }
}
