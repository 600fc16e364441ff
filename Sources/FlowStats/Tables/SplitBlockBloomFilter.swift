/// A split-block Bloom filter (the layout Parquet and Impala use): each key sets one bit in each of
/// the eight 32-bit words of one 32-byte block, so an insert or a lookup touches one cache line.
///
/// It answers "seen before?" with no false negatives and a small false-positive rate that depends on
/// bits per key: about 1 % at 10 bits, 0.1 % at 16 and 0.01 % at 22. Memory is fixed when it is made.
/// Filters of the same size combine with ``formUnion(_:)``, which is exact and order-independent.
struct SplitBlockBloomFilter: Sendable, Hashable {
  private var words: [UInt32]
  private let blockMask: UInt64

  /// The salts of the eight bit positions (from the Parquet specification).
  private static let salts: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (
    0x47b6_137b, 0x4497_4d91, 0x8824_ad5b, 0xa2b7_289d, 0x7054_95c7, 0x2df1_424b, 0x9efc_4947, 0x5c6b_fb31
  )

  /// A filter of at least `bytes` bytes (rounded up to a power of two, at least 32).
  init(bytes: Int) {
    var blocks = 1
    while blocks * 32 < bytes { blocks <<= 1 }
    words = Array(repeating: 0, count: blocks * 8)
    blockMask = UInt64(blocks - 1)
  }

  /// The filter's size in bytes.
  var byteCount: Int { words.count * 4 }

  @inline(__always)
  private func block(_ hash: UInt64) -> Int { Int(truncatingIfNeeded: (hash >> 32) & blockMask) * 8 }

  @inline(__always)
  private static func mask(_ key: UInt32, _ salt: UInt32) -> UInt32 { 1 << ((key &* salt) >> 27) }

  /// Adds a key given as a well-mixed 64-bit hash.
  @inline(__always)
  mutating func insert(_ hash: UInt64) {
    let base = block(hash)
    let key = UInt32(truncatingIfNeeded: hash)
    let s = Self.salts
    words.withUnsafeMutableBufferPointer { w in
      w[base] |= Self.mask(key, s.0)
      w[base + 1] |= Self.mask(key, s.1)
      w[base + 2] |= Self.mask(key, s.2)
      w[base + 3] |= Self.mask(key, s.3)
      w[base + 4] |= Self.mask(key, s.4)
      w[base + 5] |= Self.mask(key, s.5)
      w[base + 6] |= Self.mask(key, s.6)
      w[base + 7] |= Self.mask(key, s.7)
    }
  }

  /// Whether the key may have been added (never false for a key that was).
  @inline(__always)
  func mayContain(_ hash: UInt64) -> Bool {
    let base = block(hash)
    let key = UInt32(truncatingIfNeeded: hash)
    let s = Self.salts
    return words.withUnsafeBufferPointer { w in
      w[base] & Self.mask(key, s.0) != 0 && w[base + 1] & Self.mask(key, s.1) != 0
        && w[base + 2] & Self.mask(key, s.2) != 0 && w[base + 3] & Self.mask(key, s.3) != 0
        && w[base + 4] & Self.mask(key, s.4) != 0 && w[base + 5] & Self.mask(key, s.5) != 0
        && w[base + 6] & Self.mask(key, s.6) != 0 && w[base + 7] & Self.mask(key, s.7) != 0
    }
  }

  /// Adds every key of `other`, a filter of the same size.
  mutating func formUnion(_ other: SplitBlockBloomFilter) {
    precondition(other.words.count == words.count, "Bloom filters of different sizes")
    for i in 0..<words.count { words[i] |= other.words[i] }
  }

  /// The estimated false-positive rate now: the chance that all eight bits of a new key are set,
  /// from the fraction of bits set.
  var estimatedFalsePositiveRate: Double {
    var set = 0
    for word in words { set += word.nonzeroBitCount }
    let fraction = Double(set) / Double(words.count * 32)
    var rate = 1.0
    for _ in 0..<8 { rate *= fraction }
    return rate
  }
}
