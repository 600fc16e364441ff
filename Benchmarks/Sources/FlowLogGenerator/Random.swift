/// SplitMix64: expands a seed into the state of ``Xoshiro256``.
///
/// Steele, Lea and Flood, "Fast splittable pseudorandom number generators" (2014); the constants
/// are those of the public-domain reference implementation.
public struct SplitMix64: Sendable {
  public private(set) var state: UInt64

  public init(seed: UInt64) { state = seed }

  @inline(__always)
  public mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}

/// xoshiro256** 1.0 (Blackman and Vigna): the generator behind every random choice, so that a seed
/// gives the same output on every platform and Swift version. Never the system generator.
public struct Xoshiro256: Sendable {
  private var s0, s1, s2, s3: UInt64

  /// A generator whose state is four SplitMix64 outputs of `seed`.
  public init(seed: UInt64) {
    var mix = SplitMix64(seed: seed)
    s0 = mix.next()
    s1 = mix.next()
    s2 = mix.next()
    s3 = mix.next()
  }

  @inline(__always)
  public mutating func next() -> UInt64 {
    let result = rotl(s1 &* 5, 7) &* 9
    let t = s1 << 17
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = rotl(s3, 45)
    return result
  }

  @inline(__always)
  private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

  /// A value in `0..<n` (n > 0) by multiply-shift; the bias (< n / 2^64) is irrelevant here.
  @inline(__always)
  public mutating func below(_ n: Int) -> Int {
    Int(truncatingIfNeeded: next().multipliedFullWidth(by: UInt64(truncatingIfNeeded: n)).high)
  }

  /// A value in `range`.
  @inline(__always)
  public mutating func inRange(_ range: ClosedRange<Int>) -> Int {
    range.lowerBound + below(range.count)
  }

  /// A double in [0, 1) with 53 random bits.
  @inline(__always)
  public mutating func unit() -> Double {
    Double(next() >> 11) * 0x1.0p-53
  }

  /// True with probability `p`.
  @inline(__always)
  public mutating func chance(_ p: Double) -> Bool { unit() < p }
}
