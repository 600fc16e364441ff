/// Filling a record straight from a row's values: each value is checked and converted by the
/// same functions ``RecordDecoder`` applies to a text token of its field (``RecordDecoder/fieldInteger(_:kind:max:)``,
/// ``RecordDecoder/addressToken(_:)``, ``RecordDecoder/action(_:)``, …), text values once per
/// dictionary entry. Any row this path does not accept as it stands — a bad value, a null given
/// as `-`, a number that must become an address, a row too long — goes down the text path
/// (rendered and decoded as a line), which decides it and reports it exactly as before.
extension FlowLogReader {
  /// What filling a row gave: its fields, action and log status, the length of the text the row
  /// renders to (what ``InputCounts/decodedBytes`` counts), and the end of its text fields in the buffer.
  struct FilledRow {
    var fields: FieldSet
    var action: UInt8
    var logStatus: UInt8
    var renderedLength: Int
    var textEnd: Int
  }

  /// Fills the decoder's slots from row `row` of `columns`, text fields copied to the reader's
  /// buffer; nil when the row must take the text path. `capacity` is the longest line accepted.
  @inline(__always)
  func fillRow(_ row: Int, columns: UnsafeBufferPointer<ParquetColumnView>, capacity: Int) -> FilledRow? {
    let storage = decoder.storage
    let integers = storage.integers
    let addresses = storage.addresses
    let base = buffer.baseAddress!
    var present = FieldSet()
    var action: UInt8 = .max
    var logStatus: UInt8 = .max
    var length = columns.count - 1  // the separators
    var textEnd = 0
    // Through a pointer: a column's view is read field by field, never copied whole.
    let first = columns.baseAddress!
    for index in 0..<columns.count {
      let column = first + index
      let slot = Int(column.pointee.slot)
      guard column.pointee.values.present[row] else {
        length &+= 1  // `-`
        continue
      }
      let number: UInt64
      switch column.pointee.kind {
      case .text:
        let target = column.pointee.target
        let reference = Int(truncatingIfNeeded: column.pointee.values.integers[row]) &- 1
        if reference >= 0 && reference < column.pointee.parsedCount, let dictionary = column.pointee.parsedDictionary {
          // A dictionary entry, decoded once for the chunk.
          let parsed = dictionary + reference
          guard parsed.pointee.usable else { return nil }
          length &+= Int(parsed.pointee.length)
          switch target {
          case .integer, .timestamp: integers[slot] = parsed.pointee.integer
          case .address: addresses[slot] = parsed.pointee.address
          case .action: action = parsed.pointee.small
          case .logStatus: logStatus = parsed.pointee.small
          case .text:
            let token = column.pointee.values.bytes(row, dictionary: column.pointee.dictionary)
            guard copyText(token, slot: slot, base: base, end: &textEnd, capacity: capacity) else { return nil }
          case .unknown: return nil
          }
        } else {
          let token = column.pointee.values.bytes(row, dictionary: column.pointee.dictionary)
          let parsed = ParquetParsedValue.parse(token, as: target, max: column.pointee.largest)
          guard parsed.usable else { return nil }
          length &+= token.count
          switch target {
          case .integer, .timestamp: integers[slot] = parsed.integer
          case .address: addresses[slot] = parsed.address
          case .action: action = parsed.small
          case .logStatus: logStatus = parsed.small
          case .text:
            guard copyText(token, slot: slot, base: base, end: &textEnd, capacity: capacity) else { return nil }
          case .unknown: return nil
          }
        }
        present.insert(rawValue: column.pointee.slot)
        continue
      case .signed:
        let value = column.pointee.values.integers[row]
        guard value >= 0 else { return nil }
        number = UInt64(value)
      case .unsigned32: number = UInt64(UInt32(truncatingIfNeeded: column.pointee.values.integers[row]))
      case .unsigned64: number = UInt64(bitPattern: column.pointee.values.integers[row])
      case .timestamp:
        let value = column.pointee.values.integers[row]
        guard value >= 0 else { return nil }
        number = UInt64(value / column.pointee.perSecond)
      case .floatingPoint, .never: return nil
      }
      let digits = Self.decimalDigits(number)
      length &+= digits
      let target = column.pointee.target
      switch target {
      case .integer, .timestamp:
        guard let value = RecordDecoder.fieldInteger(number, kind: target, max: column.pointee.largest) else {
          return nil
        }
        integers[slot] = value
      case .text:
        var end = textEnd
        guard Self.writeDecimal(number, negative: false, base: base, at: &end, capacity: capacity) else { return nil }
        decoder.storage.texts[slot] = TextRange(
          start: UInt32(truncatingIfNeeded: textEnd), count: UInt32(truncatingIfNeeded: digits))
        textEnd = end
      case .address, .action, .logStatus, .unknown: return nil
      }
      present.insert(rawValue: column.pointee.slot)
    }
    guard length <= capacity else { return nil }
    return FilledRow(fields: present, action: action, logStatus: logStatus, renderedLength: length, textEnd: textEnd)
  }

  /// Copies the text `token` to the buffer at `end` as the value of field `slot`; false when it does not fit.
  @inline(__always)
  private func copyText(
    _ token: UnsafeRawBufferPointer, slot: Int, base: UnsafeMutableRawPointer, end: inout Int, capacity: Int
  ) -> Bool {
    guard token.count <= capacity - end else { return false }
    (base + end).copyMemory(from: token.baseAddress!, byteCount: token.count)
    decoder.storage.texts[slot] = TextRange(
      start: UInt32(truncatingIfNeeded: end), count: UInt32(truncatingIfNeeded: token.count))
    end += token.count
    return true
  }

  /// The number of decimal digits of `value`.
  @inline(__always)
  static func decimalDigits(_ value: UInt64) -> Int {
    // log10 from the bit length (1233/4096 ≈ log10 2), then one comparison with the power of ten.
    // `value | 1` counts 0 as one digit and crosses no power of ten (they are even).
    let odd = value | 1
    let bits = 64 - odd.leadingZeroBitCount
    let estimate = (bits &* 1233) >> 12
    return estimate + (odd >= RecordDecoder.powerOfTen(estimate) ? 1 : 0)
  }
}
