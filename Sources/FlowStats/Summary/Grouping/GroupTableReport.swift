/// One `summary --by` table as the JSON shows it:
/// `{"keys": [...], "rows": [{<key>: value, …, "records", "accept", "reject", "packets", "bytes"}],
/// "total_rows": N}`, with `approximate` when the table passed its capacity. Keys are the KEYs
/// in snake case (`src_prefix`, `reject_reason`, `flow_log`).
public struct GroupTableReport: Sendable, Hashable, Codable {
  /// The KEYs' JSON names, in row order.
  public var keys: [String]
  /// The rows, ranked, cut at `--top`.
  public var rows: [GroupRow]
  /// How many rows the table had before the `--top` cut.
  public var totalRows: Int
  /// Present when the table passed its capacity (see ``TableApproximation``).
  public var approximate: TableApproximation?

  /// A table of the given rows.
  public init(keys: [String], rows: [GroupRow], totalRows: Int, approximate: TableApproximation?) {
    self.keys = keys
    self.rows = rows
    self.totalRows = totalRows
    self.approximate = approximate
  }

  private enum CodingKeys: String, CodingKey {
    case keys, rows, approximate
    case totalRows = "total_rows"
  }

  /// A row's JSON keys: the table's KEYs and the counts' names.
  private struct RowKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(keys, forKey: .keys)
    try container.encode(totalRows, forKey: .totalRows)
    try container.encodeIfPresent(approximate, forKey: .approximate)
    var list = container.nestedUnkeyedContainer(forKey: .rows)
    for row in rows {
      var object = list.nestedContainer(keyedBy: RowKey.self)
      for (key, value) in zip(keys, row.values) { try object.encode(value, forKey: RowKey(stringValue: key)) }
      let c = row.counters
      try object.encode(c.records, forKey: RowKey(stringValue: "records"))
      try object.encode(c.accept, forKey: RowKey(stringValue: "accept"))
      try object.encode(c.reject, forKey: RowKey(stringValue: "reject"))
      try object.encode(c.packets, forKey: RowKey(stringValue: "packets"))
      try object.encode(c.bytes, forKey: RowKey(stringValue: "bytes"))
    }
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    keys = try container.decode([String].self, forKey: .keys)
    totalRows = try container.decode(Int.self, forKey: .totalRows)
    approximate = try container.decodeIfPresent(TableApproximation.self, forKey: .approximate)
    var list = try container.nestedUnkeyedContainer(forKey: .rows)
    var rows: [GroupRow] = []
    while !list.isAtEnd {
      let object = try list.nestedContainer(keyedBy: RowKey.self)
      let values = try keys.map { try object.decode(GroupValue.self, forKey: RowKey(stringValue: $0)) }
      func count(_ name: String) throws -> UInt64 { try object.decode(UInt64.self, forKey: RowKey(stringValue: name)) }
      rows.append(
        GroupRow(
          values: values,
          counters: GroupCounters(
            records: try count("records"), accept: try count("accept"), reject: try count("reject"),
            packets: try count("packets"), bytes: try count("bytes"))))
    }
    self.rows = rows
  }
}
