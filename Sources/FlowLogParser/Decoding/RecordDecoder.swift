/// Decodes record lines of one layout into ``FlowRecord``s.
///
/// Decoding is one pass over the line: each token is cut at the next space (runs of spaces count
/// as one separator) and decoded by its column's kind. Nothing is allocated per record.
public final class RecordDecoder {
  /// The layout lines are decoded with.
  public private(set) var layout: FlowLayout
  /// The plan of the layout's columns, in memory of its own: reading it per record takes no
  /// reference counting (an array and the closure of `withUnsafeBufferPointer` took 5 % of a summary).
  private var plan: UnsafeMutableBufferPointer<ColumnPlan>
  /// The slots of the record being decoded; a reader that fills them itself makes its record with
  /// ``record(fields:line:action:logStatus:)``.
  let storage = RecordStorage()
  // The storage's slots, held here so that the per-record path reads no class property.
  private let integers: UnsafeMutablePointer<UInt64>
  private let addresses: UnsafeMutablePointer<IPAddress>
  private let texts: UnsafeMutablePointer<TextRange>

  /// A decoder for lines of `layout`.
  public init(layout: FlowLayout) {
    self.layout = layout
    self.plan = Self.makePlan(layout)
    integers = storage.integers
    addresses = storage.addresses
    texts = storage.texts
  }

  deinit { plan.deallocate() }

  /// Switches to another layout, as when a header line appears mid-stream.
  public func setLayout(_ layout: FlowLayout) {
    self.layout = layout
    plan.deallocate()
    plan = Self.makePlan(layout)
  }

  // Offsets in the decoding loops advance with wrapping arithmetic (`&+=`): they never pass the
  // line's length, and an overflow check per byte was a measured 3 % of decoding.

  /// What to do with one column. Every column is checked the same way whatever the caller reads,
  /// so that a line is a record (or malformed, for the same reason) in every command.
  struct ColumnPlan {
    enum Kind: UInt8 { case integer, timestamp, address, action, logStatus, text, unknown }
    var kind: Kind
    var field: UInt8
    var max: UInt64
  }

  private static func makePlan(_ layout: FlowLayout) -> UnsafeMutableBufferPointer<ColumnPlan> {
    let columns = layout.columns.map { column in
      guard case .field(let field) = column else {
        // A column the header names but flowlens does not know: its value is kept nowhere, but
        // it is still an identifier-like token, checked for control bytes.
        return ColumnPlan(kind: .unknown, field: 0, max: 0)
      }
      switch field.kind {
      case .integer(let max): return ColumnPlan(kind: .integer, field: field.rawValue, max: max)
      case .timestamp: return ColumnPlan(kind: .timestamp, field: field.rawValue, max: .max)
      case .address: return ColumnPlan(kind: .address, field: field.rawValue, max: 0)
      case .action: return ColumnPlan(kind: .action, field: field.rawValue, max: 0)
      case .logStatus: return ColumnPlan(kind: .logStatus, field: field.rawValue, max: 0)
      case .text: return ColumnPlan(kind: .text, field: field.rawValue, max: 0)
      }
    }
    let plan = UnsafeMutableBufferPointer<ColumnPlan>.allocate(capacity: columns.count)
    _ = plan.initialize(from: columns)
    return plan
  }

  /// A record of the values a reader put in ``storage`` itself, its text fields ranges of `line`.
  @inline(__always)
  func record(fields: FieldSet, line: UnsafeRawBufferPointer, action: UInt8, logStatus: UInt8) -> FlowRecord {
    FlowRecord(fields: fields, line: line, action: action, logStatus: logStatus, storage: storage)
  }

  /// Decodes one line (without its newline, trailing `\r` or surrounding spaces).
  ///
  /// - Returns: the record, or why the line is malformed.
  public func decode(_ line: UnsafeRawBufferPointer) -> Result<FlowRecord, RecordError> {
    decode(line, plan: UnsafeBufferPointer(plan))
  }

  static let millisecondThreshold: UInt64 = 100_000_000_000  // 10^11: year 5138 in seconds

  @inline(__always)
  private func decode(_ line: UnsafeRawBufferPointer, plan: UnsafeBufferPointer<ColumnPlan>)
    -> Result<FlowRecord, RecordError>
  {
    guard let base = line.baseAddress, line.count > 0 else {
      return .failure(RecordError(kind: .fieldCount, column: 0, expected: plan.count, found: 0))
    }
    let n = line.count
    let integers = self.integers
    let addresses = self.addresses
    let texts = self.texts
    var present = FieldSet()
    var action: UInt8 = .max
    var logStatus: UInt8 = .max
    var p = 0
    var column = 0

    while column < plan.count {
      if p >= n {
        return .failure(RecordError(kind: .fieldCount, column: column, expected: plan.count, found: column))
      }
      let entry = plan[column]
      let tokenStart = p
      switch entry.kind {
      case .integer, .timestamp:
        // Digits are accumulated while looking for the end of the token: one pass, eight bytes
        // at a time where the line is long enough.
        var value: UInt64 = 0
        var nonDigit = false
        let firstDigit = base.load(fromByteOffset: p, as: UInt8.self) &- 0x30
        if firstDigit <= 9 && p &+ 1 < n && base.load(fromByteOffset: p &+ 1, as: UInt8.self) == 0x20 {
          // One digit and a space (version, protocol, small counts): no need for the wide path.
          value = UInt64(firstDigit)
          p &+= 1
        } else {
          while p &+ 8 <= n {
            let chunk = base.loadUnaligned(fromByteOffset: p, as: UInt64.self)
            let digits = Self.leadingDigitCount(chunk)
            if digits == 8 {
              value = value &* 100_000_000 &+ Self.eightDigits(chunk)
              p &+= 8
              continue
            }
            if digits > 0 {
              // Move the digits to the high bytes and pad with '0's in front: the same conversion.
              let shift = UInt64(8 - digits) * 8
              let padded = chunk << shift | (0x3030_3030_3030_3030 >> (UInt64(digits) * 8))
              value = value &* Self.powerOfTen(digits) &+ Self.eightDigits(padded)
              p &+= digits
            }
            break
          }
          while p < n {
            let c = base.load(fromByteOffset: p, as: UInt8.self)
            if c == 0x20 { break }
            let d = c &- 0x30
            nonDigit = nonDigit || d > 9
            value = value &* 10 &+ UInt64(d)
            p &+= 1
          }
        }
        let length = p - tokenStart
        if length == 1 && nonDigit && base.load(fromByteOffset: tokenStart, as: UInt8.self) == UInt8(ascii: "-") {
          break  // absent
        }
        if nonDigit || length >= 20 {
          // 20 digits may overflow: decide exactly on the slow path.
          guard !nonDigit, let exact = Self.decimal(UnsafeRawBufferPointer(start: base + tokenStart, count: length))
          else {
            return failure(.badInteger, column: column, tokenStart: tokenStart, tokenEnd: p, line: line, plan: plan)
          }
          value = exact
        }
        guard let checked = Self.fieldInteger(value, kind: entry.kind, max: entry.max) else {
          return failure(.outOfRange, column: column, tokenStart: tokenStart, tokenEnd: p, line: line, plan: plan)
        }
        integers[Int(entry.field)] = checked
        present.insert(rawValue: entry.field)
      case .text, .unknown:
        // Identifiers end at a space; any other byte below 0x21, or DEL, is a control byte that
        // no identifier holds (a NUL, a tab, an escape sequence): the line is malformed.
        p = Self.tokenEnd(base, from: p, to: n)
        if p < n && base.load(fromByteOffset: p, as: UInt8.self) != 0x20 {
          return failure(
            .controlCharacter, column: column, tokenStart: tokenStart, tokenEnd: Self.rawTokenEnd(base, from: p, to: n),
            line: line, plan: plan)
        }
        if entry.kind == .text && !Self.isDash(base, tokenStart, p) {
          texts[Int(entry.field)] = TextRange(
            start: UInt32(truncatingIfNeeded: tokenStart), count: UInt32(truncatingIfNeeded: p - tokenStart))
          present.insert(rawValue: entry.field)
        }
      case .address, .action, .logStatus:
        if entry.kind == .address, let (value, end) = Self.scanIPv4(base, from: p, to: n) {
          // The common case in one pass: dotted-quad text up to the next space.
          addresses[Int(entry.field)] = IPAddress(ipv4: value)
          present.insert(rawValue: entry.field)
          p = end
          break
        }
        p = Self.rawTokenEnd(base, from: p, to: n)
        if Self.isDash(base, tokenStart, p) { break }
        let token = UnsafeRawBufferPointer(start: base + tokenStart, count: p - tokenStart)
        if entry.kind == .address {
          guard let address = Self.addressToken(token) else {
            return failure(.badAddress, column: column, tokenStart: tokenStart, tokenEnd: p, line: line, plan: plan)
          }
          addresses[Int(entry.field)] = address
        } else if entry.kind == .action {
          guard let value = Self.action(token) else {
            return failure(.badAction, column: column, tokenStart: tokenStart, tokenEnd: p, line: line, plan: plan)
          }
          action = value.rawValue
        } else {
          guard let value = Self.logStatus(token) else {
            return failure(.badLogStatus, column: column, tokenStart: tokenStart, tokenEnd: p, line: line, plan: plan)
          }
          logStatus = value.rawValue
        }
        present.insert(rawValue: entry.field)
      }
      column &+= 1
      while p < n, base.load(fromByteOffset: p, as: UInt8.self) == 0x20 { p &+= 1 }
    }
    if p < n {
      let found = plan.count + Self.countTokens(UnsafeRawBufferPointer(rebasing: line[p...]))
      return .failure(RecordError(kind: .fieldCount, column: plan.count, expected: plan.count, found: found))
    }
    return .success(FlowRecord(fields: present, line: line, action: action, logStatus: logStatus, storage: storage))
  }

  // The checks of one token by its field's kind, shared with readers that get values rather than
  // text (Parquet), so that a value is accepted, converted and refused by one definition.

  /// The value an integer field (`kind` `.integer`, at most `max`) or a timestamp field holds for
  /// the number `value`: timestamps in milliseconds (or finer) down to seconds, repeated, so that
  /// decoding the result again gives the same value; nil when an integer is out of range.
  @inline(__always)
  static func fieldInteger(_ value: UInt64, kind: ColumnPlan.Kind, max: UInt64) -> UInt64? {
    if kind == .timestamp {
      var seconds = value
      while seconds >= Self.millisecondThreshold { seconds /= 1000 }
      return seconds
    }
    return value > max ? nil : value
  }

  /// The value of a whole token (not `-`) of an integer or timestamp field: nil when it is not an
  /// unsigned decimal that fits in 64 bits or is out of range.
  @inline(__always)
  static func integerToken(_ token: UnsafeRawBufferPointer, kind: ColumnPlan.Kind, max: UInt64) -> UInt64? {
    guard let value = decimal(token) else { return nil }
    return fieldInteger(value, kind: kind, max: max)
  }

  /// The address of a whole token (not `-`) of an address field: IPv4 or IPv6 text; nil otherwise.
  @inline(__always)
  static func addressToken(_ token: UnsafeRawBufferPointer) -> IPAddress? {
    IPAddress(bytes: token)
  }

  /// The offset of the first byte at or after `start` that is a space, a control byte (below
  /// 0x20) or DEL; `end` when there is none. Eight bytes at a time: a byte is flagged when it is
  /// below 0x21 or equal to 0x7F, and the lowest flag is exact (borrows only run upwards).
  @inline(__always)
  static func tokenEnd(_ base: UnsafeRawPointer, from start: Int, to end: Int) -> Int {
    var p = start
    while p &+ 8 <= end {
      let x = base.loadUnaligned(fromByteOffset: p, as: UInt64.self)
      let below = (x &- 0x2121_2121_2121_2121) & ~x
      let del = x ^ 0x7F7F_7F7F_7F7F_7F7F
      let isDel = (del &- 0x0101_0101_0101_0101) & ~del
      let flags = (below | isDel) & 0x8080_8080_8080_8080
      if flags != 0 { return p + flags.trailingZeroBitCount >> 3 }
      p &+= 8
    }
    while p < end {
      let b = base.load(fromByteOffset: p, as: UInt8.self)
      if b <= 0x20 || b == 0x7F { return p }
      p &+= 1
    }
    return end
  }

  /// The end of the token that starts at `start`: the next space, or `end`.
  @inline(__always)
  static func rawTokenEnd(_ base: UnsafeRawPointer, from start: Int, to end: Int) -> Int {
    var p = start
    while p < end, base.load(fromByteOffset: p, as: UInt8.self) != 0x20 { p &+= 1 }
    return p
  }

  @inline(__always)
  private static func isDash(_ base: UnsafeRawPointer, _ start: Int, _ end: Int) -> Bool {
    end - start == 1 && base.load(fromByteOffset: start, as: UInt8.self) == UInt8(ascii: "-")
  }

  /// A value error, unless the line also has the wrong number of fields: that is reported first,
  /// since a missing or extra field shifts every later value.
  private func failure(
    _ kind: RecordError.Kind, column: Int, tokenStart: Int, tokenEnd: Int,
    line: UnsafeRawBufferPointer, plan: UnsafeBufferPointer<ColumnPlan>
  ) -> Result<FlowRecord, RecordError> {
    let found = Self.countTokens(line)
    if found != plan.count {
      return .failure(RecordError(kind: .fieldCount, column: column, expected: plan.count, found: found))
    }
    return .failure(
      RecordError(
        kind: kind, column: column, expected: plan.count, found: found,
        tokenStart: tokenStart, tokenEnd: tokenEnd))
  }

  /// Counts space-separated tokens.
  static func countTokens(_ bytes: UnsafeRawBufferPointer) -> Int {
    var count = 0
    var inToken = false
    for b in bytes {
      if b == 0x20 {
        inToken = false
      } else if !inToken {
        inToken = true
        count += 1
      }
    }
    return count
  }

  /// Parses a dotted-quad IPv4 address that ends at a space or at `end`; nil for anything else
  /// (IPv6, `-`, bad text), which the caller then parses the slow way.
  @inline(__always)
  static func scanIPv4(_ base: UnsafeRawPointer, from start: Int, to end: Int) -> (UInt32, Int)? {
    if end &- start >= 16 {
      // Room for the longest address and the byte after it: no bounds checks, octets unrolled.
      var p = start
      guard let a = octet(base, &p), base.load(fromByteOffset: p, as: UInt8.self) == UInt8(ascii: ".") else {
        return nil
      }
      p &+= 1
      guard let b = octet(base, &p), base.load(fromByteOffset: p, as: UInt8.self) == UInt8(ascii: ".") else {
        return nil
      }
      p &+= 1
      guard let c = octet(base, &p), base.load(fromByteOffset: p, as: UInt8.self) == UInt8(ascii: ".") else {
        return nil
      }
      p &+= 1
      guard let d = octet(base, &p), base.load(fromByteOffset: p, as: UInt8.self) == 0x20 else { return nil }
      return (a << 24 | b << 16 | c << 8 | d, p)
    }
    var p = start
    var value: UInt32 = 0
    for octetIndex in 0..<4 {
      var octet: UInt32 = 0
      var digits = 0
      while p < end {
        let d = base.load(fromByteOffset: p, as: UInt8.self) &- 0x30
        if d > 9 { break }
        if digits == 1 && octet == 0 { return nil }  // a leading zero
        octet = octet &* 10 &+ UInt32(d)
        digits &+= 1
        p &+= 1
      }
      guard digits > 0, digits <= 3, octet <= 255 else { return nil }
      value = value << 8 | octet
      if octetIndex < 3 {
        guard p < end, base.load(fromByteOffset: p, as: UInt8.self) == UInt8(ascii: ".") else { return nil }
        p &+= 1
      }
    }
    guard p == end || base.load(fromByteOffset: p, as: UInt8.self) == 0x20 else { return nil }
    return (value, p)
  }

  /// One octet of 1 to 3 digits at `p` (the caller guarantees four readable bytes), advancing `p`
  /// past it; nil for anything else (a leading zero, a value above 255), which the slow path decides.
  @inline(__always)
  private static func octet(_ base: UnsafeRawPointer, _ p: inout Int) -> UInt32? {
    let d0 = UInt32(base.load(fromByteOffset: p, as: UInt8.self) &- 0x30)
    guard d0 <= 9 else { return nil }
    let d1 = UInt32(base.load(fromByteOffset: p &+ 1, as: UInt8.self) &- 0x30)
    if d1 > 9 {
      p &+= 1
      return d0
    }
    guard d0 != 0 else { return nil }
    let d2 = UInt32(base.load(fromByteOffset: p &+ 2, as: UInt8.self) &- 0x30)
    if d2 > 9 {
      p &+= 2
      return d0 &* 10 &+ d1
    }
    let value = d0 &* 100 &+ d1 &* 10 &+ d2
    guard value <= 255, base.load(fromByteOffset: p &+ 3, as: UInt8.self) &- 0x30 > 9 else { return nil }
    p &+= 3
    return value
  }

  /// 10^n for n in 0…19 (the decoder's digit runs, and the Parquet rows' digit counts). A switch,
  /// which the compiler makes a constant table, rather than an array: indexing a global array
  /// takes reference counting per record.
  @inline(__always)
  static func powerOfTen(_ n: Int) -> UInt64 {
    switch n {
    case 0: 1
    case 1: 10
    case 2: 100
    case 3: 1_000
    case 4: 10_000
    case 5: 100_000
    case 6: 1_000_000
    case 7: 10_000_000
    case 8: 100_000_000
    case 9: 1_000_000_000
    case 10: 10_000_000_000
    case 11: 100_000_000_000
    case 12: 1_000_000_000_000
    case 13: 10_000_000_000_000
    case 14: 100_000_000_000_000
    case 15: 1_000_000_000_000_000
    case 16: 10_000_000_000_000_000
    case 17: 100_000_000_000_000_000
    case 18: 1_000_000_000_000_000_000
    default: 10_000_000_000_000_000_000
    }
  }

  /// How many of the eight bytes (first byte lowest) are ASCII digits before the first that is not.
  @inline(__always)
  static func leadingDigitCount(_ chunk: UInt64) -> Int {
    // A byte is a digit when its high nibble is 3 and adding 6 to it does not carry out of the
    // low nibble; neither test can carry into the next byte.
    let highNibble = (chunk & 0xF0F0_F0F0_F0F0_F0F0) ^ 0x3030_3030_3030_3030
    let lowNibble = ((chunk &+ 0x0606_0606_0606_0606) & 0xF0F0_F0F0_F0F0_F0F0) ^ 0x3030_3030_3030_3030
    let notDigit = highNibble | lowNibble  // zero bytes are digits
    let nonZero = (((notDigit & 0x7F7F_7F7F_7F7F_7F7F) &+ 0x7F7F_7F7F_7F7F_7F7F) | notDigit) & 0x8080_8080_8080_8080
    return nonZero.trailingZeroBitCount >> 3
  }

  /// The value of eight ASCII digits, the first in the lowest byte.
  @inline(__always)
  static func eightDigits(_ chunk: UInt64) -> UInt64 {
    var v = chunk &- 0x3030_3030_3030_3030
    v = (v &* 10) &+ (v >> 8)
    let pairsLow = (v & 0x0000_00FF_0000_00FF) &* (100 &+ (1_000_000 << 32))
    let pairsHigh = ((v >> 16) & 0x0000_00FF_0000_00FF) &* (1 &+ (10_000 << 32))
    return (pairsLow &+ pairsHigh) >> 32
  }

  /// An unsigned decimal of 1 to 20 digits that fits in 64 bits; nil otherwise.
  @inline(__always)
  static func decimal(_ token: UnsafeRawBufferPointer) -> UInt64? {
    let count = token.count
    guard count > 0, count <= 20 else { return nil }
    var value: UInt64 = 0
    if count < 20 {
      for c in token {
        let d = c &- 0x30
        if d > 9 { return nil }
        value = value &* 10 &+ UInt64(d)
      }
      return value
    }
    for c in token {
      let d = c &- 0x30
      if d > 9 { return nil }
      let (m, o1) = value.multipliedReportingOverflow(by: 10)
      let (a, o2) = m.addingReportingOverflow(UInt64(d))
      if o1 || o2 { return nil }
      value = a
    }
    return value
  }

  @inline(__always)
  static func action(_ token: UnsafeRawBufferPointer) -> FlowAction? {
    guard token.count == 6 else { return nil }
    if Self.equals(token, "ACCEPT") { return .accept }
    if Self.equals(token, "REJECT") { return .reject }
    return nil
  }

  @inline(__always)
  static func logStatus(_ token: UnsafeRawBufferPointer) -> LogStatus? {
    switch token.count {
    case 2: return equals(token, "OK") ? .ok : nil
    case 6: return equals(token, "NODATA") ? .nodata : nil
    case 8: return equals(token, "SKIPDATA") ? .skipdata : nil
    default: return nil
    }
  }

  @inline(__always)
  static func equals(_ token: UnsafeRawBufferPointer, _ literal: StaticString) -> Bool {
    guard token.count == literal.utf8CodeUnitCount else { return false }
    let l = literal.utf8Start
    for i in 0..<token.count where token[i] != l[i] { return false }
    return true
  }
}

/// Why a line is not a record.
public struct RecordError: Error, Sendable, Hashable {
  /// The kind of fault.
  public enum Kind: String, Sendable, Hashable {
    /// The line has more or fewer tokens than the layout has columns.
    case fieldCount = "field_count"
    /// An integer field holds something other than an unsigned decimal that fits in 64 bits.
    case badInteger = "bad_integer"
    /// An integer is larger than its field allows (a port above 65535, a protocol above 255).
    case outOfRange = "out_of_range"
    /// An address field is neither IPv4 nor IPv6 text.
    case badAddress = "bad_address"
    /// `action` is neither ACCEPT nor REJECT.
    case badAction = "bad_action"
    /// `log-status` is none of OK, NODATA, SKIPDATA.
    case badLogStatus = "bad_log_status"
    /// A token holds a control byte (NUL, tab, escape, DEL): no field value does.
    case controlCharacter = "control_character"
  }
  /// The kind of fault.
  public var kind: Kind
  /// The column (0-based) of the fault.
  public var column: Int
  /// The number of columns of the layout.
  public var expected: Int
  /// The number of tokens on the line.
  public var found: Int
  /// Where the bad token starts and ends in the line, for value errors.
  public var tokenStart = 0
  public var tokenEnd = 0

  /// A reason a person can read, such as `expected 14 fields, found 13` or
  /// `srcport: '70000' is out of range (0-65535)`.
  public func reason(layout: FlowLayout, line: UnsafeRawBufferPointer) -> String {
    if kind == .fieldCount {
      return "expected \(expected) fields, found \(found)"
    }
    let name = column < layout.columns.count ? layout.columns[column].name : "field \(column + 1)"
    let end = min(tokenEnd, line.count)
    let start = min(tokenStart, end)
    let token = TextSanitizer.quoted(UnsafeRawBufferPointer(rebasing: line[start..<end]))
    switch kind {
    case .fieldCount: return ""
    case .badInteger: return "\(name): \(token) is not an unsigned integer"
    case .outOfRange:
      let max: String
      if case .field(let field) = layout.columns[column], case .integer(let m) = field.kind {
        max = String(m)
      } else {
        max = "?"
      }
      return "\(name): \(token) is out of range (0-\(max))"
    case .badAddress: return "\(name): \(token) is not an IPv4 or IPv6 address"
    case .badAction: return "\(name): \(token) is not ACCEPT or REJECT"
    case .badLogStatus: return "\(name): \(token) is not OK, NODATA or SKIPDATA"
    case .controlCharacter: return "\(name): \(token) contains a control character"
    }
  }
}

/// Makes text from log data safe to show in a message.
public enum TextSanitizer {
  /// The bytes in single quotes, cut to 40 bytes, with control characters and bytes that are not
  /// printable ASCII written as `\xNN`.
  public static func quoted(_ bytes: UnsafeRawBufferPointer, limit: Int = 40) -> String {
    var out = "'"
    for (i, b) in bytes.enumerated() {
      if i == limit {
        out += "…"
        break
      }
      if b >= 0x20 && b < 0x7F && b != UInt8(ascii: "'") && b != UInt8(ascii: "\\") {
        out.unicodeScalars.append(Unicode.Scalar(b))
      } else {
        let hex = String(b, radix: 16, uppercase: true)
        out += "\\x" + (hex.count == 1 ? "0" + hex : hex)
      }
    }
    return out + "'"
  }
}
