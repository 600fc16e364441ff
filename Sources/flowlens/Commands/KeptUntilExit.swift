/// Values that live until the process exits. A command's result tables (an audit's hold hundreds
/// of thousands of entries, each with references to release) are dropped with the process, at
/// once, rather than freed entry by entry after the output is written.
enum KeptUntilExit {
  /// What is kept; only the main thread appends, once per command.
  nonisolated(unsafe) private static var kept: [Any] = []

  /// Keeps `value` (a copy, sharing its storage) until exit.
  static func keep(_ value: Any) {
    kept.append(value)
  }
}
