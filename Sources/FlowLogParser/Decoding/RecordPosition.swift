/// Where a record was found.
public struct RecordPosition: Sendable, Hashable {
  /// The index of the input in the run.
  public var inputIndex: Int
  /// The 1-based line number.
  public var line: Int
}
