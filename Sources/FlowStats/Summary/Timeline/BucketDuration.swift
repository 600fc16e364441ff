/// A `--bucket` DURATION: a whole number of seconds, minutes, hours or days (`30s`, `5m`, `1h`,
/// `1d`), at least one second.
public struct BucketDuration: Sendable, Hashable, CustomStringConvertible {
  /// The length in seconds.
  public let seconds: UInt64
  /// The text it was parsed from.
  public let text: String

  /// Parses `N[smhd]` (N ≥ 1, the unit required); nil for anything else.
  public init?(_ text: String) {
    let unit: UInt64
    switch text.last {
    case "s": unit = 1
    case "m": unit = 60
    case "h": unit = 3_600
    case "d": unit = 86_400
    default: return nil
    }
    let digits = text.dropLast()
    guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let n = UInt64(digits), n >= 1 else {
      return nil
    }
    let (seconds, overflow) = n.multipliedReportingOverflow(by: unit)
    guard !overflow else { return nil }
    self.seconds = seconds
    self.text = text
  }

  public var description: String { text }
}
