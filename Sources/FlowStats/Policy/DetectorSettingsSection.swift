import Yams

/// How one detector's section of `detectors` is read into ``DetectorSettings``.
struct DetectorSettingsSection {
  /// The section's key: ``DetectorPolicySection/policyKey``.
  let key: String
  /// Reads the section's node (at its key path) into the settings.
  let read: (inout DetectorSettings, Node, PolicyKeyPath, PolicyReader) throws(PolicyError) -> Void

  /// The section of the settings at `keyPath`.
  init<Section: DetectorPolicySection>(_ keyPath: WritableKeyPath<DetectorSettings, Section>) {
    key = Section.policyKey
    read = { settings, node, path, reader throws(PolicyError) in
      var section = Section()
      if let fields = try reader.detector(node, path, enabled: &section.enabled, allowed: Section.allowedKeys) {
        try section.read(fields, path, reader)
      }
      settings[keyPath: keyPath] = section
    }
  }
}

extension PolicyReader {
  /// The `detectors` mapping: each section present, read in the order of ``DetectorSettings/sections``.
  func detectors(_ node: Node, _ path: PolicyKeyPath) throws(PolicyError) -> DetectorSettings {
    let sections = DetectorSettings.sections
    let top = try fields(node, path, allowed: sections.map(\.key))
    var settings = DetectorSettings()
    for section in sections {
      if let node = top[section.key] { try section.read(&settings, node, path.key(section.key), self) }
    }
    return settings
  }

  /// A detector's entry: `false`/`true`, nothing (defaults), or a mapping of its settings, whose
  /// fields are returned after `enabled` is read.
  func detector(
    _ node: Node, _ path: PolicyKeyPath, enabled: inout Bool, allowed: [String]
  ) throws(PolicyError) -> PolicyFields? {
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
