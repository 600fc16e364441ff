/// Reads Thrift's compact protocol, the encoding of Parquet's footer and page headers, from bytes
/// in memory. Only what Parquet's structures use is read; every other value is skipped by its type.
/// Every read is bounds-checked: corrupt bytes throw, never read past the buffer.
struct ThriftCompactReader {
  /// The compact protocol's type codes.
  enum FieldType: UInt8 {
    case stop = 0
    case boolTrue = 1
    case boolFalse = 2
    case byte = 3
    case i16 = 4
    case i32 = 5
    case i64 = 6
    case double = 7
    case binary = 8
    case list = 9
    case set = 10
    case map = 11
    case `struct` = 12
  }

  let bytes: UnsafeRawBufferPointer
  /// The offset of the next byte to read.
  private(set) var position: Int
  /// The field ids of the structs being read, for the deltas of field headers.
  private var lastFieldIDs: [Int16] = []
  private var lastFieldID: Int16 = 0
  /// How deep structs and containers nest: corrupt bytes must not recurse without bound.
  private var depth = 0
  private static let maxDepth = 64

  init(_ bytes: UnsafeRawBufferPointer, position: Int = 0) {
    self.bytes = bytes
    self.position = position
  }

  /// A field header: its id and type; nil at the struct's end (the stop byte).
  struct FieldHeader {
    var id: Int16
    var type: FieldType
  }

  mutating func readByte() throws(ParquetError) -> UInt8 {
    guard position < bytes.count else { throw .corrupt("Thrift metadata is truncated") }
    defer { position += 1 }
    return bytes[position]
  }

  mutating func readVarint() throws(ParquetError) -> UInt64 {
    var value: UInt64 = 0
    var shift: UInt64 = 0
    while true {
      let b = try readByte()
      guard shift < 64 else { throw .corrupt("Thrift varint is too long") }
      value |= UInt64(b & 0x7F) << shift
      if b & 0x80 == 0 { return value }
      shift += 7
    }
  }

  mutating func readI64() throws(ParquetError) -> Int64 {
    let raw = try readVarint()
    return Int64(bitPattern: (raw >> 1) ^ (0 &- (raw & 1)))
  }

  mutating func readI32() throws(ParquetError) -> Int32 {
    let value = try readI64()
    guard let narrow = Int32(exactly: value) else { throw .corrupt("Thrift i32 out of range") }
    return narrow
  }

  /// The bytes of a binary or string value, as a range of the buffer.
  mutating func readBinaryRange() throws(ParquetError) -> Range<Int> {
    let length = try readVarint()
    guard length <= UInt64(bytes.count - position) else { throw .corrupt("Thrift binary value is truncated") }
    let start = position
    position += Int(length)
    return start..<position
  }

  mutating func readString() throws(ParquetError) -> String {
    let range = try readBinaryRange()
    return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
  }

  mutating func beginStruct() throws(ParquetError) {
    depth += 1
    guard depth <= Self.maxDepth else { throw .corrupt("Thrift metadata nests too deeply") }
    lastFieldIDs.append(lastFieldID)
    lastFieldID = 0
  }

  mutating func endStruct() {
    depth -= 1
    lastFieldID = lastFieldIDs.popLast() ?? 0
  }

  /// The next field's header; nil at the stop byte that ends the struct.
  mutating func readFieldHeader() throws(ParquetError) -> FieldHeader? {
    let b = try readByte()
    guard let type = FieldType(rawValue: b & 0x0F) else { throw .corrupt("Thrift field type \(b & 0x0F) is unknown") }
    if type == .stop { return nil }
    let delta = Int16(b >> 4)
    let id: Int16
    if delta != 0 {
      id = lastFieldID &+ delta
    } else {
      let wide = try readI64()
      guard let narrow = Int16(exactly: wide) else { throw .corrupt("Thrift field id out of range") }
      id = narrow
    }
    lastFieldID = id
    return FieldHeader(id: id, type: type)
  }

  /// A list or set header: the element type and count. The count is checked against the bytes
  /// left, one byte at least per element but for booleans, so a corrupt count cannot claim memory.
  mutating func readListHeader() throws(ParquetError) -> (type: FieldType, count: Int) {
    let b = try readByte()
    guard let type = FieldType(rawValue: b & 0x0F) else { throw .corrupt("Thrift list element type is unknown") }
    var count = UInt64(b >> 4)
    if count == 15 { count = try readVarint() }
    guard count <= UInt64(bytes.count - position) else { throw .corrupt("Thrift list is longer than its bytes") }
    return (type, Int(count))
  }

  /// A boolean field's value, carried in its header's type.
  static func bool(_ header: FieldHeader) -> Bool { header.type == .boolTrue }

  /// Skips a value of `type`.
  mutating func skip(_ type: FieldType) throws(ParquetError) {
    switch type {
    case .stop: throw .corrupt("Thrift stop where a value was expected")
    case .boolTrue, .boolFalse: return
    case .byte: _ = try readByte()
    case .i16, .i32, .i64: _ = try readVarint()
    case .double:
      guard bytes.count - position >= 8 else { throw .corrupt("Thrift metadata is truncated") }
      position += 8
    case .binary: _ = try readBinaryRange()
    case .list, .set:
      let (elementType, count) = try readListHeader()
      try nest()
      for _ in 0..<count {
        // Booleans in a container are one byte each.
        if elementType == .boolTrue || elementType == .boolFalse { _ = try readByte() } else { try skip(elementType) }
      }
      depth -= 1
    case .map:
      let count = try readVarint()
      guard count <= UInt64(bytes.count - position) else { throw .corrupt("Thrift map is longer than its bytes") }
      if count == 0 { return }
      let types = try readByte()
      guard let keyType = FieldType(rawValue: types >> 4), let valueType = FieldType(rawValue: types & 0x0F) else {
        throw .corrupt("Thrift map types are unknown")
      }
      try nest()
      for _ in 0..<count {
        try skip(keyType)
        try skip(valueType)
      }
      depth -= 1
    case .struct:
      try beginStruct()
      while let field = try readFieldHeader() { try skip(field.type) }
      endStruct()
    }
  }

  private mutating func nest() throws(ParquetError) {
    depth += 1
    guard depth <= Self.maxDepth else { throw .corrupt("Thrift metadata nests too deeply") }
  }

  /// Reads a struct, calling `field` for each field header; `field` reads or skips the value.
  mutating func readStruct(_ field: (inout ThriftCompactReader, FieldHeader) throws(ParquetError) -> Void)
    throws(ParquetError)
  {
    try beginStruct()
    while let header = try readFieldHeader() { try field(&self, header) }
    endStruct()
  }

  /// Reads a list of `element`s.
  mutating func readList<T>(_ element: (inout ThriftCompactReader) throws(ParquetError) -> T) throws(ParquetError)
    -> [T]
  {
    let (_, count) = try readListHeader()
    try nest()
    defer { depth -= 1 }
    var out: [T] = []
    out.reserveCapacity(count)
    for _ in 0..<count { out.append(try element(&self)) }
    return out
  }
}
