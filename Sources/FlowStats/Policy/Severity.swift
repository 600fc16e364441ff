/// How much a finding matters, in increasing order.
public enum Severity: Int, Sendable, Hashable, Comparable, CaseIterable, Codable, CustomStringConvertible {
  case info, low, medium, high, critical

  /// Parses `info`, `low`, `medium`, `high` or `critical` (any case).
  public init?(name: String) {
    guard let match = Self.allCases.first(where: { $0.description == name.lowercased() }) else { return nil }
    self = match
  }

  public static func < (a: Severity, b: Severity) -> Bool { a.rawValue < b.rawValue }

  public var description: String {
    switch self {
    case .info: "info"
    case .low: "low"
    case .medium: "medium"
    case .high: "high"
    case .critical: "critical"
    }
  }

  public init(from decoder: any Decoder) throws {
    let text = try decoder.singleValueContainer().decode(String.self)
    guard let value = Severity(name: text) else {
      throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad severity \(text)"))
    }
    self = value
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(description)
  }
}
