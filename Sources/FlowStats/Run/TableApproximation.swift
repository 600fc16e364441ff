/// How far a bounded table that passed its capacity may be off, as every report says it
/// (`approximate`): the summary's source-prefix table and the audit's detector tables.
public struct TableApproximation: Sendable, Codable, Hashable {
  /// The table, as the JSON names it (`by_source_cidr`, or a detector's table).
  public var table: String
  /// The keys it kept, the heaviest.
  public var keptKeys: Int
  /// The most any count from it may be low by, in records.
  public var maximumError: UInt64

  /// A table that kept `keptKeys` keys and may be off by `maximumError` records.
  public init(table: String, keptKeys: Int, maximumError: UInt64) {
    self.table = table
    self.keptKeys = keptKeys
    self.maximumError = maximumError
  }

  enum CodingKeys: String, CodingKey {
    case table
    case keptKeys = "kept_keys"
    case maximumError = "maximum_error"
  }
}
