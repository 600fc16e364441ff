import Yams

/// Finds where a duplicated YAML key appears the second time, and under which key path.
///
/// Yams refuses a mapping with a repeated key while composing, and reports only the key's name and
/// the position of its *first* occurrence, with no path. That points the reader at the line that
/// is fine. To name the duplicate, the first occurrence is renamed in a copy of the text (a marker
/// is inserted at the reported position) and the copy composed again, repeating while Yams finds
/// more duplicates; in the tree that results, the marked key's mapping holds the duplicate, and the
/// walk down to it gives the key path.
struct DuplicateKeyLocator {
  /// Where the duplicate is.
  struct Location: Equatable {
    /// `rules[0].ports`, `networks.corporate`: list indices 0-based, as in ``PolicyError/keyPath``.
    var keyPath: String
    var key: String
    var line: Int
    var column: Int
    var firstLine: Int
    var firstColumn: Int
  }

  /// The text inserted before a first occurrence; `#` makes it impossible in a key of a valid
  /// policy (it starts a comment after a space and is not a name character).
  static func marker(_ attempt: Int) -> String { "flowlens#first\(attempt)#" }

  /// Gives up after this many renamed keys (a file with more duplicates gets the plain message).
  static let maximumAttempts = 64

  /// The second occurrence of the key Yams reported at `firstMark` in `yaml`, or nil when it cannot
  /// be found (a key written as an alias, a tag or a complex key).
  static func locate(in yaml: String, firstMark: Mark) -> Location? {
    var text = yaml
    // (line, column, length) of each insertion, in the coordinates of the text it was made in.
    var insertions: [(line: Int, column: Int, length: Int)] = []
    var mark = firstMark
    var root: Node?
    for attempt in 0..<maximumAttempts {
      let marker = marker(attempt)
      guard let (edited, column) = insert(marker, in: text, at: mark) else { return nil }
      text = edited
      insertions.append((mark.line, column, marker.unicodeScalars.count))
      do {
        root = try Yams.compose(yaml: text)
        break
      } catch YamlError.duplicatedKeysInMapping(_, let context) {
        mark = context.mark
      } catch {
        return nil
      }
    }
    guard let root else { return nil }

    /// A mark of the edited text, as a (line, column) of the original.
    func original(_ mark: Mark) -> (line: Int, column: Int) {
      var column = mark.column
      for insertion in insertions.reversed() where insertion.line == mark.line && column > insertion.column {
        column -= insertion.length
      }
      return (mark.line, column)
    }

    let first = marker(0)
    guard let found = find(first, in: root, path: "") else { return nil }
    let firstPosition = original(found.first.mark ?? firstMark)
    let secondPosition = original(found.second.mark ?? firstMark)
    return Location(
      keyPath: found.path, key: found.name, line: secondPosition.line, column: secondPosition.column,
      firstLine: firstPosition.line, firstColumn: firstPosition.column)
  }

  /// `name` without the markers inserted before it.
  static func unmarked(_ name: String) -> String {
    var name = Substring(name)
    while name.hasPrefix("flowlens#first"), let end = name.dropFirst("flowlens#first".count).firstIndex(of: "#") {
      name = name[name.index(after: end)...]
    }
    return String(name)
  }

  /// The mapping entry whose key starts with `marker`, and the next key of that mapping with the
  /// same (unmarked) name.
  private static func find(_ marker: String, in node: Node, path: String)
    -> (path: String, name: String, first: Node, second: Node)?
  {
    switch node {
    case .mapping(let mapping):
      let keys = mapping.map(\.key)
      for (i, key) in keys.enumerated() {
        guard let text = key.string else { continue }
        if text.hasPrefix(marker) {
          let name = unmarked(text)
          guard let second = keys[(i + 1)...].first(where: { $0.string.map(unmarked) == name }) else { return nil }
          return (path.isEmpty ? name : "\(path).\(name)", name, key, second)
        }
      }
      for (key, value) in mapping {
        let name = key.string.map(unmarked) ?? "?"
        if let found = find(marker, in: value, path: path.isEmpty ? name : "\(path).\(name)") { return found }
      }
      return nil
    case .sequence(let sequence):
      for (i, item) in sequence.enumerated() {
        if let found = find(marker, in: item, path: "\(path)[\(i)]") { return found }
      }
      return nil
    case .scalar, .alias:
      return nil
    }
  }

  /// `text` with `marker` inserted at the key that starts at `mark` (after its opening quote, if
  /// quoted), and the column it went in at; nil when no plain or quoted key starts there.
  private static func insert(_ marker: String, in text: String, at mark: Mark) -> (String, Int)? {
    var line = 1
    var column = 1
    var scalars = text.unicodeScalars
    var index = scalars.startIndex
    while index < scalars.endIndex, line < mark.line || column < mark.column {
      if line == mark.line && scalars[index] == "\n" { return nil }
      if scalars[index] == "\n" {
        line += 1
        column = 1
      } else {
        column += 1
      }
      index = scalars.index(after: index)
    }
    guard index < scalars.endIndex else { return nil }
    let c = scalars[index]
    var at = index
    var insertColumn = column
    if c == "\"" || c == "'" {
      at = scalars.index(after: index)
      insertColumn += 1
    } else if "*&!?[{|>%@` \t\r\n".unicodeScalars.contains(c) {
      return nil
    }
    scalars.insert(contentsOf: marker.unicodeScalars, at: at)
    return (String(scalars), insertColumn)
  }
}
