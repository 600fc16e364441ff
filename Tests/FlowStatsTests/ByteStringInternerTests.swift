import FlowStats
import Testing

@Suite("ByteStringInterner")
struct ByteStringInternerTests {
  /// Ids are dense and given in order of first appearance, whatever the lengths and however the
  /// strings repeat: runs of one string (the interner remembers the last one), near-twins that
  /// differ in one byte at any position, and lengths around the 8…32 bytes it remembers.
  @Test("ids equal a dictionary's numbering by first appearance", arguments: [UInt64(1), 2, 3])
  func idsMatchOracle(seed: UInt64) {
    var random = SplitMix64(state: seed)
    // A pool of strings: for each length, a base string and copies with one byte changed.
    var pool: [[UInt8]] = []
    for length in [0, 1, 7, 8, 9, 15, 16, 17, 20, 21, 24, 25, 31, 32, 33, 40] {
      let base = (0..<length).map { _ in UInt8(ascii: "a") + UInt8(random.next() % 26) }
      pool.append(base)
      for position in 0..<length {
        var twin = base
        twin[position] = twin[position] == UInt8(ascii: "z") ? UInt8(ascii: "y") : twin[position] + 1
        pool.append(twin)
      }
    }
    var interner = ByteStringInterner()
    var oracle: [[UInt8]: Int] = [:]
    for _ in 0..<20_000 {
      let string = pool[Int(random.next() % UInt64(pool.count))]
      // Runs: the same string several times in a row.
      for _ in 0..<Int(1 + random.next() % 3) {
        let expected = oracle[string] ?? oracle.count
        oracle[string] = expected
        let id = string.withUnsafeBytes { interner.id(of: $0) }
        #expect(id == expected)
        if id != expected { return }
      }
    }
    #expect(interner.count == oracle.count)
    for (string, id) in oracle { #expect(Array(interner.bytes(id)) == string) }
  }
}
