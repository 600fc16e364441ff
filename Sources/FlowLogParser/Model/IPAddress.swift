/// An IPv4 or IPv6 address in a compact, fixed-size form.
///
/// An IPv6 address is its 128 bits as two big-endian halves. An IPv4 address keeps its 32 bits in
/// the low bits of `low` with `high` zero, and is told apart from `::a.b.c.d` by `isIPv6`.
public struct IPAddress: Hashable, Sendable, Comparable {
  /// The first 64 bits of an IPv6 address; zero for IPv4.
  public var high: UInt64
  /// The last 64 bits of an IPv6 address, or the IPv4 address in the low 32 bits.
  public var low: UInt64
  /// True for an IPv6 address.
  public var isIPv6: Bool

  /// An IPv4 address from its 32-bit value (`0x0A000001` is 10.0.0.1).
  public init(ipv4 value: UInt32) {
    high = 0
    low = UInt64(value)
    isIPv6 = false
  }

  /// An IPv6 address from its two 64-bit halves, most significant first.
  public init(ipv6High high: UInt64, low: UInt64) {
    self.high = high
    self.low = low
    isIPv6 = true
  }

  /// The IPv4 value; only meaningful when `isIPv6` is false.
  public var ipv4: UInt32 { UInt32(truncatingIfNeeded: low) }

  /// The number of bits in an address of this family: 32 or 128.
  public var bitWidth: Int { isIPv6 ? 128 : 32 }

  /// The address with every bit after the first `prefixLength` bits cleared.
  public func masked(toPrefix prefixLength: Int) -> IPAddress {
    var result = self
    if isIPv6 {
      let n = max(0, min(128, prefixLength))
      if n == 0 {
        result.high = 0
        result.low = 0
      } else if n <= 64 {
        result.high &= n == 64 ? .max : ~(UInt64.max >> UInt64(n))
        result.low = 0
      } else {
        result.low &= n == 128 ? .max : ~(UInt64.max >> UInt64(n - 64))
      }
    } else {
      let n = max(0, min(32, prefixLength))
      let mask: UInt32 = n == 0 ? 0 : ~(UInt32.max >> UInt32(n)) | (n == 32 ? .max : 0)
      result.low = UInt64(ipv4 & mask)
    }
    return result
  }

  public static func < (a: IPAddress, b: IPAddress) -> Bool {
    if a.isIPv6 != b.isIPv6 { return !a.isIPv6 }
    return (a.high, a.low) < (b.high, b.low)
  }

  /// Parses IPv4 dotted-quad text or any RFC 4291 IPv6 text form (`::`, embedded IPv4).
  /// Returns nil for anything else; never traps.
  public init?(text: some StringProtocol) {
    guard let address = Array(text.utf8).withUnsafeBytes({ IPAddress(bytes: $0) }) else { return nil }
    self = address
  }

  /// Parses an address from the bytes of a token, without allocating.
  public init?(bytes: UnsafeRawBufferPointer) {
    if let value = Self.parseIPv4(bytes) {
      self.init(ipv4: value)
    } else if let (high, low) = Self.parseIPv6(bytes) {
      self.init(ipv6High: high, low: low)
    } else {
      return nil
    }
  }

  @inline(__always)
  static func parseIPv4(_ bytes: UnsafeRawBufferPointer) -> UInt32? {
    let count = bytes.count
    guard count >= 7, count <= 15 else { return nil }
    var value: UInt32 = 0
    var octet: UInt32 = 0
    var digits = 0
    var dots = 0
    for i in 0..<count {
      let c = bytes[i]
      let d = c &- 0x30
      if d <= 9 {
        // A leading zero ("01") is rejected, as inet_pton does.
        if digits == 1 && octet == 0 { return nil }
        octet = octet &* 10 &+ UInt32(d)
        digits += 1
        if digits > 3 || octet > 255 { return nil }
      } else if c == UInt8(ascii: ".") {
        if digits == 0 || dots == 3 { return nil }
        value = value << 8 | octet
        octet = 0
        digits = 0
        dots += 1
      } else {
        return nil
      }
    }
    guard dots == 3, digits > 0 else { return nil }
    return value << 8 | octet
  }

  static func parseIPv6(_ bytes: UnsafeRawBufferPointer) -> (UInt64, UInt64)? {
    let count = bytes.count
    guard count >= 2, count <= 45 else { return nil }
    var groups: (UInt16, UInt16, UInt16, UInt16, UInt16, UInt16, UInt16, UInt16) = (0, 0, 0, 0, 0, 0, 0, 0)
    var groupCount = 0
    var gapAt = -1  // index in groups where "::" stands
    var i = 0

    @inline(__always) func set(_ index: Int, _ value: UInt16) {
      withUnsafeMutableBytes(of: &groups) { $0.storeBytes(of: value, toByteOffset: index * 2, as: UInt16.self) }
    }

    if bytes[0] == UInt8(ascii: ":") {
      guard bytes[1] == UInt8(ascii: ":") else { return nil }
      gapAt = 0
      i = 2
      if i == count { return (0, 0) }
    }
    while i < count {
      // One group of 1-4 hex digits, or an embedded IPv4 address in the last 32 bits.
      let groupStart = i
      var value: UInt32 = 0
      var digits = 0
      while i < count, let h = Self.hexValue(bytes[i]) {
        value = value << 4 | UInt32(h)
        digits += 1
        i += 1
        if digits > 4 { return nil }
      }
      if i < count, bytes[i] == UInt8(ascii: ".") {
        // Embedded IPv4: must be the final part and fit in two groups.
        guard groupCount <= 6,
          let v4 = Self.parseIPv4(UnsafeRawBufferPointer(rebasing: bytes[groupStart..<count]))
        else { return nil }
        set(groupCount, UInt16(truncatingIfNeeded: v4 >> 16))
        set(groupCount + 1, UInt16(truncatingIfNeeded: v4))
        groupCount += 2
        i = count
        break
      }
      guard digits > 0, groupCount < 8 else { return nil }
      set(groupCount, UInt16(value))
      groupCount += 1
      if i == count { break }
      guard bytes[i] == UInt8(ascii: ":"), i + 1 < count else { return nil }
      i += 1
      if bytes[i] == UInt8(ascii: ":") {
        guard gapAt < 0 else { return nil }
        gapAt = groupCount
        i += 1
        if i == count { break }
      }
    }
    if gapAt >= 0 {
      // "::" stands for at least one zero group.
      guard groupCount <= 7 else { return nil }
      let shift = 8 - groupCount
      var expanded: (UInt16, UInt16, UInt16, UInt16, UInt16, UInt16, UInt16, UInt16) = (0, 0, 0, 0, 0, 0, 0, 0)
      withUnsafeBytes(of: groups) { src in
        withUnsafeMutableBytes(of: &expanded) { dst in
          for g in 0..<groupCount {
            let value = src.load(fromByteOffset: g * 2, as: UInt16.self)
            let target = g < gapAt ? g : g + shift
            dst.storeBytes(of: value, toByteOffset: target * 2, as: UInt16.self)
          }
        }
      }
      groups = expanded
    } else if groupCount != 8 {
      return nil
    }
    return withUnsafeBytes(of: groups) { raw in
      var high: UInt64 = 0
      var low: UInt64 = 0
      for g in 0..<4 { high = high << 16 | UInt64(raw.load(fromByteOffset: g * 2, as: UInt16.self)) }
      for g in 4..<8 { low = low << 16 | UInt64(raw.load(fromByteOffset: g * 2, as: UInt16.self)) }
      return (high, low)
    }
  }

  @inline(__always)
  static func hexValue(_ c: UInt8) -> UInt8? {
    let d = c &- 0x30
    if d <= 9 { return d }
    let l = (c | 0x20) &- 0x61
    if l <= 5 { return l + 10 }
    return nil
  }
}

extension IPAddress: CustomStringConvertible {
  /// Dotted-quad for IPv4; RFC 5952 canonical text for IPv6 (lower case, no leading zeros,
  /// the longest run of two or more zero groups as `::`, the first such run on a tie).
  public var description: String {
    var buffer = [UInt8]()
    buffer.reserveCapacity(39)
    append(to: &buffer)
    return String(decoding: buffer, as: UTF8.self)
  }

  /// Appends the canonical text of the address to `buffer`, without allocating.
  public func append(to buffer: inout [UInt8]) {
    if !isIPv6 {
      let v = ipv4
      Self.appendDecimal(Int(v >> 24), to: &buffer)
      buffer.append(UInt8(ascii: "."))
      Self.appendDecimal(Int((v >> 16) & 0xFF), to: &buffer)
      buffer.append(UInt8(ascii: "."))
      Self.appendDecimal(Int((v >> 8) & 0xFF), to: &buffer)
      buffer.append(UInt8(ascii: "."))
      Self.appendDecimal(Int(v & 0xFF), to: &buffer)
      return
    }
    @inline(__always) func group(_ g: Int) -> UInt16 {
      g < 4
        ? UInt16(truncatingIfNeeded: high >> UInt64(48 - 16 * g))
        : UInt16(truncatingIfNeeded: low >> UInt64(48 - 16 * (g - 4)))
    }
    // The longest run of two or more zero groups; the first one on a tie (RFC 5952 4.2.3).
    var bestStart = -1
    var bestLength = 1
    var g = 0
    while g < 8 {
      if group(g) == 0 {
        var e = g
        while e < 8, group(e) == 0 { e += 1 }
        if e - g > bestLength {
          bestStart = g
          bestLength = e - g
        }
        g = e
      } else {
        g += 1
      }
    }
    g = 0
    while g < 8 {
      if g == bestStart {
        buffer.append(UInt8(ascii: ":"))
        if g == 0 { buffer.append(UInt8(ascii: ":")) }
        g += bestLength
        continue
      }
      Self.appendHex(group(g), to: &buffer)
      if g < 7 { buffer.append(UInt8(ascii: ":")) }
      g += 1
    }
  }

  static func appendDecimal(_ value: Int, to buffer: inout [UInt8]) {
    if value >= 100 { buffer.append(UInt8(0x30 + value / 100)) }
    if value >= 10 { buffer.append(UInt8(0x30 + (value / 10) % 10)) }
    buffer.append(UInt8(0x30 + value % 10))
  }

  static func appendHex(_ value: UInt16, to buffer: inout [UInt8]) {
    var started = false
    for shift in stride(from: 12, through: 0, by: -4) {
      let nibble = UInt8((value >> UInt16(shift)) & 0xF)
      if nibble != 0 || started || shift == 0 {
        buffer.append(nibble < 10 ? 0x30 + nibble : 0x57 + nibble)
        started = true
      }
    }
  }
}
