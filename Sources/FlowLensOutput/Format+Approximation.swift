import FlowStats

extension Format {
  /// The sentence every output format uses to say that a bounded table went past its capacity:
  /// which table, how many keys it kept, and the most any count from it may be low by.
  static func approximation(_ table: TableApproximation) -> String {
    let what = table.table == "by_source_cidr" ? "source-prefix table" : "\(table.table) table"
    let option = table.table.hasPrefix("--by ") ? "--by-capacity" : "--source-capacity"
    return "Approximate: the \(what) passed its capacity and kept the heaviest \(Format.count(table.keptKeys)); "
      + "any count from it may be low by up to \(Quantity.counted(table.maximumError, "record")) "
      + "(raise \(option) for exact counts)"
  }
}
