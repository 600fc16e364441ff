/// The `--by` tables of a summary as its JSON `by` key shows them: the one table's object when
/// `--by` was given once, an array of them when it was given several times.
public struct GroupTableReports: Sendable, Hashable, Codable {
  /// The tables, in the order of the `--by` options.
  public var tables: [GroupTableReport]

  /// The given tables.
  public init(_ tables: [GroupTableReport]) { self.tables = tables }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    if tables.count == 1 { try container.encode(tables[0]) } else { try container.encode(tables) }
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if let table = try? container.decode(GroupTableReport.self) {
      tables = [table]
    } else {
      tables = try container.decode([GroupTableReport].self)
    }
  }
}
