/// One row of a `summary --by` table: the grouped values, in the table's KEY order, and the counts.
public struct GroupRow: Sendable, Hashable {
  /// The grouped values, one per KEY of the table.
  public var values: [GroupValue]
  /// The counts.
  public var counters: GroupCounters

  /// A row of `values` with `counters`.
  public init(values: [GroupValue], counters: GroupCounters) {
    self.values = values
    self.counters = counters
  }

  /// The key order: value by value, in KEY order.
  static func keyLess(_ a: GroupRow, _ b: GroupRow) -> Bool {
    for (x, y) in zip(a.values, b.values) where x != y { return x < y }
    return false
  }
}
