import Yams

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

// MARK: - The document

extension PolicyReader {
  static let topKeys = ["version", "networks", "rules", "detectors"]

  mutating func policy(_ root: Node) throws(PolicyError) -> Policy {
    guard case .mapping = root else {
      throw error(
        root, nil, "the policy must be a mapping with keys \(Self.topKeys.joined(separator: ", ")), found \(kind(root))"
      )
    }
    let top = try fields(root, PolicyKeyPath(), allowed: Self.topKeys)
    var policy = Policy()

    let versionPath = PolicyKeyPath().key("version")
    let versionNode = try require(top, "version")
    guard versionNode.tag.description == Tag.Name.int.rawValue, let version = versionNode.int else {
      throw error(versionNode, versionPath, "expected the format version 1, found \(kind(versionNode))")
    }
    guard version == 1 else {
      throw error(versionNode, versionPath, "unsupported policy version \(version); this flowlens reads version 1")
    }
    policy.version = version

    if let node = top["networks"], !isNull(node) {
      policy.networks = try networks(node, PolicyKeyPath().key("networks"))
    }
    if let node = top["rules"], !isNull(node) { policy.rules = try rules(node, PolicyKeyPath().key("rules")) }
    if let node = top["detectors"], !isNull(node) {
      policy.detectors = try detectors(node, PolicyKeyPath().key("detectors"))
    }
    return policy
  }
}
