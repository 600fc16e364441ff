/// Unix seconds as UTC calendar text, without Foundation (Howard Hinnant's days-to-civil algorithm).
public enum UTCTime {
  /// The civil date and time of `seconds` since 1970-01-01T00:00:00Z.
  public static func components(_ seconds: UInt64) -> (
    year: Int64, month: Int64, day: Int64, hour: Int, minute: Int, second: Int
  ) {
    let days = Int64(seconds / 86_400)
    let rest = Int(seconds % 86_400)
    let z = days + 719_468
    let era = (z >= 0 ? z : z - 146_096) / 146_097
    let doe = z - era * 146_097
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
    let mp = (5 * doy + 2) / 153
    let day = doy - (153 * mp + 2) / 5 + 1
    let month = mp < 10 ? mp + 3 : mp - 9
    let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
    return (year, month, day, rest / 3600, rest / 60 % 60, rest % 60)
  }

  /// `2014-12-14 04:06:50Z`.
  public static func text(_ seconds: UInt64) -> String {
    let c = components(seconds)
    return "\(c.year)-\(two(c.month))-\(two(c.day)) \(two(c.hour)):\(two(c.minute)):\(two(c.second))Z"
  }

  /// `2014-12-14T04:06:50Z`: ISO-8601, as the options that take a time accept it.
  public static func isoText(_ seconds: UInt64) -> String {
    let c = components(seconds)
    return "\(c.year)-\(two(c.month))-\(two(c.day))T\(two(c.hour)):\(two(c.minute)):\(two(c.second))Z"
  }

  /// `2014-12-14T04:00Z`: the start of an hour.
  public static func hourText(_ seconds: UInt64) -> String {
    let c = components(seconds)
    return "\(c.year)-\(two(c.month))-\(two(c.day))T\(two(c.hour)):00Z"
  }

  private static func two<T: BinaryInteger>(_ v: T) -> String { v < 10 ? "0\(v)" : "\(v)" }
}
