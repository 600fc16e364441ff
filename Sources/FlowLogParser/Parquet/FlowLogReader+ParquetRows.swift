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
    let texts = storage.texts
    let base = buffer.baseAddress!
    var present = FieldSet()
    var action: UInt8 = .max
    var logStatus: UInt8 = .max
    var length = columns.count - 1  // the separators
    var textEnd = 0
    for index in 0..<columns.count {
      let column = columns[index]
      let values = column.values
      let slot = Int(column.slot)
      guard values.present[row] else {
        length += 1  // `-`
        continue
      }
      let number: UInt64
      switch column.kind {
      case .text:
        let token = values.bytes(row, dictionary: column.dictionary)
        length += token.count
        let reference = Int(truncatingIfNeeded: values.integers[row]) &- 1
        let parsed: ParquetParsedValue
        if reference >= 0, reference < column.parsedCount, let dictionary = column.parsedDictionary {
          parsed = dictionary[reference]
        } else {
          parsed = .parse(token, as: column.target, max: column.largest)
        }
        guard parsed.usable else { return nil }
        switch column.target {
        case .integer, .timestamp: integers[slot] = parsed.integer
        case .address: addresses[slot] = parsed.address
        case .action: action = parsed.small
        case .logStatus: logStatus = parsed.small
        case .text:
          guard token.count <= capacity - textEnd else { return nil }
          (base + textEnd).copyMemory(from: token.baseAddress!, byteCount: token.count)
          texts[slot] = TextRange(
            start: UInt32(truncatingIfNeeded: textEnd), count: UInt32(truncatingIfNeeded: token.count))
          textEnd += token.count
        case .unknown: return nil
        }
        present.insert(rawValue: column.slot)
        continue
      case .signed:
        let value = values.integers[row]
        guard value >= 0 else { return nil }
        number = UInt64(value)
      case .unsigned32: number = UInt64(UInt32(truncatingIfNeeded: values.integers[row]))
      case .unsigned64: number = UInt64(bitPattern: values.integers[row])
      case .timestamp:
        let value = values.integers[row]
        guard value >= 0 else { return nil }
        number = UInt64(value / column.perSecond)
      case .floatingPoint, .never: return nil
      }
      let digits = Self.decimalDigits(number)
      length += digits
      switch column.target {
      case .integer, .timestamp:
        guard let value = RecordDecoder.fieldInteger(number, kind: column.target, max: column.largest) else { return nil }
        integers[slot] = value
      case .text:
        var end = textEnd
        guard Self.writeDecimal(number, negative: false, base: base, at: &end, capacity: capacity) else { return nil }
        texts[slot] = TextRange(start: UInt32(truncatingIfNeeded: textEnd), count: UInt32(truncatingIfNeeded: digits))
        textEnd = end
      case .address, .action, .logStatus, .unknown: return nil
      }
      present.insert(rawValue: column.slot)
    }
    guard length <= capacity else { return nil }
    return FilledRow(fields: present, action: action, logStatus: logStatus, renderedLength: length, textEnd: textEnd)
  }

  /// The number of decimal digits of `value`.
  @inline(__always)
  static func decimalDigits(_ value: UInt64) -> Int {
    // log10 from the bit length (1233/4096 ≈ log10 2), then one comparison with the power of ten.
    // `value | 1` counts 0 as one digit and crosses no power of ten (they are even).
    let odd = value | 1
    let bits = 64 - odd.leadingZeroBitCount
    let estimate = (bits &* 1233) >> 12
    return estimate + (odd >= powerOfTen(estimate) ? 1 : 0)
  }

  /// 10^n for n in 0…19.
  @inline(__always)
  private static func powerOfTen(_ n: Int) -> UInt64 {
    n <= 8
      ? RecordDecoder.powerOfTen(n)
      : n <= 16 ? 100_000_000 &* RecordDecoder.powerOfTen(n - 8) : 10_000_000_000_000_000 &* RecordDecoder.powerOfTen(n - 16)
  }
}
