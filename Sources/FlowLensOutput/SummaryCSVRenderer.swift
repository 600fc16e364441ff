import FlowStats

/// `summary --format csv`: one table of rows `table,key,protocol,accept,reject,packets,bytes`,
/// where `table` is `totals`, `by_interface`, `by_port` or `by_source_cidr`. When the source-prefix
/// table went past its capacity, a last row `approximate,by_source_cidr,,KEPT_KEYS,MAXIMUM_ERROR,,`
/// says so: its `accept` column holds the prefixes kept and its `reject` column the most any count
/// in the `by_source_cidr` rows may be low by. With `--where`, `--since` or `--until`, a row
/// `filter,EXPRESSION,,MATCHED,EXCLUDED,,` follows the totals (which count matched records only).
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
    return lines.joined(separator: "\n") + "\n"
  }
}
