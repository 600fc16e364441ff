/// Why partial results cannot be merged: one cannot be read, or they were made with different
/// commands, options or policies.
public struct PartialMergeError: Error, Sendable, CustomStringConvertible {
  /// The message, naming the file and, for a difference, the option and both values.
  public var message: String

  /// An error saying `message`.
  public init(_ message: String) { self.message = message }

  public var description: String { message }
}
