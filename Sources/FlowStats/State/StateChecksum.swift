/// CRC-32 (IEEE 802.3, the checksum of gzip and zlib's `crc32`) of the partial-state body. Computed
/// here rather than through zlib so that FlowStats does not link a compression library for it.
enum StateChecksum {
  private static let table: [UInt32] = (0..<256).map { n in
    var c = UInt32(n)
    for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
    return c
  }

  /// The CRC-32 of `bytes[range]`.
  static func crc32(_ bytes: [UInt8], _ range: Range<Int>) -> UInt32 {
    var c: UInt32 = 0xFFFF_FFFF
    table.withUnsafeBufferPointer { t in
      for i in range { c = t[Int((c ^ UInt32(bytes[i])) & 0xFF)] ^ (c >> 8) }
    }
    return c ^ 0xFFFF_FFFF
  }

  /// A stable 64-bit FNV-1a hash (not Swift's `Hasher`, which is seeded per process), for the
  /// policy fingerprint.
  static func fnv1a64(_ bytes: some Sequence<UInt8>) -> UInt64 {
    var h: UInt64 = 0xCBF2_9CE4_8422_2325
    for b in bytes { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
    return h
  }
}
