/// A value that writes itself in the partial-state format and reads itself back, checking what it
/// reads (see ``StateReader``).
public protocol StateCodable {
  /// Writes the value.
  func write(to writer: inout StateWriter)
  /// Reads a value written by ``write(to:)``; throws ``StateError`` for bytes that do not decode.
  init(from reader: inout StateReader) throws(StateError)
}

extension UInt64: StateCodable {
  public func write(to writer: inout StateWriter) { writer.uint(self) }
  public init(from reader: inout StateReader) throws(StateError) { self = try reader.uint() }
}

extension String: StateCodable {
  public func write(to writer: inout StateWriter) { writer.string(self) }
  public init(from reader: inout StateReader) throws(StateError) { self = try reader.string() }
}
