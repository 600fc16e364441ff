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

// MARK: - YAML syntax errors

extension PolicyError {
  /// The error of a document Yams could not read, located in `yaml`.
  init(yamlError: YamlError, yaml: String, file: String) {
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
      let line = offset.map { offset in
        1 + yaml.utf8.prefix(offset).reduce(0) { $0 + ($1 == UInt8(ascii: "\n") ? 1 : 0) }
      }
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
          message:
            "duplicate key \(keys) (first at line \(context.mark.line)); each key may appear only once in a mapping")
      }
    default:
      self.init(file: file, message: "cannot read YAML: \(yamlError)")
    }
  }
}
