/// A partial state that cannot be read: not a state file, another format version, a checksum that
/// does not match, or bytes that do not decode. Says the byte offset where it went wrong.
public struct StateError: Error, Sendable, Hashable, CustomStringConvertible {
  /// The offset in the file of the byte that could not be read (nil when the whole file is at fault).
  public var offset: Int?
  /// What is wrong.
  public var message: String

  /// An error at byte `offset` of the file.
  public init(offset: Int?, _ message: String) {
    self.offset = offset
    self.message = message
  }

  /// `byte 52: count 1000000 is more than the 12 bytes left could hold`.
  public var description: String { offset.map { "byte \($0): \(message)" } ?? message }
}
