/// Decodes Parquet's RLE/bit-packed hybrid encoding (definition levels and dictionary indices):
/// runs of one repeated value, and groups of eight bit-packed values, least significant bit first.
struct RLEBitPackedDecoder {
  private let bytes: UnsafeRawBufferPointer
  private var position = 0
  private let bitWidth: Int
  /// The current run: values left, and for an RLE run its value.
  private var runLeft = 0
  private var runIsRLE = false
  private var runValue: UInt32 = 0
  /// The bit offset of the next bit-packed value.
  private var bitOffset = 0

  /// A decoder of `bytes` holding values `bitWidth` bits wide (0 to 32).
  init(_ bytes: UnsafeRawBufferPointer, bitWidth: Int) throws(ParquetError) {
    guard bitWidth >= 0, bitWidth <= 32 else { throw .corrupt("RLE bit width \(bitWidth) is out of range") }
    self.bytes = bytes
    self.bitWidth = bitWidth
  }

  private mutating func readVarint() throws(ParquetError) -> UInt64 {
    var value: UInt64 = 0
    var shift: UInt64 = 0
    while true {
      guard position < bytes.count else { throw .corrupt("RLE data is truncated") }
      let b = bytes[position]
      position += 1
      guard shift < 64 else { throw .corrupt("RLE run header is too long") }
      value |= UInt64(b & 0x7F) << shift
      if b & 0x80 == 0 { return value }
      shift += 7
    }
  }

  private mutating func startRun() throws(ParquetError) {
    let header = try readVarint()
    if header & 1 == 0 {
      let count = header >> 1
      let width = (bitWidth + 7) / 8
      guard count > 0, count <= UInt64(Int32.max), bytes.count - position >= width else {
        throw .corrupt("RLE run is empty or truncated")
      }
      var value: UInt32 = 0
      for i in 0..<width { value |= UInt32(bytes[position + i]) << (8 * UInt32(i)) }
      position += width
      runIsRLE = true
      runValue = value
      runLeft = Int(count)
    } else {
      let groups = header >> 1
      guard groups > 0, groups <= UInt64(bytes.count) else { throw .corrupt("bit-packed run is empty or truncated") }
      let byteCount = Int(groups) * bitWidth
      // The last group may be cut short in the page when it pads past the values: read what is there.
      let available = min(byteCount, bytes.count - position)
      runIsRLE = false
      runLeft = min(Int(groups) * 8, bitWidth == 0 ? Int(groups) * 8 : available * 8 / bitWidth)
      bitOffset = position * 8
      position += available
      guard runLeft > 0 else { throw .corrupt("bit-packed run is truncated") }
    }
  }

  /// Reads the next `count` values into `out`: a run at a time, bit-packed values without a
  /// call or a bounds check each (where eight bytes from a value's first are in the data).
  mutating func read(into out: UnsafeMutablePointer<UInt32>, count: Int) throws(ParquetError) {
    var done = 0
    while done < count {
      if runLeft == 0 { try startRun() }
      let n = min(runLeft, count - done)
      if runIsRLE || bitWidth == 0 {
        (out + done).update(repeating: runIsRLE ? runValue : 0, count: n)
      } else {
        let width = bitWidth
        let mask = (UInt64(1) << UInt64(width)) - 1
        let base = bytes.baseAddress!
        let wideEnd = bytes.count - 8
        var bit = bitOffset
        for k in 0..<n {
          let firstByte = bit >> 3
          var value: UInt64 = 0
          if firstByte <= wideEnd {
            value = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: firstByte, as: UInt64.self))
          } else {
            let needed = ((bit & 7) + width + 7) >> 3
            for i in 0..<needed { value |= UInt64(bytes[firstByte + i]) << (8 * UInt64(i)) }
          }
          out[done &+ k] = UInt32(truncatingIfNeeded: (value >> UInt64(bit & 7)) & mask)
          bit &+= width
        }
        bitOffset = bit
      }
      runLeft -= n
      done += n
    }
  }

  /// The next value.
  @inline(__always)
  mutating func next() throws(ParquetError) -> UInt32 {
    if runLeft == 0 { try startRun() }
    runLeft -= 1
    if runIsRLE { return runValue }
    if bitWidth == 0 { return 0 }
    var value: UInt64 = 0
    let firstByte = bitOffset >> 3
    let shift = bitOffset & 7
    if firstByte &+ 8 <= bytes.count {
      // A value (at most 32 bits, after at most 7) lies within the eight bytes from its first.
      value = UInt64(littleEndian: bytes.baseAddress!.loadUnaligned(fromByteOffset: firstByte, as: UInt64.self))
    } else {
      let needed = (shift + bitWidth + 7) >> 3
      for i in 0..<needed { value |= UInt64(bytes[firstByte + i]) << (8 * UInt64(i)) }
    }
    bitOffset &+= bitWidth
    return UInt32(truncatingIfNeeded: (value >> UInt64(shift)) & ((1 << UInt64(bitWidth)) - 1))
  }
}
