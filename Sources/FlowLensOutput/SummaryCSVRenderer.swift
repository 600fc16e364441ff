import FlowStats

/// `summary --format csv`: one table of rows `table,key,protocol,accept,reject,packets,bytes`,
/// where `table` is `totals`, `by_interface`, `by_port` or `by_source_cidr`. When the source-prefix
/// table went past its capacity, a last row `approximate,by_source_cidr,,KEPT_KEYS,MAXIMUM_ERROR,,`
/// says so: its `accept` column holds the prefixes kept and its `reject` column the most any count
/// in the `by_source_cidr` rows may be low by. With `--where`, `--since` or `--until`, a row
/// `filter,EXPRESSION,,MATCHED,EXCLUDED,,` follows the totals (which count matched records only).
///
/// `--by` and `--bucket` add sections after that table, each after an empty line and with a
/// header of its own: a `--by` table's is `table,KEY…,records,accept,reject,packets,bytes` with
/// rows `by,VALUE…,…` (an absent value is an empty cell; a past-capacity table ends with
/// `approximate,KEPT_KEYS,MAXIMUM_ERROR` and empty cells), the timeline's is
/// `table,start,records,accept,reject,packets,bytes` with a row `timeline,EPOCH,…` per bucket
/// and a last row `timeline_without_start,,RECORDS,,,,` counting the records in no bucket.
public enum SummaryCSVRenderer {
  /// The summary as one CSV table, a row per total and per table row.
  public static func render(_ report: SummaryReport) -> String {
    var lines = ["table,key,protocol,accept,reject,packets,bytes"]
    let r = report.records
    lines.append("totals,all,,\(r.accept),\(r.reject),\(r.packets),\(r.bytes)")
    if let filter = report.filter {
      lines.append("filter,\(TextEscaping.csvCell(Format.filterText(filter))),,\(filter.matched),\(filter.excluded),,")
    }
    for row in report.byInterface {
      lines.append(
        "by_interface,\(TextEscaping.csvCell(row.interfaceID)),,\(row.accept),\(row.reject),\(row.packets),\(row.bytes)"
      )
    }
    for row in report.byPort {
      lines.append("by_port,\(row.port),\(row.protocol),\(row.accept),\(row.reject),\(row.packets),\(row.bytes)")
    }
    for row in report.bySourceCIDR {
      lines.append("by_source_cidr,\(row.cidr),,\(row.accept),\(row.reject),\(row.packets),\(row.bytes)")
    }
    if let approximate = report.approximate {
      lines.append("approximate,\(approximate.table),,\(approximate.keptKeys),\(approximate.maximumError),,")
    }
    for table in report.by?.tables ?? [] {
      lines.append("")
      lines.append(
        (["table"] + table.keys + ["records", "accept", "reject", "packets", "bytes"]).joined(separator: ","))
      for row in table.rows {
        let cells = row.values.map { value in value == .absent ? "" : TextEscaping.csvCell(value.description) }
        lines.append((["by"] + cells + counts(row.counters)).joined(separator: ","))
      }
      if let approximate = table.approximate {
        let padding = Array(repeating: "", count: table.keys.count + 3)
        lines.append(
          (["approximate", String(approximate.keptKeys), String(approximate.maximumError)] + padding)
            .joined(separator: ","))
      }
    }
    if let timeline = report.timeline {
      lines.append("")
      lines.append("table,start,records,accept,reject,packets,bytes")
      for b in timeline {
        lines.append("timeline,\(b.start),\(b.records),\(b.accept),\(b.reject),\(b.packets),\(b.bytes)")
      }
      lines.append("timeline_without_start,,\(report.timelineRecordsWithoutStart ?? 0),,,,")
    }
    return lines.joined(separator: "\n") + "\n"
  }

  private static func counts(_ c: GroupCounters) -> [String] {
    [String(c.records), String(c.accept), String(c.reject), String(c.packets), String(c.bytes)]
  }
}
