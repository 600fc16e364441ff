/// A token of a `--where` expression: a word (keyword or value), a parenthesis or an operator.
struct FilterToken: Sendable, Hashable {
  enum Kind: Sendable, Hashable {
    /// A run of characters that are not spaces, parentheses or operator characters.
    case word
    case open
    case close
    /// A run of `<`, `>`, `=`, `!`, `&`, `|`.
    case symbol
  }

  var kind: Kind
  /// The token's text as written.
  var text: String
  /// The 1-based column of its first character.
  var column: Int

  /// The text in lower case, for keywords (which are case-insensitive).
  var keyword: String { text.lowercased() }

  /// Cuts `expression` into tokens.
  static func tokens(of expression: String) -> [FilterToken] {
    var tokens: [FilterToken] = []
    var column = 0
    var current: (kind: Kind, text: String, column: Int)?
    func flush() {
      if let c = current { tokens.append(FilterToken(kind: c.kind, text: c.text, column: c.column)) }
      current = nil
    }
    for character in expression {
      column += 1
      if character.isWhitespace {
        flush()
      } else if character == "(" || character == ")" {
        flush()
        tokens.append(FilterToken(kind: character == "(" ? .open : .close, text: String(character), column: column))
      } else {
        let kind: Kind = "<>=!&|".contains(character) ? .symbol : .word
        if let c = current, c.kind == kind {
          current!.text.append(character)
        } else {
          flush()
          current = (kind, String(character), column)
        }
      }
    }
    flush()
    return tokens
  }
}
