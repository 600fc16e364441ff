/// One value of a finding's `details`: a whole number, a decimal number, a flag or a text, each
/// encoded in JSON as what it is (`"distinct_ports": 20`, `"distinct_ports_estimated": true`), so
/// that a script compares numbers as numbers.
///
/// Literals pick the case: `20` is ``integer(_:)``, `0.18` is ``number(_:)``, `true` is
/// ``flag(_:)`` and `"S3"` is ``text(_:)``.
public enum FindingDetail: Sendable, Hashable, Codable, CustomStringConvertible, ExpressibleByStringLiteral,
  ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByBooleanLiteral
{
  case integer(Int64)
  case number(Double)
  case flag(Bool)
  case text(String)

  /// A count or other whole number; values past `Int64.max` are clamped (JSON readers lose
  /// precision long before that).
  public init<T: BinaryInteger>(_ value: T) { self = .integer(Int64(clamping: value)) }

  public init(stringLiteral value: String) { self = .text(value) }
  public init(integerLiteral value: Int64) { self = .integer(value) }
  public init(floatLiteral value: Double) { self = .number(value) }
  public init(booleanLiteral value: Bool) { self = .flag(value) }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if let value = try? container.decode(Bool.self) {
      self = .flag(value)
    } else if let value = try? container.decode(Int64.self) {
      self = .integer(value)
    } else if let value = try? container.decode(Double.self) {
      self = .number(value)
    } else {
      self = .text(try container.decode(String.self))
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    switch self {
    case .integer(let value): try container.encode(value)
    case .number(let value): try container.encode(value)
    case .flag(let value): try container.encode(value)
    case .text(let value): try container.encode(value)
    }
  }

  /// The value as written for people: `20`, `0.18`, `true`, `S3`.
  public var description: String {
    switch self {
    case .integer(let value): String(value)
    case .number(let value): value.description
    case .flag(let value): value ? "true" : "false"
    case .text(let value): value
    }
  }
}
