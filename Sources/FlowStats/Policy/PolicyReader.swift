import Yams

/// Reads the typed values of a policy's YAML node tree (mappings with their allowed keys, lists,
/// strings, numbers, severities), each error naming the file, the line and the key path. Other
/// files extend it with the sections: networks (``PolicyReader/networks(_:_:)``), rules, and each
/// detector's settings (``DetectorPolicySection``).
struct PolicyReader {
  let file: String
  /// Resolved networks by name (after ``networks(_:)``).
  var resolved: [String: AddressSet] = [:]
  var networkNames: [String] = []

  init(file: String) { self.file = file }

  // MARK: Errors

  func error(_ node: Node?, _ path: PolicyKeyPath?, _ message: String) -> PolicyError {
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
  func fields(_ node: Node, _ path: PolicyKeyPath, allowed: [String]) throws(PolicyError) -> PolicyFields {
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
    return PolicyFields(node: node, path: path, entries: entries)
  }

  func require(_ fields: PolicyFields, _ name: String) throws(PolicyError) -> Node {
    guard let value = fields[name] else {
      throw error(fields.node, fields.path.key(name), "required key '\(name)' is missing")
    }
    return value
  }

  func list(_ node: Node, _ path: PolicyKeyPath, of what: String) throws(PolicyError) -> [Node] {
    guard case .sequence(let sequence) = node else {
      throw error(node, path, "expected a list of \(what) (such as [a, b]), found \(kind(node))")
    }
    return Array(sequence)
  }

  /// A scalar's text (any scalar but null: a name may be `yes` or `42`).
  func string(_ node: Node, _ path: PolicyKeyPath, _ what: String = "a string") throws(PolicyError) -> String {
    guard case .scalar(let scalar) = node, !isNull(node) else {
      throw error(node, path, "expected \(what), found \(kind(node))")
    }
    return scalar.string
  }

  func nonEmptyString(_ node: Node, _ path: PolicyKeyPath, _ what: String) throws(PolicyError) -> String {
    let text = try string(node, path, what)
    guard !text.trimmingASCIISpaces.isEmpty else { throw error(node, path, "expected \(what), found an empty string") }
    return text
  }

  func integer(_ node: Node, _ path: PolicyKeyPath) throws(PolicyError) -> Int {
    guard node.tag.description == Tag.Name.int.rawValue, let value = node.int else {
      throw error(node, path, "expected a whole number, found \(kind(node))")
    }
    return value
  }

  func positiveInteger(_ node: Node, _ path: PolicyKeyPath) throws(PolicyError) -> Int {
    let value = try integer(node, path)
    guard value > 0 else { throw error(node, path, "must be greater than zero, found \(value)") }
    return value
  }

  func number(_ node: Node, _ path: PolicyKeyPath) throws(PolicyError) -> Double {
    let tag = node.tag.description
    guard tag == Tag.Name.int.rawValue || tag == Tag.Name.float.rawValue,
      let value = tag == Tag.Name.int.rawValue ? node.int.map(Double.init) : node.float, value.isFinite
    else {
      throw error(node, path, "expected a number, found \(kind(node))")
    }
    return value
  }

  func bool(_ node: Node, _ path: PolicyKeyPath) throws(PolicyError) -> Bool {
    guard node.tag.description == Tag.Name.bool.rawValue, let value = node.bool else {
      throw error(node, path, "expected true or false, found \(kind(node))")
    }
    return value
  }

  func severity(_ node: Node, _ path: PolicyKeyPath) throws(PolicyError) -> Severity {
    let text = try string(node, path, "a severity")
    guard let severity = Severity(name: text) else {
      throw error(node, path, "unknown severity '\(text)'; expected info, low, medium, high or critical")
    }
    return severity
  }
}
