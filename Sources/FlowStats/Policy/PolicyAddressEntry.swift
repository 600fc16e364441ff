import Yams

/// An entry of an address list: a literal prefix or the name of a network.
enum PolicyAddressEntry {
  case prefix(CIDR)
  case network(name: String, node: Node, path: PolicyKeyPath)
}
