/// A fault while reading or decompressing, at a byte offset of the underlying file.
public struct SourceError: Error, Sendable, Hashable {
  /// The offset in the file (compressed bytes for compressed input) where the fault was found.
  public var offset: UInt64
  /// What went wrong, for a person.
  public var message: String

  /// A fault at `offset`.
  public init(offset: UInt64, message: String) {
    self.offset = offset
    self.message = message
  }
}
