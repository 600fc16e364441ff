/// Reads the binary partial-state format (docs/partial-format.md) from untrusted bytes: every read
/// is bounds-checked, every count is checked against the bytes left before anything is allocated
/// for it, and every index read is checked against what it indexes, so that a corrupt or crafted
/// state is a ``StateError`` naming the byte offset, never a crash.
public struct StateReader: Sendable {
  private let bytes: [UInt8]
  /// The offset of the next byte to read.
  public private(set) var position: Int
  private let end: Int
  /// Where `bytes` start in the file, for the offsets errors state.
  private let fileOffset: Int

  /// Interned interfaces the aggregator being read holds: interface numbers read must be below.
  var interfaceCount = 0
  /// Allow-list rules of the policy: rule numbers read must be below.
  var ruleCount = 0
  /// Evidence ranks (an input's place among the partial's inputs sorted by path) to the merged
  /// run's ranks.
  var rankMap: [Int32] = []
  /// Flow-log numbers (`summary --by flow-log`) of the partial to the merged run's.
  var flowLogMap: [Int32] = []
  /// The keys each `--by` table keeps exactly.
  var groupCapacity = 0
  /// The columns of the `--by` table being read, and how many texts it holds.
  var groupColumns: [GroupLayout.Column] = []
  var groupTextCount = 0

  /// A reader of `bytes[range]`, which start at `fileOffset` in the file.
  public init(_ bytes: [UInt8], range: Range<Int>? = nil, fileOffset: Int = 0) {
    self.bytes = bytes
    let range = range ?? 0..<bytes.count
    position = range.lowerBound
    end = range.upperBound
    self.fileOffset = fileOffset - range.lowerBound
  }

  /// Bytes left to read.
  public var remaining: Int { end - position }
  /// Whether every byte was read.
  public var isAtEnd: Bool { position == end }

  /// An error at the current position.
  public func error(_ message: String) -> StateError { StateError(offset: fileOffset + position, message) }

  /// An error at `position` (an offset as ``position`` gives it).
  public func error(at position: Int, _ message: String) -> StateError {
    StateError(offset: fileOffset + position, message)
  }

  /// Reads one byte.
  public mutating func byte() throws(StateError) -> UInt8 {
    guard position < end else { throw error("the state ends early (truncated?)") }
    defer { position += 1 }
    return bytes[position]
  }

  /// Reads a Boolean (a byte 0 or 1).
  public mutating func bool() throws(StateError) -> Bool {
    let at = position
    switch try byte() {
    case 0: return false
    case 1: return true
    case let other: throw error(at: at, "expected a flag (0 or 1), found \(other)")
    }
  }

  /// Reads a LEB128 variable-length integer of at most 64 bits.
  public mutating func uint() throws(StateError) -> UInt64 {
    let at = position
    var value: UInt64 = 0
    var shift: UInt64 = 0
    while true {
      let b = try byte()
      if shift == 63 && b > 1 { throw error(at: at, "integer does not fit in 64 bits") }
      value |= UInt64(b & 0x7F) << shift
      if b & 0x80 == 0 { return value }
      shift += 7
      if shift > 63 { throw error(at: at, "integer does not fit in 64 bits") }
    }
  }

  /// Reads a zigzag-encoded signed integer.
  public mutating func int() throws(StateError) -> Int64 {
    let raw = try uint()
    return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
  }

  /// Reads a variable-length integer that must be at most `limit`.
  public mutating func uint(atMost limit: UInt64, _ what: String) throws(StateError) -> UInt64 {
    let at = position
    let value = try uint()
    guard value <= limit else { throw error(at: at, "\(what) \(value) is more than \(limit)") }
    return value
  }

  /// Reads a signed integer that must fit in 32 bits.
  public mutating func int32(_ what: String) throws(StateError) -> Int32 {
    let at = position
    let value = try int()
    guard let small = Int32(exactly: value) else { throw error(at: at, "\(what) \(value) does not fit in 32 bits") }
    return small
  }

  /// Reads a count of things each written in at least `minimumBytes` bytes, checked against the
  /// bytes left, so that no count can make the reader allocate more than the state could fill.
  public mutating func count(minimumBytes: Int = 1) throws(StateError) -> Int {
    let at = position
    let value = try uint()
    guard value <= UInt64(remaining / max(1, minimumBytes)) else {
      throw error(at: at, "count \(value) is more than the \(remaining) bytes left could hold")
    }
    return Int(value)
  }

  /// Reads a number that must be below `limit` (an index into something of `limit` elements).
  public mutating func index(below limit: Int, _ what: String) throws(StateError) -> Int {
    let at = position
    let value = try uint()
    guard value < UInt64(max(0, limit)) else { throw error(at: at, "\(what) \(value) is out of range (\(limit))") }
    return Int(value)
  }

  /// Reads a 32-bit little-endian value.
  public mutating func fixed32() throws(StateError) -> UInt32 {
    guard remaining >= 4 else { throw error("the state ends early (truncated?)") }
    var value: UInt32 = 0
    for i in 0..<4 { value |= UInt32(bytes[position + i]) << UInt32(8 * i) }
    position += 4
    return value
  }

  /// Reads a 64-bit little-endian value.
  public mutating func fixed64() throws(StateError) -> UInt64 {
    guard remaining >= 8 else { throw error("the state ends early (truncated?)") }
    var value: UInt64 = 0
    for i in 0..<8 { value |= UInt64(bytes[position + i]) << UInt64(8 * i) }
    position += 8
    return value
  }

  /// Reads a byte string.
  public mutating func data() throws(StateError) -> ArraySlice<UInt8> {
    let n = try count()
    defer { position += n }
    return bytes[position..<position + n]
  }

  /// Reads a string, which must be valid UTF-8.
  public mutating func string() throws(StateError) -> String {
    let at = position
    let raw = try data()
    guard let text = String(validating: raw, as: UTF8.self) else { throw error(at: at, "a text is not valid UTF-8") }
    return text
  }

  /// Reads an optional written by ``StateWriter/optional(_:_:)``.
  public mutating func optional<T>(_ read: (inout StateReader) throws(StateError) -> T) throws(StateError) -> T? {
    try bool() ? try read(&self) : nil
  }

  /// Reads a value that can read itself.
  public mutating func value<T: StateCodable>(_ type: T.Type = T.self) throws(StateError) -> T {
    try T(from: &self)
  }

  /// Reads an array of values, each written in at least `minimumBytes` bytes.
  public mutating func array<T: StateCodable>(
    _ type: T.Type = T.self, minimumBytes: Int = 1
  ) throws(StateError) -> [T] {
    let n = try count(minimumBytes: minimumBytes)
    var values: [T] = []
    values.reserveCapacity(n)
    for _ in 0..<n { values.append(try T(from: &self)) }
    return values
  }

  /// Checks that every byte was read.
  public func expectEnd(_ what: String) throws(StateError) {
    guard isAtEnd else { throw error("\(remaining) unexpected bytes after \(what)") }
  }

  // MARK: - Context checks

  /// Reads an interface number: -1 (none) or one of the interned interfaces.
  mutating func interface() throws(StateError) -> Int32 {
    let at = position
    let value = try int32("interface number")
    guard value >= -1 && Int(value) < interfaceCount else {
      throw error(at: at, "interface number \(value) is out of range (\(interfaceCount) interfaces)")
    }
    return value
  }
}
