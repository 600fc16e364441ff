import Yams

/// A problem in a policy file, located by file, line and key path.
public struct PolicyError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The file the policy came from, as given to ``PolicyParser/parse(_:file:)``.
  public var file: String
  /// The 1-based line of the offending key or value, when known.
  public var line: Int?
  /// The 1-based column (in Unicode scalars) on ``line``, when known.
  public var column: Int?
  /// Where in the document: `rules[1].allow_from[0]`, `detectors.port_scan.min_ports` (list indices are
  /// 0-based; the line is the unambiguous locator).
  public var keyPath: String?
  /// What is wrong, and what would be right.
  public var message: String

  public init(file: String, line: Int? = nil, column: Int? = nil, keyPath: String? = nil, message: String) {
    self.file = file
    self.line = line
    self.column = column
    self.keyPath = keyPath
    self.message = message
  }

  /// `FILE:LINE[:COLUMN]: KEY: message`, leaving out the parts that are missing.
  public var description: String {
    var parts: [String] = []
    let position = line.map { line in column.map { "\(line):\($0)" } ?? "\(line)" }
    switch (file.isEmpty, position) {
    case (false, let position?): parts.append("\(file):\(position)")
    case (false, nil): parts.append(file)
    case (true, let position?): parts.append("line \(position)")
    case (true, nil): break
    }
    if let keyPath, !keyPath.isEmpty { parts.append(keyPath) }
    parts.append(message)
    return parts.joined(separator: ": ")
  }
}

/// Reads a policy file (YAML, format version 1) into a ``Policy``.
///
/// The document is walked as a YAML node tree rather than decoded, so that every error can name the
/// line and the key it is about. Unknown keys are errors, never ignored.
public enum PolicyParser {
  /// Parses `yaml`; `file` is only used in error messages.
  public static func parse(_ yaml: String, file: String) throws(PolicyError) -> Policy {
    let root: Node?
    do {
      root = try Yams.compose(yaml: yaml)
    } catch let error as YamlError {
      throw PolicyError(yamlError: error, yaml: yaml, file: file)
    } catch {
      throw PolicyError(file: file, message: "cannot read YAML: \(error)")
    }
    guard let root else {
      throw PolicyError(file: file, message: "the policy is empty; expected a mapping that starts with `version: 1`")
    }
    var reader = PolicyReader(file: file)
    return try reader.policy(root)
  }
}

// MARK: - YAML syntax errors

extension PolicyError {
  fileprivate init(yamlError: YamlError, yaml: String, file: String) {
    func describe(_ context: YamlError.Context?, _ problem: String) -> String {
      guard let context, !context.text.isEmpty else { return problem }
      return "\(context.text), \(problem)"
    }
    switch yamlError {
    case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
      .composer(let context, let problem, let mark, _):
      self.init(file: file, line: mark.line, message: "YAML syntax error: \(describe(context, problem))")
    case .reader(let problem, let offset, _, _):
      // The offset counts bytes of the UTF-8 input.
      let line = offset.map { offset in 1 + yaml.utf8.prefix(offset).reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) } }
      self.init(file: file, line: line, message: "YAML syntax error: \(problem)")
    case .duplicatedKeysInMapping(let duplicates, let context):
      // Yams points at the first occurrence; the reader needs the second one, and its key path.
      if let duplicate = DuplicateKeyLocator.locate(in: yaml, firstMark: context.mark) {
        self.init(
          file: file, line: duplicate.line, column: duplicate.column, keyPath: duplicate.keyPath,
          message:
            "duplicate key '\(duplicate.key)' (first at line \(duplicate.firstLine), column \(duplicate.firstColumn)); "
            + "each key may appear only once in a mapping")
      } else {
        let keys = duplicates.map { "'\($0)'" }.joined(separator: ", ")
        self.init(
          file: file, line: context.mark.line, column: context.mark.column,
          message: "duplicate key \(keys) (first at line \(context.mark.line)); each key may appear only once in a mapping")
      }
    default:
      self.init(file: file, message: "cannot read YAML: \(yamlError)")
    }
  }
}

// MARK: - The walk

/// A key path under construction: `rules[1].allow_from[0]`.
private struct KeyPath: CustomStringConvertible {
  var text = ""
  func key(_ name: String) -> KeyPath { KeyPath(text: text.isEmpty ? name : "\(text).\(name)") }
  func index(_ i: Int) -> KeyPath { KeyPath(text: "\(text)[\(i)]") }
  var description: String { text }
}

/// The keys and values of one YAML mapping, checked against the keys it may have.
private struct Fields {
  var node: Node
  var path: KeyPath
  var entries: [(name: String, key: Node, value: Node)]

  subscript(name: String) -> Node? { entries.first { $0.name == name }?.value }
}

/// An entry of an address list: a literal prefix or the name of a network.
private enum AddressEntry {
  case prefix(CIDR)
  case network(name: String, node: Node, path: KeyPath)
}

private struct NetworkDefinition {
  var name: String
  var key: Node
  var path: KeyPath
  var entries: [AddressEntry]
}

private struct PolicyReader {
  let file: String
  /// Resolved networks by name (after ``networks(_:)``).
  var resolved: [String: AddressSet] = [:]
  var networkNames: [String] = []

  init(file: String) { self.file = file }

  // MARK: Errors

  func error(_ node: Node?, _ path: KeyPath?, _ message: String) -> PolicyError {
    PolicyError(file: file, line: node?.mark?.line, keyPath: path?.text, message: message)
  }

  /// How a node reads in a type error: "a list", "a string (\"corporate\")".
  func kind(_ node: Node) -> String {
    switch node {
    case .mapping: return "a mapping"
    case .sequence: return "a list"
    case .alias: return "an alias"
    case .scalar(let scalar):
      switch node.tag.description {
      case Tag.Name.null.rawValue: return "nothing"
      case Tag.Name.bool.rawValue: return "true/false (\(scalar.string))"
      case Tag.Name.int.rawValue, Tag.Name.float.rawValue: return "a number (\(scalar.string))"
      default: return "a string (\"\(scalar.string)\")"
      }
    }
  }

  func isNull(_ node: Node) -> Bool { node.tag.description == Tag.Name.null.rawValue }

  // MARK: Typed values

  /// The keys of mapping `node`, each of which must be in `allowed`.
  func fields(_ node: Node, _ path: KeyPath, allowed: [String]) throws(PolicyError) -> Fields {
    guard case .mapping(let mapping) = node else {
      throw error(node, path, "expected a mapping with keys \(allowed.joined(separator: ", ")), found \(kind(node))")
    }
    var entries: [(name: String, key: Node, value: Node)] = []
    for (key, value) in mapping {
      guard case .scalar(let scalar) = key, !isNull(key) else {
        throw error(key, path, "keys must be plain names, found \(kind(key))")
      }
      guard allowed.contains(scalar.string) else {
        throw error(
          key, path.key(scalar.string),
          "unknown key '\(scalar.string)'; allowed keys: \(allowed.joined(separator: ", "))")
      }
      entries.append((scalar.string, key, value))
    }
    return Fields(node: node, path: path, entries: entries)
  }

  func require(_ fields: Fields, _ name: String) throws(PolicyError) -> Node {
    guard let value = fields[name] else {
      throw error(fields.node, fields.path.key(name), "required key '\(name)' is missing")
    }
    return value
  }

  func list(_ node: Node, _ path: KeyPath, of what: String) throws(PolicyError) -> [Node] {
    guard case .sequence(let sequence) = node else {
      throw error(node, path, "expected a list of \(what) (such as [a, b]), found \(kind(node))")
    }
    return Array(sequence)
  }

  /// A scalar's text (any scalar but null: a name may be `yes` or `42`).
  func string(_ node: Node, _ path: KeyPath, _ what: String = "a string") throws(PolicyError) -> String {
    guard case .scalar(let scalar) = node, !isNull(node) else {
      throw error(node, path, "expected \(what), found \(kind(node))")
    }
    return scalar.string
  }

  func nonEmptyString(_ node: Node, _ path: KeyPath, _ what: String) throws(PolicyError) -> String {
    let text = try string(node, path, what)
    guard !text.trimmingASCIISpaces.isEmpty else { throw error(node, path, "expected \(what), found an empty string") }
    return text
  }

  func integer(_ node: Node, _ path: KeyPath) throws(PolicyError) -> Int {
    guard node.tag.description == Tag.Name.int.rawValue, let value = node.int else {
      throw error(node, path, "expected a whole number, found \(kind(node))")
    }
    return value
  }

  func positiveInteger(_ node: Node, _ path: KeyPath) throws(PolicyError) -> Int {
    let value = try integer(node, path)
    guard value > 0 else { throw error(node, path, "must be greater than zero, found \(value)") }
    return value
  }

  func number(_ node: Node, _ path: KeyPath) throws(PolicyError) -> Double {
    let tag = node.tag.description
    guard tag == Tag.Name.int.rawValue || tag == Tag.Name.float.rawValue,
      let value = tag == Tag.Name.int.rawValue ? node.int.map(Double.init) : node.float, value.isFinite
    else {
      throw error(node, path, "expected a number, found \(kind(node))")
    }
    return value
  }

  func bool(_ node: Node, _ path: KeyPath) throws(PolicyError) -> Bool {
    guard node.tag.description == Tag.Name.bool.rawValue, let value = node.bool else {
      throw error(node, path, "expected true or false, found \(kind(node))")
    }
    return value
  }

  func severity(_ node: Node, _ path: KeyPath) throws(PolicyError) -> Severity {
    let text = try string(node, path, "a severity")
    guard let severity = Severity(name: text) else {
      throw error(node, path, "unknown severity '\(text)'; expected info, low, medium, high or critical")
    }
    return severity
  }

  // MARK: Addresses

  /// Whether `text` is written as an address (digits first, or a ':' or '/') rather than a name.
  static func looksLikeAddress(_ text: String) -> Bool {
    guard let first = text.unicodeScalars.first else { return false }
    return ("0"..."9").contains(first) || text.contains(":") || text.contains("/")
  }

  /// Network names: a letter, then letters, digits, '-', '_' or '.'; `subnet-` is kept for subnet ids.
  static func isValidNetworkName(_ name: String) -> Bool {
    guard let first = name.unicodeScalars.first, first.properties.isAlphabetic, first.isASCII else { return false }
    return name.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "-_.".unicodeScalars.contains($0)) }
  }

  func addressEntry(_ node: Node, _ path: KeyPath) throws(PolicyError) -> AddressEntry {
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
  func addresses(_ node: Node, _ path: KeyPath) throws(PolicyError) -> (set: AddressSet, texts: [String]) {
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

  func network(named name: String, _ node: Node, _ path: KeyPath) throws(PolicyError) -> AddressSet {
    guard let set = resolved[name] else { throw unknownNetwork(name, node, path) }
    return set
  }

  func unknownNetwork(_ name: String, _ node: Node, _ path: KeyPath) -> PolicyError {
    let known = networkNames.isEmpty ? "no networks are defined" : "defined networks: \(networkNames.joined(separator: ", "))"
    return error(node, path, "unknown network '\(name)' (\(known))")
  }

  // MARK: Document

  static let topKeys = ["version", "networks", "rules", "detectors"]

  mutating func policy(_ root: Node) throws(PolicyError) -> Policy {
    guard case .mapping = root else {
      throw error(root, nil, "the policy must be a mapping with keys \(Self.topKeys.joined(separator: ", ")), found \(kind(root))")
    }
    let top = try fields(root, KeyPath(), allowed: Self.topKeys)
    var policy = Policy()

    let versionPath = KeyPath().key("version")
    let versionNode = try require(top, "version")
    guard versionNode.tag.description == Tag.Name.int.rawValue, let version = versionNode.int else {
      throw error(versionNode, versionPath, "expected the format version 1, found \(kind(versionNode))")
    }
    guard version == 1 else {
      throw error(versionNode, versionPath, "unsupported policy version \(version); this flowlens reads version 1")
    }
    policy.version = version

    if let node = top["networks"], !isNull(node) { policy.networks = try networks(node, KeyPath().key("networks")) }
    if let node = top["rules"], !isNull(node) { policy.rules = try rules(node, KeyPath().key("rules")) }
    if let node = top["detectors"], !isNull(node) {
      policy.detectors = try detectors(node, KeyPath().key("detectors"))
    }
    return policy
  }

  // MARK: Networks

  mutating func networks(_ node: Node, _ path: KeyPath) throws(PolicyError) -> [NamedNetwork] {
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
      var entries: [AddressEntry] = []
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

  // MARK: Rules

  static let ruleKeys = ["id", "ports", "protocol", "allow_from", "to", "severity", "remedy"]

  func rules(_ node: Node, _ path: KeyPath) throws(PolicyError) -> [AllowRule] {
    var rules: [AllowRule] = []
    var firstLine: [String: Int] = [:]
    for (i, item) in try list(node, path, of: "rules").enumerated() {
      let rulePath = path.index(i)
      let fields = try fields(item, rulePath, allowed: Self.ruleKeys)

      let idNode = try require(fields, "id")
      let id = try nonEmptyString(idNode, rulePath.key("id"), "a rule id").trimmingASCIISpaces
      if let line = firstLine[id] {
        throw error(idNode, rulePath.key("id"), "duplicate rule id '\(id)' (first used on line \(line))")
      }
      firstLine[id] = idNode.mark?.line ?? 0

      let ports = try ports(try require(fields, "ports"), rulePath.key("ports"))

      var matched = ProtocolMatch.any
      if let node = fields["protocol"] {
        let text = try string(node, rulePath.key("protocol"), "a protocol").trimmingASCIISpaces
        guard let value = ProtocolMatch(name: text) else {
          throw error(
            node, rulePath.key("protocol"),
            "unknown protocol '\(text)'; expected tcp, udp, icmp, icmpv6, any or a number 0-255")
        }
        matched = value
      }

      let allowFrom = try addresses(try require(fields, "allow_from"), rulePath.key("allow_from"))

      var destinations: AddressSet?
      if let node = fields["to"] {
        let to = try addresses(node, rulePath.key("to"))
        guard !to.texts.isEmpty else {
          throw error(node, rulePath.key("to"), "lists no destination; leave `to` out to cover every destination")
        }
        destinations = to.set
      }

      var severity = Severity.high
      if let node = fields["severity"] { severity = try self.severity(node, rulePath.key("severity")) }
      var remedy: String?
      if let node = fields["remedy"] { remedy = try nonEmptyString(node, rulePath.key("remedy"), "a remedy text") }

      rules.append(
        AllowRule(
          id: id, ports: ports, protocol: matched, allowFrom: allowFrom.set, allowFromText: allowFrom.texts,
          destinations: destinations, severity: severity, remedy: remedy))
    }
    return rules
  }

  /// `22`, `"8000-8100"`, or a list of those.
  func ports(_ node: Node, _ path: KeyPath) throws(PolicyError) -> [ClosedRange<UInt16>] {
    if case .scalar = node, !isNull(node) { return [try portRange(node, path)] }
    let items = try list(node, path, of: "ports")
    guard !items.isEmpty else { throw error(node, path, "lists no port; give at least one port or range") }
    var ranges: [ClosedRange<UInt16>] = []
    for (i, item) in items.enumerated() { ranges.append(try portRange(item, path.index(i))) }
    return ranges
  }

  func portRange(_ node: Node, _ path: KeyPath) throws(PolicyError) -> ClosedRange<UInt16> {
    let expected = "a port 0-65535 or a range such as \"8000-8100\""
    guard case .scalar(let scalar) = node, !isNull(node) else {
      throw error(node, path, "expected \(expected), found \(kind(node))")
    }
    func port(_ value: Int) throws(PolicyError) -> UInt16 {
      guard let port = UInt16(exactly: value) else {
        throw error(node, path, "port \(value) is out of range 0-65535")
      }
      return port
    }
    switch node.tag.description {
    case Tag.Name.int.rawValue:
      guard let value = node.int else { throw error(node, path, "expected \(expected), found \(kind(node))") }
      let p = try port(value)
      return p...p
    case Tag.Name.str.rawValue:
      let text = scalar.string.trimmingASCIISpaces
      let parts = text.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        .map { String($0).trimmingASCIISpaces }
      var values: [Int] = []
      for part in parts {
        // Digits only (up to a length an Int holds), so "+5" or "0x16" are not read as ports.
        guard !part.isEmpty, part.count <= 18, part.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }),
          let value = Int(part)
        else {
          throw error(node, path, "'\(text)' is not \(expected)")
        }
        values.append(value)
      }
      let low = try port(values[0])
      let high = try port(values[values.count - 1])
      guard low <= high else {
        throw error(node, path, "range '\(text)' is reversed; write the lower port first (\(high)-\(low))")
      }
      return low...high
    default:
      throw error(node, path, "expected \(expected), found \(kind(node))")
    }
  }

  // MARK: Detectors

  static let detectorKeys = [
    "port_scan", "nacl_return_blocked", "nat_endpoint_candidate", "private_egress_path", "coverage_gap",
  ]

  func detectors(_ node: Node, _ path: KeyPath) throws(PolicyError) -> DetectorSettings {
    let top = try fields(node, path, allowed: Self.detectorKeys)
    var settings = DetectorSettings()

    if let node = top["port_scan"] {
      let path = path.key("port_scan")
      var scan = DetectorSettings.PortScan()
      if let fields = try detector(
        node, path, enabled: &scan.enabled, allowed: ["enabled", "min_ports", "min_hosts", "window_seconds", "severity"])
      {
        if let node = fields["min_ports"] { scan.minPorts = try positiveInteger(node, path.key("min_ports")) }
        if let node = fields["min_hosts"] { scan.minHosts = try positiveInteger(node, path.key("min_hosts")) }
        if let node = fields["window_seconds"] {
          scan.windowSeconds = try positiveInteger(node, path.key("window_seconds"))
        }
        if let node = fields["severity"] { scan.severity = try severity(node, path.key("severity")) }
      }
      settings.portScan = scan
    }

    if let node = top["nacl_return_blocked"] {
      let path = path.key("nacl_return_blocked")
      var nacl = DetectorSettings.NACLReturn()
      if let fields = try detector(node, path, enabled: &nacl.enabled, allowed: ["enabled", "window_seconds", "severity"]) {
        if let node = fields["window_seconds"] {
          nacl.windowSeconds = try positiveInteger(node, path.key("window_seconds"))
        }
        if let node = fields["severity"] { nacl.severity = try severity(node, path.key("severity")) }
      }
      settings.naclReturn = nacl
    }

    if let node = top["nat_endpoint_candidate"] {
      let path = path.key("nat_endpoint_candidate")
      var nat = DetectorSettings.NATEndpoint()
      if let fields = try detector(
        node, path, enabled: &nat.enabled,
        allowed: ["enabled", "services", "destinations", "nat_interfaces", "cost_per_gb", "severity"])
      {
        if let node = fields["services"] {
          let path = path.key("services")
          var services: Set<String> = []
          for (i, item) in try list(node, path, of: "service names").enumerated() {
            services.insert(try nonEmptyString(item, path.index(i), "a service name").trimmingASCIISpaces.uppercased())
          }
          nat.services = services
        }
        if let node = fields["destinations"] { nat.destinations = try addresses(node, path.key("destinations")).set }
        if let node = fields["nat_interfaces"] {
          let path = path.key("nat_interfaces")
          var interfaces: Set<String> = []
          for (i, item) in try list(node, path, of: "interface ids").enumerated() {
            let id = try nonEmptyString(item, path.index(i), "an interface id").trimmingASCIISpaces
            guard id.hasPrefix("eni-") else {
              throw error(
                item, path.index(i),
                "'\(id)' is not an interface id; flow logs name NAT gateways by their interface (eni-…)")
            }
            interfaces.insert(id)
          }
          nat.natInterfaces = interfaces
        }
        if let node = fields["cost_per_gb"] {
          let value = try number(node, path.key("cost_per_gb"))
          guard value >= 0 else { throw error(node, path.key("cost_per_gb"), "must not be negative, found \(value)") }
          nat.costPerGB = value
        }
        if let node = fields["severity"] { nat.severity = try severity(node, path.key("severity")) }
      }
      settings.natEndpoint = nat
    }

    if let node = top["private_egress_path"] {
      let path = path.key("private_egress_path")
      var egress = DetectorSettings.PrivateEgress()
      if let fields = try detector(node, path, enabled: &egress.enabled, allowed: ["enabled", "subnets", "severity"]) {
        if let node = fields["subnets"] {
          let path = path.key("subnets")
          var prefixes: [CIDR] = []
          for (i, item) in try list(node, path, of: "subnet ids, CIDRs or network names").enumerated() {
            let itemPath = path.index(i)
            let text = try nonEmptyString(item, itemPath, "a subnet id, CIDR or network name").trimmingASCIISpaces
            if text.hasPrefix("subnet-") {
              egress.subnetIDs.insert(text)
              continue
            }
            switch try addressEntry(item, itemPath) {
            case .prefix(let cidr): prefixes.append(cidr)
            case .network(let name, let node, let path): prefixes += try network(named: name, node, path).prefixes
            }
          }
          egress.addresses = AddressSet(prefixes)
        }
        if let node = fields["severity"] { egress.severity = try severity(node, path.key("severity")) }
      }
      settings.privateEgress = egress
    }

    if let node = top["coverage_gap"] {
      let path = path.key("coverage_gap")
      var gap = DetectorSettings.CoverageGap()
      if let fields = try detector(node, path, enabled: &gap.enabled, allowed: ["enabled", "severity"]) {
        if let node = fields["severity"] { gap.severity = try severity(node, path.key("severity")) }
      }
      settings.coverageGap = gap
    }
    return settings
  }

  /// A detector's entry: `false`/`true`, nothing (defaults), or a mapping of its settings, whose
  /// fields are returned after `enabled` is read.
  func detector(_ node: Node, _ path: KeyPath, enabled: inout Bool, allowed: [String]) throws(PolicyError) -> Fields? {
    if isNull(node) { return nil }
    if node.tag.description == Tag.Name.bool.rawValue, let value = node.bool {
      enabled = value
      return nil
    }
    guard case .mapping = node else {
      throw error(
        node, path,
        "expected true, false or a mapping with keys \(allowed.joined(separator: ", ")), found \(kind(node))")
    }
    let fields = try fields(node, path, allowed: allowed)
    if let node = fields["enabled"] { enabled = try bool(node, path.key("enabled")) }
    return fields
  }
}

/// Resolves network names to prefixes, depth first, reporting unknown names and cycles.
private struct NetworkTable {
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

extension String {
  /// The string without leading and trailing spaces and tabs.
  fileprivate var trimmingASCIISpaces: String {
    var scalars = Substring(self).unicodeScalars
    while let first = scalars.first, first == " " || first == "\t" { scalars.removeFirst() }
    while let last = scalars.last, last == " " || last == "\t" { scalars.removeLast() }
    return String(scalars)
  }
}
