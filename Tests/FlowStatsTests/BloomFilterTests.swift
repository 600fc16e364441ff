import Dispatch
import Testing

@testable import FlowStats

@Suite("Split-block Bloom filter")
struct BloomFilterTests {
  static func hashes(_ count: Int, seed: UInt64) -> [UInt64] {
    var random = SplitMix64(state: seed)
    return (0..<count).map { _ in random.next() }
  }

  @Test("batches inserted from two threads at once set the same bits as one thread inserting them all")
  func concurrentBatches() {
    // Sized so that it does not fill up (about half its bits get set), with the threads' batches
    // writing into it at the same time: a write lost to a race leaves a bit unset.
    let keys = Self.hashes(200_000, seed: 11)
    let sequential = SplitBlockBloomFilter(bytes: 256 << 10)
    sequential.insert(contentsOf: keys)
    for _ in 0..<3 {
      let shared = SplitBlockBloomFilter(bytes: 256 << 10)
      DispatchQueue.concurrentPerform(iterations: 2) { thread in
        for batch in stride(from: thread * 10_000, to: keys.count, by: 20_000) {
          shared.insert(contentsOf: Array(keys[batch..<min(batch + 10_000, keys.count)]))
        }
      }
      #expect(shared.estimatedFalsePositiveRate == sequential.estimatedFalsePositiveRate)
      #expect(keys.allSatisfy { shared.mayContain($0) })
    }
  }

  @Test("no false negatives, a union holds both sides, and the false-positive estimate counts the bits set")
  func unionAndEstimate() {
    let a = SplitBlockBloomFilter(bytes: 1 << 16)
    let b = SplitBlockBloomFilter(bytes: 1 << 16)
    let left = Self.hashes(5_000, seed: 1)
    let right = Self.hashes(5_000, seed: 2)
    a.insert(contentsOf: left)
    b.insert(contentsOf: right)
    a.formUnion(b)
    #expect(left.allSatisfy { a.mayContain($0) } && right.allSatisfy { a.mayContain($0) })
    // The oracle: each key sets one bit in each 64-bit word of its 32-byte block (salts of the
    // Parquet specification), counted here bit by bit.
    let salts: [UInt32] = [
      0x47b6_137b, 0x4497_4d91, 0x8824_ad5b, 0xa2b7_289d, 0x7054_95c7, 0x2df1_424b, 0x9efc_4947, 0x5c6b_fb31,
    ]
    let blocks = (1 << 16) / 32
    var bits = Set<Int>()
    for hash in left + right {
      let block = Int((hash >> 32) & UInt64(blocks - 1))
      let key = UInt32(truncatingIfNeeded: hash)
      for (i, salt) in salts.enumerated() { bits.insert(block * 256 + i * 32 + Int((key &* salt) >> 27)) }
    }
    let fraction = Double(bits.count) / Double(blocks * 256)
    #expect(abs(a.estimatedFalsePositiveRate - pow8(fraction)) < 1e-15)
  }

  func pow8(_ x: Double) -> Double {
    var r = 1.0
    for _ in 0..<8 { r *= x }
    return r
  }
}
