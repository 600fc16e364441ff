/// The decoded values of one column of one row group, one slot per row, reused from row group to
/// row group (the arrays keep their capacity).
///
/// Fixed-width values (INT32, INT64, BOOLEAN, FLOAT and DOUBLE as their bit patterns) are in
/// `integers`; byte arrays (BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY, INT96) are runs of `bytes` between
/// consecutive `offsets`. A null row is not `present` and holds an empty value.
struct ParquetColumnValues {
  /// Whether the values are byte arrays rather than fixed-width numbers.
  var holdsBytes = false
  var present: [Bool] = []
  var integers: [Int64] = []
  var offsets: [Int] = [0]
  var bytes: [UInt8] = []

  var count: Int { present.count }

  mutating func reset(holdsBytes: Bool, capacity: Int) {
    self.holdsBytes = holdsBytes
    present.removeAll(keepingCapacity: true)
    present.reserveCapacity(capacity)
    integers.removeAll(keepingCapacity: true)
    offsets.removeAll(keepingCapacity: true)
    offsets.append(0)
    bytes.removeAll(keepingCapacity: true)
    if holdsBytes { offsets.reserveCapacity(capacity + 1) } else { integers.reserveCapacity(capacity) }
  }

  @inline(__always)
  mutating func appendNull() {
    present.append(false)
    if holdsBytes { offsets.append(bytes.count) } else { integers.append(0) }
  }

  @inline(__always)
  mutating func append(integer: Int64) {
    present.append(true)
    integers.append(integer)
  }

  @inline(__always)
  mutating func append(bytes value: UnsafeRawBufferPointer) {
    present.append(true)
    bytes.append(contentsOf: value)
    offsets.append(bytes.count)
  }

  /// Appends value `index` of `dictionary`.
  @inline(__always)
  mutating func append(from dictionary: ParquetColumnValues, at index: Int) {
    present.append(true)
    if holdsBytes {
      bytes.append(contentsOf: dictionary.bytes[dictionary.offsets[index]..<dictionary.offsets[index + 1]])
      offsets.append(bytes.count)
    } else {
      integers.append(dictionary.integers[index])
    }
  }
}
