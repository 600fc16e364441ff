import Yams

/// Network resolution: the `networks` section, and the address lists (CIDRs and network names)
/// that rules and detectors give.
extension PolicyReader {
  // MARK: Addresses

  /// Whether `text` is written as an address (digits first, or a ':' or '/') rather than a name.
  static func looksLikeAddress(_ text: String) -> Bool {
    guard let first = text.unicodeScalars.first else { return false }
    return ("0"..."9").contains(first) || text.contains(":") || text.contains("/")
  }

  /// Network names: a letter, then letters, digits, '-', '_' or '.'; `subnet-` is kept for subnet ids.
  static func isValidNetworkName(_ name: String) -> Bool {
    guard let first = name.unicodeScalars.first, first.properties.isAlphabetic, first.isASCII else { return false }
    return name.unicodeScalars.allSatisfy {
      $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0))
    }
  }

  func addressEntry(_ node: Node, _ path: PolicyKeyPath) throws(PolicyError) -> PolicyAddressEntry {
    let text = try nonEmptyString(node, path, "a network name, CIDR or address").trimmingASCIISpaces
    if Self.looksLikeAddress(text) {
      guard let cidr = CIDR(text) else {
        throw error(node, path, "'\(text)' is not a valid CIDR or IP address (such as 10.0.0.0/16 or 2001:db8::/32)")
      }
      // `10.0.0.1/8` is most likely a typo for a /32 or for 10.0.0.0/8; reading it either way
      // silently could open or close a rule wider than meant, so the writer chooses.
      guard CIDR(text, strict: true) != nil else {
        throw error(
          node, path,
          "'\(text)' has host bits set beyond its /\(cidr.prefixLength) prefix; did you mean \(cidr)? "
            + "(write the network address, or the address alone for one host)")
      }
      return .prefix(cidr)
    }
    return .network(name: text, node: node, path: path)
  }

  /// The prefixes of a list of network names and CIDRs, in order, with `texts` as written.
  func addresses(_ node: Node, _ path: PolicyKeyPath) throws(PolicyError) -> (set: AddressSet, texts: [String]) {
    var prefixes: [CIDR] = []
    var texts: [String] = []
    for (i, item) in try list(node, path, of: "network names or CIDRs").enumerated() {
      let itemPath = path.index(i)
      switch try addressEntry(item, itemPath) {
      case .prefix(let cidr): prefixes.append(cidr)
      case .network(let name, let node, let path): prefixes += try network(named: name, node, path).prefixes
      }
      texts.append(try string(item, itemPath).trimmingASCIISpaces)
    }
    return (AddressSet(prefixes), texts)
  }

  func network(named name: String, _ node: Node, _ path: PolicyKeyPath) throws(PolicyError) -> AddressSet {
    guard let set = resolved[name] else { throw unknownNetwork(name, node, path) }
    return set
  }

  func unknownNetwork(_ name: String, _ node: Node, _ path: PolicyKeyPath) -> PolicyError {
    let known =
      networkNames.isEmpty ? "no networks are defined" : "defined networks: \(networkNames.joined(separator: ", "))"
    return error(node, path, "unknown network '\(name)' (\(known))")
  }

  // MARK: Networks

  mutating func networks(_ node: Node, _ path: PolicyKeyPath) throws(PolicyError) -> [NamedNetwork] {
    guard case .mapping(let mapping) = node else {
      throw error(node, path, "expected a mapping of network names to lists of CIDRs, found \(kind(node))")
    }
    var definitions: [NetworkDefinition] = []
    for (key, value) in mapping {
      let name = try string(key, path, "a network name")
      let networkPath = path.key(name)
      guard Self.isValidNetworkName(name) else {
        throw error(
          key, networkPath,
          "bad network name '\(name)'; names start with a letter and hold letters, digits, '-', '_' or '.'")
      }
      guard !name.hasPrefix("subnet-") else {
        throw error(key, networkPath, "network names may not start with 'subnet-', which marks subnet ids")
      }
      var entries: [PolicyAddressEntry] = []
      for (i, item) in try list(value, networkPath, of: "CIDRs or network names").enumerated() {
        entries.append(try addressEntry(item, networkPath.index(i)))
      }
      definitions.append(NetworkDefinition(name: name, key: key, path: networkPath, entries: entries))
    }
    networkNames = definitions.map(\.name)

    var table = NetworkTable(definitions: definitions)
    for i in definitions.indices {
      _ = try table.resolve(i, chain: [], reader: self)
    }
    resolved = table.resolved.mapValues { AddressSet($0) }
    var networks: [NamedNetwork] = []
    for definition in definitions {
      networks.append(NamedNetwork(name: definition.name, addresses: resolved[definition.name] ?? .empty))
    }
    return networks
  }
}
