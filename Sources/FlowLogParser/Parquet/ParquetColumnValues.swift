/// The decoded values of one column of one row group, one slot per row, in memory of its own that
/// is reused from row group to row group (it only grows). A plain value of pointers, so that
/// reading it per row takes no reference counting; its owner (``ParquetColumnReader``) frees it
/// with ``deallocate()``, and a copy that grew must be stored back before anything else reads it.
///
/// Fixed-width values (INT32, INT64, BOOLEAN, FLOAT and DOUBLE as their bit patterns) are in
/// `integers`; byte arrays (BYTE_ARRAY, FIXED_LEN_BYTE_ARRAY, INT96) are runs of `bytes` between
/// consecutive `offsets`, or, when dictionary-encoded, an index into the dictionary (see
/// ``bytes(_:dictionary:)``). A null row is not `present` and holds an empty value.
struct ParquetColumnValues {
  /// Whether the values are byte arrays rather than fixed-width numbers.
  private(set) var holdsBytes = false
  private(set) var count = 0
  private var capacity = 0
  private(set) var present: UnsafeMutablePointer<Bool>
  private(set) var integers: UnsafeMutablePointer<Int64>
  /// `capacity + 1` entries: value `i` is `bytes[offsets[i]..<offsets[i + 1]]`.
  private(set) var offsets: UnsafeMutablePointer<Int>
  private(set) var bytes: UnsafeMutablePointer<UInt8>
  private var byteCount = 0
  private var byteCapacity = 0

  init() {
    present = .allocate(capacity: 1)
    integers = .allocate(capacity: 1)
    offsets = .allocate(capacity: 2)
    bytes = .allocate(capacity: 1)
    capacity = 1
    byteCapacity = 1
    offsets[0] = 0
  }

  func deallocate() {
    present.deallocate()
    integers.deallocate()
    offsets.deallocate()
    bytes.deallocate()
  }

  /// Empties the values for a row group of up to `rows` rows (more still fit: they grow).
  mutating func reset(holdsBytes: Bool, capacity rows: Int) {
    self.holdsBytes = holdsBytes
    count = 0
    byteCount = 0
    if rows > capacity { grow(to: rows) }
    offsets[0] = 0
  }

  private mutating func grow(to newCapacity: Int) {
    let newPresent = UnsafeMutablePointer<Bool>.allocate(capacity: newCapacity)
    newPresent.update(from: present, count: count)
    present.deallocate()
    present = newPresent
    let newIntegers = UnsafeMutablePointer<Int64>.allocate(capacity: newCapacity)
    newIntegers.update(from: integers, count: count)
    integers.deallocate()
    integers = newIntegers
    let newOffsets = UnsafeMutablePointer<Int>.allocate(capacity: newCapacity + 1)
    newOffsets.update(from: offsets, count: count + 1)
    offsets.deallocate()
    offsets = newOffsets
    capacity = newCapacity
  }

  private mutating func reserveBytes(_ extra: Int) {
    guard byteCount + extra > byteCapacity else { return }
    let newCapacity = max(byteCount + extra, byteCapacity * 2)
    let newBytes = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
    newBytes.update(from: bytes, count: byteCount)
    bytes.deallocate()
    bytes = newBytes
    byteCapacity = newCapacity
  }

  @inline(__always)
  private mutating func nextSlot() -> Int {
    if count == capacity { grow(to: capacity * 2) }
    count += 1
    return count - 1
  }

  @inline(__always)
  mutating func appendNull() {
    let i = nextSlot()
    present[i] = false
    integers[i] = 0
    offsets[i + 1] = byteCount
  }

  @inline(__always)
  mutating func append(integer: Int64) {
    let i = nextSlot()
    present[i] = true
    integers[i] = integer
    offsets[i + 1] = byteCount
  }

  @inline(__always)
  mutating func append(bytes value: UnsafeRawBufferPointer) {
    reserveBytes(value.count)
    let i = nextSlot()
    present[i] = true
    integers[i] = 0
    if let source = value.baseAddress, value.count > 0 {
      (bytes + byteCount).update(from: source.assumingMemoryBound(to: UInt8.self), count: value.count)
    }
    byteCount += value.count
    offsets[i + 1] = byteCount
  }

  /// Appends value `index` of `dictionary` (which the caller has checked is below its count).
  /// A byte array is not copied: the slot keeps `index + 1` in `integers` (0 marks a value of
  /// its own), and ``bytes(_:dictionary:)`` finds its bytes in the dictionary.
  @inline(__always)
  mutating func append(from dictionary: ParquetColumnValues, at index: Int) {
    if holdsBytes {
      let i = nextSlot()
      present[i] = true
      integers[i] = Int64(index) &+ 1
      offsets[i + 1] = byteCount
    } else {
      append(integer: dictionary.integers[index])
    }
  }

  /// Appends the `count` values of `dictionary` at `indices`, none null; false (nothing appended)
  /// when an index is past the dictionary's end. One loop without a call or a check per value.
  mutating func append(
    from dictionary: ParquetColumnValues, indices: UnsafePointer<UInt32>, count: Int
  ) -> Bool {
    let size = UInt32(truncatingIfNeeded: dictionary.count)
    var worst: UInt32 = 0
    for k in 0..<count { worst = Swift.max(worst, indices[k]) }
    guard count == 0 || worst < size else { return false }
    if self.count + count > capacity { grow(to: Swift.max(capacity * 2, self.count + count)) }
    let first = self.count
    (present + first).update(repeating: true, count: count)
    (offsets + first + 1).update(repeating: byteCount, count: count)
    let slots = integers + first
    if holdsBytes {
      for k in 0..<count { slots[k] = Int64(indices[k]) &+ 1 }
    } else {
      let values = dictionary.integers
      for k in 0..<count { slots[k] = values[Int(indices[k])] }
    }
    self.count += count
    return true
  }

  /// The bytes of value `row` of byte-array values, whose dictionary-encoded slots refer to `dictionary`.
  @inline(__always)
  func bytes(_ row: Int, dictionary: ParquetColumnValues) -> UnsafeRawBufferPointer {
    let reference = integers[row]
    if reference != 0 {
      let index = Int(truncatingIfNeeded: reference &- 1)
      let start = dictionary.offsets[index]
      return UnsafeRawBufferPointer(start: dictionary.bytes + start, count: dictionary.offsets[index + 1] - start)
    }
    let start = offsets[row]
    return UnsafeRawBufferPointer(start: bytes + start, count: offsets[row + 1] - start)
  }
}
