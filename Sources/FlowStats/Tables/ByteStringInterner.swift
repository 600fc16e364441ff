/// Gives each distinct byte string (an interface id, an account id) a small dense integer id,
/// storing the bytes once in an arena. Looking up a string already seen allocates nothing.
///
/// Written by hand because a `Dictionary<String, Int>` would build a String per record.
public struct ByteStringInterner: Sendable {
  private var arena: [UInt8] = []
  private var spans: [(offset: Int, count: Int)] = []
  private var hashes: [UInt64] = []
  /// Each string's covering words (``coveringWords(_:)``; zeros for other lengths): a string of 8
  /// to 32 bytes, an interface id, is hashed and compared as its four words, not byte by byte.
  private var words: [Words] = []
  typealias Words = (UInt64, UInt64, UInt64, UInt64)
  /// Open-addressing slots holding id + 1 (0 is empty).
  private var slots: [Int32]
  private var mask: Int
  /// The last string looked up (8 to 32 bytes), as four words that cover it, and its id (-1:
  /// none): records come in runs of one interface, and a run costs four compares, not a hash and
  /// a probe.
  private var lastID = -1
  private var lastWords: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)

  /// An empty interner.
  public init() {
    slots = Array(repeating: 0, count: 256)
    mask = 255
    arena.reserveCapacity(4096)
  }

  /// The number of distinct strings.
  public var count: Int { spans.count }

  /// The id of `bytes`, adding it when new.
  @inline(__always)
  public mutating func id(of bytes: UnsafeRawBufferPointer) -> Int {
    guard let words = Self.coveringWords(bytes) else { return lookUp(bytes) }
    if lastID >= 0, words == lastWords, spans[lastID].count == bytes.count { return lastID }
    let id = lookUp(bytes, words: words)
    lastID = id
    lastWords = words
    return id
  }

  /// The id of a string of 8 to 32 bytes, given its covering words: hashed from them (a string's
  /// length decides which hash its slot comes from, so one string always has the same), and
  /// compared with each candidate's words, not byte by byte.
  @inline(__always)
  private mutating func lookUp(_ bytes: UnsafeRawBufferPointer, words: Words) -> Int {
    var h = (words.0 ^ UInt64(bytes.count)) &* 0xFF51_AFD7_ED55_8CCD
    h = (h ^ words.1 ^ h >> 32) &* 0xC4CE_B9FE_1A85_EC53
    h = (h ^ words.2 ^ h >> 29) &* 0xFF51_AFD7_ED55_8CCD
    h = (h ^ words.3 ^ h >> 32) &* 0xC4CE_B9FE_1A85_EC53
    let hash = h ^ h >> 29
    var index = Int(truncatingIfNeeded: hash) & mask
    while true {
      let slot = Int(slots[index])
      if slot == 0 { break }
      let id = slot - 1
      if hashes[id] == hash, spans[id].count == bytes.count, self.words[id] == words { return id }
      index = (index + 1) & mask
    }
    return add(bytes, hash: hash, words: words, at: index)
  }

  /// Four words that cover a string of 8 to 32 bytes (at offsets 0, 8, 16 and count − 8, the
  /// middle ones moved back so that none reads past the end); nil for other lengths. Two strings
  /// of the same length are equal when their words are.
  @inline(__always)
  static func coveringWords(_ bytes: UnsafeRawBufferPointer) -> (UInt64, UInt64, UInt64, UInt64)? {
    let count = bytes.count
    guard count >= 8, count <= 32, let base = bytes.baseAddress else { return nil }
    let last = count &- 8
    return (
      base.loadUnaligned(as: UInt64.self), base.loadUnaligned(fromByteOffset: min(8, last), as: UInt64.self),
      base.loadUnaligned(fromByteOffset: min(16, last), as: UInt64.self),
      base.loadUnaligned(fromByteOffset: last, as: UInt64.self)
    )
  }

  @inline(__always)
  private mutating func lookUp(_ bytes: UnsafeRawBufferPointer) -> Int {
    let hash = Self.hash(bytes)
    var index = Int(truncatingIfNeeded: hash) & mask
    while true {
      let slot = Int(slots[index])
      if slot == 0 { break }
      let id = slot - 1
      if hashes[id] == hash && equals(id, bytes) { return id }
      index = (index + 1) & mask
    }
    return add(bytes, hash: hash, words: (0, 0, 0, 0), at: index)
  }

  /// Adds a new string whose free slot is `index`; returns its id.
  private mutating func add(_ bytes: UnsafeRawBufferPointer, hash: UInt64, words: Words, at index: Int) -> Int {
    let id = spans.count
    spans.append((arena.count, bytes.count))
    hashes.append(hash)
    self.words.append(words)
    arena.append(contentsOf: bytes)
    slots[index] = Int32(id + 1)
    if spans.count * 2 > slots.count { grow() }
    return id
  }

  /// The bytes of `id` as a String (invalid UTF-8 repaired).
  public func string(_ id: Int) -> String {
    let span = spans[id]
    return String(decoding: arena[span.offset..<span.offset + span.count], as: UTF8.self)
  }

  /// The bytes of `id`.
  public func bytes(_ id: Int) -> ArraySlice<UInt8> {
    let span = spans[id]
    return arena[span.offset..<span.offset + span.count]
  }

  private func equals(_ id: Int, _ bytes: UnsafeRawBufferPointer) -> Bool {
    let span = spans[id]
    guard span.count == bytes.count else { return false }
    return arena.withUnsafeBytes { a in
      guard span.count > 0 else { return true }
      return memcmpBytes(a.baseAddress! + span.offset, bytes.baseAddress!, span.count)
    }
  }

  private mutating func grow() {
    let capacity = slots.count * 2
    slots = Array(repeating: 0, count: capacity)
    mask = capacity - 1
    for id in 0..<spans.count {
      var index = Int(truncatingIfNeeded: hashes[id]) & mask
      while slots[index] != 0 { index = (index + 1) & mask }
      slots[index] = Int32(id + 1)
    }
  }

  /// A fast hash of short strings, eight bytes at a time.
  @inline(__always)
  static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
    var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(bytes.count)
    var i = 0
    let n = bytes.count
    guard let base = bytes.baseAddress else { return h }
    while i + 8 <= n {
      let w = base.loadUnaligned(fromByteOffset: i, as: UInt64.self)
      h = (h ^ w) &* 0xFF51_AFD7_ED55_8CCD
      h ^= h >> 32
      i += 8
    }
    var tail: UInt64 = 0
    var shift: UInt64 = 0
    while i < n {
      tail |= UInt64(base.load(fromByteOffset: i, as: UInt8.self)) << shift
      shift += 8
      i += 1
    }
    h = (h ^ tail) &* 0xC4CE_B9FE_1A85_EC53
    h ^= h >> 29
    return h
  }
}

@inline(__always)
func memcmpBytes(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ count: Int) -> Bool {
  var i = 0
  while i + 8 <= count {
    if a.loadUnaligned(fromByteOffset: i, as: UInt64.self) != b.loadUnaligned(fromByteOffset: i, as: UInt64.self) {
      return false
    }
    i += 8
  }
  while i < count {
    if a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) { return false }
    i += 1
  }
  return true
}

extension ByteStringInterner: StateCodable {
  /// The number of strings, then each as a byte string, in the order of their numbers.
  public func write(to writer: inout StateWriter) {
    writer.count(count)
    for id in 0..<count { writer.data(bytes(id)) }
  }

  /// Reads strings written by ``write(to:)``; no string may appear twice (numbers must stay).
  public init(from reader: inout StateReader) throws(StateError) {
    self.init()
    for expected in 0..<(try reader.count()) {
      let at = reader.position
      let text = try reader.data()
      let id = text.withUnsafeBytes { self.id(of: $0) }
      guard id == expected else { throw reader.error(at: at, "a name appears twice") }
    }
  }
}
