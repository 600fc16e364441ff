import FlowStats

/// `summary --format csv`: one table of rows `table,key,protocol,accept,reject,packets,bytes`,
/// where `table` is `totals`, `by_interface`, `by_port` or `by_source_cidr`.
enum SummaryCSVRenderer {
  static func render(_ report: SummaryReport) -> String {
    var lines = ["table,key,protocol,accept,reject,packets,bytes"]
    let r = report.records
    lines.append("totals,all,,\(r.accept),\(r.reject),\(r.packets),\(r.bytes)")
    for row in report.byInterface {
      lines.append(
        "by_interface,\(TextEscaping.csvCell(row.interfaceID)),,\(row.accept),\(row.reject),\(row.packets),\(row.bytes)")
    }
    for row in report.byPort {
      lines.append("by_port,\(row.port),\(row.protocol),\(row.accept),\(row.reject),\(row.packets),\(row.bytes)")
    }
    for row in report.bySourceCIDR {
      lines.append("by_source_cidr,\(row.cidr),,\(row.accept),\(row.reject),\(row.packets),\(row.bytes)")
    }
    return lines.joined(separator: "\n") + "\n"
  }
}
