import FlowStats

/// `summary --format text`: a readable report for a terminal.
public enum SummaryTextRenderer {
  /// The summary as text: the headline facts, then one table per grouping.
  public static func render(_ report: SummaryReport) -> String {
    var out = ""
    for fact in Format.headline(report) {
      out +=
        fact.label + String(repeating: " ", count: max(1, 10 - fact.label.count))
        + TextEscaping.terminalSafe(fact.value) + "\n"
    }

    // With --inventory, what it says about each interface (its type and description) follows the id.
    let named = report.byInterface.contains { $0.inventory != nil }
    out += table(
      title: "Interfaces (top \(report.byInterface.count) of \(report.tableSizes.byInterface))",
      header: (named ? ["INTERFACE", "TYPE", "DESCRIPTION"] : ["INTERFACE"]) + [
        "ACCEPT", "REJECT", "PACKETS", "BYTES",
      ],
      rows: report.byInterface.map {
        [TextEscaping.terminalSafe($0.interfaceID)]
          + (named
            ? [
              TextEscaping.terminalSafe($0.inventory?.interfaceType ?? ""),
              TextEscaping.terminalSafe(Format.shortDescription($0.inventory)),
            ] : [])
          + [Format.count($0.accept), Format.count($0.reject), Format.count($0.packets), Format.bytes($0.bytes)]
      }, leftColumns: named ? 3 : 1)
    out += table(
      title: "Destination ports", total: report.tableSizes.byPort,
      header: ["PORT", "PROTOCOL", "ACCEPT", "REJECT", "PACKETS", "BYTES"],
      rows: report.byPort.map {
        [
          String($0.port), Format.protocolName($0.protocol), Format.count($0.accept), Format.count($0.reject),
          Format.count($0.packets), Format.bytes($0.bytes),
        ]
      })
    out += table(
      title: "Source prefixes", total: report.tableSizes.bySourceCIDR,
      header: ["SOURCE", "ACCEPT", "REJECT", "PACKETS", "BYTES"],
      rows: report.bySourceCIDR.map {
        [$0.cidr, Format.count($0.accept), Format.count($0.reject), Format.count($0.packets), Format.bytes($0.bytes)]
      })
    if let approximate = report.approximate {
      out += "  \(Format.approximation(approximate)).\n"
    }
    for extra in SummaryExtraTables.tables(report) {
      out += table(
        title: extra.title, header: extra.header,
        rows: extra.rows.map { $0.map(TextEscaping.terminalSafe) }, leftColumns: extra.firstCount)
      for note in extra.notes { out += "  \(note).\n" }
    }
    if let saturated = report.saturated { out += "  " + Format.saturationNote(saturated) + "\n" }
    if !report.issueCounts.isEmpty {
      out += "\nParse issues\n"
      for count in report.issueCounts {
        out += "  \(TextEscaping.terminalSafe(count.file)): \(Format.count(count.count)) \(count.kind)\n"
      }
    }
    return out
  }

  /// A table with the first column left-aligned and the others right-aligned.
  private static func table(title: String, total: Int, header: [String], rows: [[String]]) -> String {
    table(title: "\(title) (top \(rows.count) of \(total))", header: header, rows: rows)
  }

  /// A table under `title`, with the first `leftColumns` columns (the keys) left-aligned and the
  /// others right-aligned.
  private static func table(title: String, header: [String], rows: [[String]], leftColumns: Int = 1) -> String {
    var out = "\n\(title)\n"
    guard !rows.isEmpty else { return out + "  (none)\n" }
    var widths = header.map(\.count)
    for row in rows { for (c, cell) in row.enumerated() { widths[c] = max(widths[c], cell.count) } }
    func line(_ cells: [String]) -> String {
      var text = " "
      for (c, cell) in cells.enumerated() {
        let pad = String(repeating: " ", count: widths[c] - cell.count)
        text += " " + (c < leftColumns ? cell + pad : pad + cell)
      }
      return text + "\n"
    }
    out += line(header)
    for row in rows { out += line(row) }
    return out
  }
}
