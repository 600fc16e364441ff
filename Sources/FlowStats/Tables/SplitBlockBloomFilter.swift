import CIntrinsics
import Synchronization

/// A split-block Bloom filter (the layout Parquet and Impala use): each key sets one bit in each of
/// the eight 32-bit words of one 32-byte block, so an insert or a lookup touches one cache line.
///
/// It answers "seen before?" with no false negatives and a small false-positive rate that depends on
/// bits per key: about 1 % at 10 bits, 0.1 % at 16 and 0.01 % at 22. Memory is fixed when it is made.
/// Filters of the same size combine with ``formUnion(_:)``, which is exact and order-independent.
///
/// One filter can be shared by parallel workers, so that there is one copy in memory and in cache.
/// Keys are inserted in batches (``insert(contentsOf:)``), one batch at a time: a lock is taken
/// per batch, and within it each word is set with a plain load and store, so the final bits are
/// the same whatever the interleaving. (Atomic ORs instead, four per key, took two thirds of the
/// inserts' time: on x86 each waits for every earlier store. A batch is a few tens of
/// microseconds, so workers seldom wait for one another.) The eight 32-bit words of a block are
/// held as four 64-bit words.
final class SplitBlockBloomFilter: @unchecked Sendable {
  // @unchecked: the words are only touched through atomic operations, and written only by the
  // holder of `writing`.
  private let words: UnsafeMutablePointer<Atomic<UInt64>>
  private let wordCount: Int
  private let blockMask: UInt64
  /// Held by the one batch of inserts (or union) writing the words.
  private let writing = Mutex(())

  /// The salts of the eight bit positions (from the Parquet specification).
  private static let salts: (UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32, UInt32) = (
    0x47b6_137b, 0x4497_4d91, 0x8824_ad5b, 0xa2b7_289d, 0x7054_95c7, 0x2df1_424b, 0x9efc_4947, 0x5c6b_fb31
  )

  /// A filter of at least `bytes` bytes (rounded up to a power of two, at least 32).
  init(bytes: Int) {
    var blocks = 1
    while blocks * 32 < bytes { blocks <<= 1 }
    wordCount = blocks * 4
    // Aligned to a cache line, so that no 32-byte block straddles two.
    words = UnsafeMutableRawPointer.allocate(byteCount: wordCount * 8, alignment: 64)
      .bindMemory(to: Atomic<UInt64>.self, capacity: wordCount)
    for i in 0..<wordCount { (words + i).initialize(to: Atomic(0)) }
    blockMask = UInt64(blocks - 1)
  }

  deinit { words.deallocate() }

  @inline(__always)
  private func block(_ hash: UInt64) -> Int { Int(truncatingIfNeeded: (hash >> 32) & blockMask) * 4 }

  /// The bits of 32-bit words `2i` (low half) and `2i + 1` (high half) of the block for `key`.
  @inline(__always)
  private static func mask(_ key: UInt32, _ low: UInt32, _ high: UInt32) -> UInt64 {
    (1 as UInt64) << UInt64((key &* low) >> 27) | (1 as UInt64) << UInt64(32 + (key &* high) >> 27)
  }

  /// Adds a key given as a well-mixed 64-bit hash; the caller holds `writing`.
  @inline(__always)
  private func insertWhileWriting(_ hash: UInt64) {
    let w = words + block(hash)
    let key = UInt32(truncatingIfNeeded: hash)
    let s = Self.salts
    @inline(__always) func set(_ i: Int, _ mask: UInt64) {
      // A load and a store, not an atomic OR: no one else writes (see `writing`). Skip the
      // store when the bits are already set (a key seen before).
      let bits = w[i].load(ordering: .relaxed)
      if bits & mask != mask { w[i].store(bits | mask, ordering: .relaxed) }
    }
    set(0, Self.mask(key, s.0, s.1))
    set(1, Self.mask(key, s.2, s.3))
    set(2, Self.mask(key, s.4, s.5))
    set(3, Self.mask(key, s.6, s.7))
  }

  /// Adds many keys, each given as a well-mixed 64-bit hash. Their blocks are first read, so that
  /// the cache misses overlap (before the lock is taken), and only then set.
  func insert(contentsOf hashes: [UInt64]) {
    guard !hashes.isEmpty else { return }
    var touched: UInt64 = 0
    for hash in hashes { touched |= words[block(hash)].load(ordering: .relaxed) }
    // Never true for a real filter; keeps the loads from being dropped as unused.
    if touched == 0x5EED_5EED_5EED_5EED && hashes.count == 0x5EED { return }
    writing.withLock { _ in
      for hash in hashes { insertWhileWriting(hash) }
    }
  }

  /// Prefetches the block of a key, for a ``mayContain(_:)`` a little later.
  @inline(__always)
  func prefetch(_ hash: UInt64) {
    flowlens_prefetch_for_write(UnsafeRawPointer(words + block(hash)))
  }

  /// Whether the key may have been added (never false for a key that was).
  @inline(__always)
  func mayContain(_ hash: UInt64) -> Bool {
    let w = words + block(hash)
    let key = UInt32(truncatingIfNeeded: hash)
    let s = Self.salts
    @inline(__always) func test(_ i: Int, _ mask: UInt64) -> Bool { w[i].load(ordering: .relaxed) & mask == mask }
    return test(0, Self.mask(key, s.0, s.1)) && test(1, Self.mask(key, s.2, s.3))
      && test(2, Self.mask(key, s.4, s.5)) && test(3, Self.mask(key, s.6, s.7))
  }

  /// Adds every key of `other`, a filter of the same size (nothing to do when it is this filter).
  func formUnion(_ other: SplitBlockBloomFilter) {
    guard other !== self else { return }
    precondition(other.wordCount == wordCount, "Bloom filters of different sizes")
    writing.withLock { _ in
      for i in 0..<wordCount {
        let bits = other.words[i].load(ordering: .relaxed)
        if bits != 0 { words[i].store(words[i].load(ordering: .relaxed) | bits, ordering: .relaxed) }
      }
    }
  }

  /// The estimated false-positive rate now: the chance that all eight bits of a new key are set,
  /// from the fraction of bits set.
  var estimatedFalsePositiveRate: Double {
    let set = writing.withLock { _ in
      // Holding `writing`, no insert runs: the words are read as plain integers, a loop the
      // compiler vectorizes (one atomic load at a time was 23 instructions a word).
      words.withMemoryRebound(to: UInt64.self, capacity: wordCount) { plain in
        var set = 0
        for i in 0..<wordCount { set &+= plain[i].nonzeroBitCount }
        return set
      }
    }
    let fraction = Double(set) / Double(wordCount * 64)
    var rate = 1.0
    for _ in 0..<8 { rate *= fraction }
    return rate
  }
}
