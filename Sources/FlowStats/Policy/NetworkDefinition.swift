import Yams

/// A network of the policy as written, before its names are resolved.
struct NetworkDefinition {
  var name: String
  var key: Node
  var path: PolicyKeyPath
  var entries: [PolicyAddressEntry]
}
