/// The TIME of `--since` and `--until`: ISO-8601 (`2024-11-26T00:10:00Z`, with `±hh:mm` or no
/// zone, which means UTC; fractions of a second; a space for the `T`), a date (`2024-11-26`, its
/// midnight UTC), Unix seconds (`1732580000`), or a span back from now (`90s`, `30m`, `1h`, `7d`,
/// `2w`), as `docker logs --since` reads it.
public enum FilterTime {
  /// Unix seconds for `text`; a fraction of a second rounds up (a record's whole-second `start`
  /// is before 10.5 exactly when it is before 11). `now` anchors relative spans.
  public static func parse(_ text: String, now: UInt64) throws(FilterError) -> UInt64 {
    let bytes = Array(text.utf8)
    func fail() -> FilterError {
      FilterError(
        column: nil,
        "expected a time such as 2024-11-26T00:10:00Z, 2024-11-26, Unix seconds or a span back from now (30m, 1h, 7d), "
          + "found \"\(text)\"")
    }
    guard !bytes.isEmpty else { throw fail() }
    if bytes.allSatisfy({ $0 &- 0x30 < 10 }) {
      guard bytes.count <= 12, let seconds = UInt64(text) else { throw fail() }
      return seconds
    }
    if let unit = bytes.last.flatMap(spanUnit), bytes.count >= 2, bytes.dropLast().allSatisfy({ $0 &- 0x30 < 10 }) {
      guard bytes.count <= 10, let n = UInt64(String(decoding: bytes.dropLast(), as: UTF8.self)) else { throw fail() }
      let (span, overflow) = n.multipliedReportingOverflow(by: unit)
      guard !overflow else { throw fail() }
      return now > span ? now - span : 0
    }
    guard let seconds = iso(bytes) else { throw fail() }
    return seconds
  }

  /// Seconds per unit of a span: s, m, h, d, w.
  private static func spanUnit(_ byte: UInt8) -> UInt64? {
    switch byte {
    case UInt8(ascii: "s"): 1
    case UInt8(ascii: "m"): 60
    case UInt8(ascii: "h"): 3600
    case UInt8(ascii: "d"): 86_400
    case UInt8(ascii: "w"): 604_800
    default: nil
    }
  }

  private static func iso(_ b: [UInt8]) -> UInt64? {
    var i = 0
    func number(_ digits: Int) -> Int64? {
      guard i + digits <= b.count else { return nil }
      var value: Int64 = 0
      for j in i..<(i + digits) {
        guard b[j] &- 0x30 < 10 else { return nil }
        value = value * 10 + Int64(b[j] &- 0x30)
      }
      i += digits
      return value
    }
    func expect(_ c: Character) -> Bool {
      guard i < b.count, b[i] == c.asciiValue! else { return false }
      i += 1
      return true
    }
    guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
      (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year)
    else { return nil }
    var seconds = daysFromCivil(year: year, month: month, day: day) * 86_400
    if i == b.count { return seconds >= 0 ? UInt64(seconds) : nil }
    guard i < b.count, b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: "t") || b[i] == 0x20 else { return nil }
    i += 1
    guard let hour = number(2), hour < 24, expect(":"), let minute = number(2), minute < 60 else { return nil }
    seconds += hour * 3600 + minute * 60
    if expect(":") {
      guard let second = number(2), second < 61 else { return nil }
      seconds += second
      if expect(".") || expect(",") {
        var fraction = false
        while i < b.count, b[i] &- 0x30 < 10 {
          if b[i] != UInt8(ascii: "0") { fraction = true }
          i += 1
        }
        if fraction { seconds += 1 }
      }
    }
    if i < b.count {
      if expect("Z") || expect("z") {
      } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
        let sign: Int64 = b[i] == UInt8(ascii: "+") ? 1 : -1
        i += 1
        guard let hours = number(2), hours < 24 else { return nil }
        _ = expect(":")
        guard let minutes = number(2), minutes < 60 else { return nil }
        seconds -= sign * (hours * 3600 + minutes * 60)
      } else {
        return nil
      }
    }
    guard i == b.count, seconds >= 0 else { return nil }
    return UInt64(seconds)
  }

  private static func daysIn(month: Int64, year: Int64) -> Int64 {
    switch month {
    case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
    case 4, 6, 9, 11: 30
    default: 31
    }
  }

  /// Days since 1970-01-01 of a civil date (Howard Hinnant's days-from-civil).
  static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
    let y = month <= 2 ? year - 1 : year
    let era = (y >= 0 ? y : y - 399) / 400
    let yoe = y - era * 400
    let doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
    return era * 146_097 + doe - 719_468
  }
}
