import FlowStats

/// The tables `summary --by` and `--bucket` add, as rows of text cells shared by the text and
/// Markdown renderers (which escape them their own way).
enum SummaryExtraTables {
  /// One table: a title, a header, rows of cells, and sentences to print after it.
  struct Table {
    var title: String
    var header: [String]
    var rows: [[String]]
    /// The first column of counts (those before hold keys).
    var firstCount: Int
    var notes: [String]
  }

  /// The `--by` tables, then the timeline, as the report holds them.
  static func tables(_ report: SummaryReport) -> [Table] {
    var tables: [Table] = []
    let ranking = report.sort.map { ", by \($0.rawValue)" } ?? ""
    for table in report.by?.tables ?? [] {
      let names = table.keys.map { $0.replacingUnderscores() }
      let rows = table.rows.map { row in
        zip(table.keys, row.values).map { key, value in
          if key == "protocol", case .number(let number) = value { return Format.protocolName(Int(number)) }
          return value.description
        } + counts(row.counters)
      }
      tables.append(
        Table(
          title: "By \(names.joined(separator: ", ")) (top \(table.rows.count) of \(table.totalRows)\(ranking))",
          header: names.map { $0.uppercased() } + ["RECORDS", "ACCEPT", "REJECT", "PACKETS", "BYTES"], rows: rows,
          firstCount: names.count, notes: table.approximate.map { [Format.approximation($0)] } ?? []))
    }
    if let timeline = report.timeline, let seconds = report.timelineBucketSeconds {
      var notes: [String] = []
      if let without = report.timelineRecordsWithoutStart, without > 0 {
        notes.append(
          "\(Quantity.counted(without, "record")) without a start time \(without == 1 ? "is" : "are") in no bucket")
      }
      tables.append(
        Table(
          title: "Timeline (\(Quantity.counted(timeline.count, "bucket")) of \(bucketText(seconds)))",
          header: ["START", "RECORDS", "ACCEPT", "REJECT", "PACKETS", "BYTES"],
          rows: timeline.map { bucket in
            [Format.utc(bucket.start)]
              + counts(
                GroupCounters(
                  records: bucket.records, accept: bucket.accept, reject: bucket.reject, packets: bucket.packets,
                  bytes: bucket.bytes))
          }, firstCount: 1, notes: notes))
    }
    return tables
  }

  private static func counts(_ c: GroupCounters) -> [String] {
    [
      Format.count(c.records), Format.count(c.accept), Format.count(c.reject), Format.count(c.packets),
      Format.bytes(c.bytes),
    ]
  }

  /// `5m`, `1h`, `90s`: the largest unit that divides the length.
  static func bucketText(_ seconds: UInt64) -> String {
    if seconds % 86_400 == 0 { return "\(seconds / 86_400)d" }
    if seconds % 3_600 == 0 { return "\(seconds / 3_600)h" }
    if seconds % 60 == 0 { return "\(seconds / 60)m" }
    return "\(seconds)s"
  }
}

extension String {
  fileprivate func replacingUnderscores() -> String {
    String(unicodeScalars.map { $0 == "_" ? "-" : Character($0) })
  }
}
