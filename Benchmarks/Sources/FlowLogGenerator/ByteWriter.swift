/// A byte range in a ``TextPool``.
struct TextRef: Sendable {
  var offset: UInt32
  var count: UInt32

  static let empty = TextRef(offset: 0, count: 0)
}

/// Immutable identifier text (ENI ids, VPC ids, addresses, …) in one allocation, so that writing a
/// field is one copy from a stable pointer.
final class TextPool {
  let base: UnsafeMutablePointer<UInt8>
  let count: Int

  init(_ bytes: [UInt8]) {
    count = bytes.count
    base = .allocate(capacity: max(1, bytes.count))
    bytes.withUnsafeBufferPointer { src in
      if let from = src.baseAddress { base.initialize(from: from, count: bytes.count) }
    }
  }

  deinit { base.deallocate() }

  func string(_ ref: TextRef) -> String {
    String(decoding: UnsafeBufferPointer(start: base + Int(ref.offset), count: Int(ref.count)), as: UTF8.self)
  }
}

/// Collects text for a ``TextPool`` while the topology is built.
struct TextPoolBuilder {
  var bytes: [UInt8] = []

  mutating func add(_ text: String) -> TextRef {
    let ref = TextRef(offset: UInt32(bytes.count), count: UInt32(text.utf8.count))
    bytes.append(contentsOf: text.utf8)
    return ref
  }

  mutating func add(_ text: [UInt8]) -> TextRef {
    let ref = TextRef(offset: UInt32(bytes.count), count: UInt32(text.count))
    bytes.append(contentsOf: text)
    return ref
  }
}

/// Writes one record into scratch memory large enough for any record (no bounds checks).
struct ByteWriter {
  let base: UnsafeMutablePointer<UInt8>
  var count = 0

  init(_ base: UnsafeMutablePointer<UInt8>) { self.base = base }

  @inline(__always)
  mutating func byte(_ b: UInt8) {
    base[count] = b
    count &+= 1
  }

  @inline(__always)
  mutating func space() { byte(0x20) }

  @inline(__always)
  mutating func dash() { byte(UInt8(ascii: "-")) }

  @inline(__always)
  mutating func text(_ ref: TextRef, _ pool: UnsafeMutablePointer<UInt8>) {
    let n = Int(ref.count)
    (base + count).update(from: pool + Int(ref.offset), count: n)
    count &+= n
  }

  @inline(__always)
  mutating func literal(_ s: StaticString) {
    let n = s.utf8CodeUnitCount
    (base + count).update(from: s.utf8Start, count: n)
    count &+= n
  }

  /// The decimal digits of `value`.
  @inline(__always)
  mutating func decimal(_ value: UInt64) {
    if value < 10 {
      byte(UInt8(truncatingIfNeeded: value) &+ 0x30)
      return
    }
    var digits = 1
    var power: UInt64 = 10
    while digits < 20 && value >= power {
      digits &+= 1
      power = power &* 10
    }
    var v = value
    var i = count &+ digits
    while v >= 10 {
      i &-= 1
      base[i] = UInt8(truncatingIfNeeded: v % 10) &+ 0x30
      v /= 10
    }
    base[i &- 1] = UInt8(truncatingIfNeeded: v) &+ 0x30
    count &+= digits
  }

  /// An IPv4 address in dotted-quad form.
  @inline(__always)
  mutating func ipv4(_ address: UInt32) {
    octet(UInt8(truncatingIfNeeded: address >> 24))
    byte(UInt8(ascii: "."))
    octet(UInt8(truncatingIfNeeded: address >> 16))
    byte(UInt8(ascii: "."))
    octet(UInt8(truncatingIfNeeded: address >> 8))
    byte(UInt8(ascii: "."))
    octet(UInt8(truncatingIfNeeded: address))
  }

  @inline(__always)
  private mutating func octet(_ o: UInt8) {
    if o >= 100 {
      byte(o / 100 &+ 0x30)
      byte(o / 10 % 10 &+ 0x30)
    } else if o >= 10 {
      byte(o / 10 &+ 0x30)
    }
    byte(o % 10 &+ 0x30)
  }
}

/// Lower-case hexadecimal helpers for building identifiers.
enum Hex {
  static let digits: [UInt8] = Array("0123456789abcdef".utf8)

  /// `count` hex digits of `value`'s low bits, most significant first, zero-padded.
  static func fixed(_ value: UInt64, digits count: Int) -> String {
    var out = [UInt8](repeating: 0x30, count: count)
    var v = value
    for i in stride(from: count - 1, through: 0, by: -1) {
      out[i] = digits[Int(v & 0xF)]
      v >>= 4
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// A 16-bit group as IPv6 text writes it: no leading zeros.
  static func group(_ value: UInt16) -> String {
    String(value, radix: 16)
  }
}
