/// The key of one row of a `summary --by` table: every grouped value packed into 1,024 bits, a
/// fixed size whatever the KEYs, so that counting a record allocates nothing. Addresses are held
/// whole (a spoofed flood of distinct sources makes distinct keys, never a growing side table);
/// texts are ids interned by the table. ``GroupLayout`` says where each value sits.
public struct GroupKey: Hashable, Sendable {
  /// The number of 64-bit words.
  static let wordCount = 16
  private var words:
    (
      UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64,
      UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64, UInt64
    ) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)

  /// A key of zero bits: no value present.
  init() {}

  /// The word at `index` (0 ..< 16).
  @inline(__always)
  subscript(word index: Int) -> UInt64 {
    get { withUnsafeBytes(of: words) { $0.load(fromByteOffset: index &* 8, as: UInt64.self) } }
    set {
      withUnsafeMutableBytes(of: &words) { $0.storeBytes(of: newValue, toByteOffset: index &* 8, as: UInt64.self) }
    }
  }

  /// The `width` bits (at most 64, not crossing a word) at bit `offset`.
  @inline(__always)
  func bits(at offset: Int, width: Int) -> UInt64 {
    let word = self[word: offset >> 6]
    let shifted = word >> UInt64(offset & 63)
    return width == 64 ? shifted : shifted & ((1 << UInt64(width)) - 1)
  }

  /// Sets the `width` bits at bit `offset` to `value` (which must fit; the bits were zero).
  @inline(__always)
  mutating func setBits(at offset: Int, to value: UInt64) {
    self[word: offset >> 6] |= value << UInt64(offset & 63)
  }

  public static func == (a: GroupKey, b: GroupKey) -> Bool {
    withUnsafeBytes(of: a.words) { x in
      withUnsafeBytes(of: b.words) { y in
        var i = 0
        while i < wordCount * 8 {
          if x.load(fromByteOffset: i, as: UInt64.self) != y.load(fromByteOffset: i, as: UInt64.self) { return false }
          i &+= 8
        }
        return true
      }
    }
  }

  public func hash(into hasher: inout Hasher) { hasher.combine(tableHash) }
}

extension GroupKey: CounterTableKey {
  /// A multiply-xor hash of the words; unused words are zero and cost little.
  @inline(__always) public var tableHash: UInt64 {
    withUnsafeBytes(of: words) { raw in
      var h: UInt64 = 0x9E37_79B9_7F4A_7C15
      var i = 0
      while i < GroupKey.wordCount * 8 {
        h = (h ^ raw.load(fromByteOffset: i, as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
        h ^= h >> 32
        i &+= 8
      }
      return (h ^ (h >> 29)) &* 0x9E37_79B9_7F4A_7C15
    }
  }
}
