/// A mistake in a `--where` expression (or a `--since`/`--until` time), with the column it is at.
public struct FilterError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The 1-based column (in characters) where the mistake starts; nil when the mistake is not at
  /// one place (a time option).
  public var column: Int?
  /// What is wrong, and what was expected.
  public var message: String

  /// A mistake at `column`.
  public init(column: Int?, _ message: String) {
    self.column = column
    self.message = message
  }

  /// `column 17: expected a port number, found "ssh"`.
  public var description: String { column.map { "column \($0): \(message)" } ?? message }

  /// The expression with a caret under the column, for a terminal: two lines, or nil without a
  /// column.
  public func pointer(in expression: String) -> String? {
    guard let column else { return nil }
    let shown = String(expression.map { $0 == "\t" || $0 == "\n" || $0 == "\r" ? " " : $0 })
    return "  \(shown)\n  \(String(repeating: " ", count: max(0, column - 1)))^"
  }
}
