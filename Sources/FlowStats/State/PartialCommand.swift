/// The command a partial result was made by: `summary`, `audit` or `report`.
public enum PartialCommand: UInt8, Sendable, Hashable, CaseIterable {
  case summary = 1
  case audit = 2
  case report = 3

  /// The command's name.
  public var name: String {
    switch self {
    case .summary: "summary"
    case .audit: "audit"
    case .report: "report"
    }
  }
}
