import Yams

/// Inbound traffic to `ports` (over `protocol`, to `destinations`) is allowed only from `allowFrom`.
public struct AllowRule: Sendable, Hashable {
  /// The rule's id, reported with each finding.
  public var id: String
  /// Destination ports covered (single ports are one-element ranges).
  public var ports: [ClosedRange<UInt16>]
  /// Protocols covered.
  public var `protocol`: ProtocolMatch
  /// Sources that may reach the ports.
  public var allowFrom: AddressSet
  /// How `allowFrom` was written (network names and CIDRs), for messages.
  public var allowFromText: [String]
  /// Destinations the rule covers; nil covers every destination.
  public var destinations: AddressSet?
  /// The severity of a violation.
  public var severity: Severity
  /// A remediation hint reported with violations; nil uses a generic one.
  public var remedy: String?

  public init(
    id: String, ports: [ClosedRange<UInt16>], protocol: ProtocolMatch = .any, allowFrom: AddressSet,
    allowFromText: [String], destinations: AddressSet? = nil, severity: Severity = .high, remedy: String? = nil
  ) {
    self.id = id
    self.ports = ports
    self.protocol = `protocol`
    self.allowFrom = allowFrom
    self.allowFromText = allowFromText
    self.destinations = destinations
    self.severity = severity
    self.remedy = remedy
  }

  /// Whether destination port `port` is covered.
  @inline(__always)
  public func covers(port: UInt16) -> Bool {
    for range in ports where range.contains(port) { return true }
    return false
  }
}

/// The allow-list detector's policy section: the `rules` list.
extension PolicyReader {
  static let ruleKeys = ["id", "ports", "protocol", "allow_from", "to", "severity", "remedy"]

  func rules(_ node: Node, _ path: PolicyKeyPath) throws(PolicyError) -> [AllowRule] {
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
  func ports(_ node: Node, _ path: PolicyKeyPath) throws(PolicyError) -> [ClosedRange<UInt16>] {
    if case .scalar = node, !isNull(node) { return [try portRange(node, path)] }
    let items = try list(node, path, of: "ports")
    guard !items.isEmpty else { throw error(node, path, "lists no port; give at least one port or range") }
    var ranges: [ClosedRange<UInt16>] = []
    for (i, item) in items.enumerated() { ranges.append(try portRange(item, path.index(i))) }
    return ranges
  }

  func portRange(_ node: Node, _ path: PolicyKeyPath) throws(PolicyError) -> ClosedRange<UInt16> {
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
}
