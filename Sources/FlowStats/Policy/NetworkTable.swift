import Yams

/// Resolves network names to prefixes, depth first, reporting unknown names and cycles.
struct NetworkTable {
  let definitions: [NetworkDefinition]
  let index: [String: Int]
  var resolved: [String: [CIDR]] = [:]

  init(definitions: [NetworkDefinition]) {
    self.definitions = definitions
    var index: [String: Int] = [:]
    for (i, definition) in definitions.enumerated() where index[definition.name] == nil { index[definition.name] = i }
    self.index = index
  }

  /// The prefixes of network `i`; `chain` holds the networks being resolved that led here.
  mutating func resolve(_ i: Int, chain: [String], reader: PolicyReader) throws(PolicyError) -> [CIDR] {
    let definition = definitions[i]
    if let done = resolved[definition.name] { return done }
    let chain = chain + [definition.name]
    var prefixes: [CIDR] = []
    for entry in definition.entries {
      switch entry {
      case .prefix(let cidr):
        prefixes.append(cidr)
      case .network(let name, let node, let path):
        guard let j = index[name] else { throw reader.unknownNetwork(name, node, path) }
        if let start = chain.firstIndex(of: name) {
          let cycle = (chain[start...] + [name]).joined(separator: " -> ")
          throw reader.error(node, path, "networks refer to each other in a cycle: \(cycle)")
        }
        prefixes += try resolve(j, chain: chain, reader: reader)
      }
    }
    resolved[definition.name] = prefixes
    return prefixes
  }
}
