import FlowStats

/// `summary --format markdown` and `audit --format markdown`: GitHub-flavoured Markdown, with
/// tables that render on GitHub (an issue, a pull request, a wiki page). Every cell of log data
/// or policy text goes through ``MarkupEscaping/markdown(_:)``.
public enum MarkdownRenderer {
  /// The summary as Markdown: the headline facts as a list, then one table per grouping.
  public static func render(_ report: SummaryReport) -> String {
    var out = "## flowlens summary\n\n"
    for fact in Format.headline(report) {
      // The filter is the user's own text; the other facts are numbers and dates.
      let value = fact.label == "Filter" ? MarkupEscaping.markdown(fact.value) : fact.value
      out += "- **\(fact.label)** \(value)\n"
    }

    // With --inventory, what it says about each interface (its type and description) follows the id.
    let named = report.byInterface.contains { $0.inventory != nil }
    out += table(
      title: "Interfaces (top \(report.byInterface.count) of \(report.tableSizes.byInterface))",
      header: (named ? ["Interface", "Type", "Description"] : ["Interface"]) + [
        "ACCEPT", "REJECT", "Packets", "Bytes",
      ],
      numericFrom: named ? 3 : 1,
      rows: report.byInterface.map {
        [$0.interfaceID] + (named ? [$0.inventory?.interfaceType ?? "", $0.inventory?.description ?? ""] : [])
          + [Format.count($0.accept), Format.count($0.reject), Format.count($0.packets), Format.bytes($0.bytes)]
      })
    out += table(
      title: "Destination ports (top \(report.byPort.count) of \(report.tableSizes.byPort))",
      header: ["Port", "Protocol", "ACCEPT", "REJECT", "Packets", "Bytes"], numericFrom: 2,
      rows: report.byPort.map {
        [
          String($0.port), Format.protocolName($0.protocol), Format.count($0.accept), Format.count($0.reject),
          Format.count($0.packets), Format.bytes($0.bytes),
        ]
      })
    out += table(
      title: "Source prefixes (top \(report.bySourceCIDR.count) of \(report.tableSizes.bySourceCIDR))",
      header: ["Source", "ACCEPT", "REJECT", "Packets", "Bytes"], numericFrom: 1,
      rows: report.bySourceCIDR.map {
        [$0.cidr, Format.count($0.accept), Format.count($0.reject), Format.count($0.packets), Format.bytes($0.bytes)]
      })
    if let approximate = report.approximate {
      out += "\n**\(MarkupEscaping.markdown(Format.approximation(approximate))).**\n"
    }
    for extra in SummaryExtraTables.tables(report) {
      out += table(
        title: extra.title, header: extra.header, numericColumns: Set(extra.firstCount..<extra.header.count),
        rows: extra.rows)
      for note in extra.notes {
        let text = MarkupEscaping.markdown(note)
        out += note.hasPrefix("Approximate") ? "\n**\(text).**\n" : "\n\(text).\n"
      }
    }
    if let saturated = report.saturated {
      out += "\n" + MarkupEscaping.markdown(Format.saturationNote(saturated)) + "\n"
    }
    if !report.issueCounts.isEmpty {
      out += table(
        title: "Parse issues", header: ["File", "Kind", "Count"], numericFrom: 2,
        rows: report.issueCounts.map { [$0.file, $0.kind, Format.count($0.count)] })
      out += table(
        title: "Examples", header: ["Location", "Kind", "Reason"], numericFrom: 3,
        rows: report.issues.map { issue in
          var location = issue.file
          if let line = issue.line { location += ":\(line)" }
          if let event = issue.event { location += ": event \(event)" }
          return [location, issue.kind, issue.reason]
        })
    }
    return out
  }

  /// The audit as Markdown: totals, notes, then a table of findings per severity.
  public static func render(_ report: AuditReport) -> String {
    let r = report.records
    var out = "## flowlens audit\n\n"
    out += "- **Policy** \(MarkupEscaping.markdown(report.policy))\n"
    out +=
      "- **Records** \(Format.count(r.total)) (ACCEPT \(Format.count(r.accept)) · REJECT \(Format.count(r.reject)))"
    out += " from \(Quantity.counted(report.inputs.files, "file"))"
    out += r.malformed > 0 ? ", \(Format.count(r.malformed)) malformed \(Quantity.noun(r.malformed, "line"))\n" : "\n"
    if let filter = report.filter { out += "- **Filter** \(MarkupEscaping.markdown(Format.filterNote(filter)))\n" }
    for note in AuditTextRenderer.notes(report) { out += "- \(MarkupEscaping.markdown(note))\n" }
    let severities = Severity.allCases.reversed().filter { report.findingsBySeverity[$0, default: 0] > 0 }
    let counts = severities.map { severity in
      "\(Format.count(report.findingsBySeverity[severity, default: 0])) \(severity)"
    }
    if report.findings.isEmpty {
      return out + "- **Findings** none\n"
    }
    let all = report.findingsBySeverity.values.reduce(0, +)
    out += "- **Findings** \(Format.count(all)): \(counts.joined(separator: ", "))\n"
    for omitted in report.omittedFindings ?? [] {
      out +=
        "- **Not listed** \(Format.count(omitted.count)) \(MarkupEscaping.markdown(omitted.rule)) "
        + "\(Quantity.noun(omitted.count, "finding")) (\(Quantity.counted(omitted.records, "record"))); "
        + "`--findings-per-rule 0` lists all\n"
    }
    for severity in severities {
      let group = report.findings.filter { $0.severity == severity }
      out += table(
        title: "\(severity.description.prefix(1).uppercased())\(severity.description.dropFirst()) (\(group.count))",
        header: ["Rule", "Interface", "Source", "Destination", "Records", "Seen", "Message", "Evidence", "Remedy"],
        numericColumns: [4],
        rows: group.map { f in
          var seen = ""
          if let first = f.firstSeen, let last = f.lastSeen { seen = "\(Format.utc(first)) → \(Format.utc(last))" }
          let destination = f.port.map { "\($0)" + (f.protocol.map { "/\(Format.protocolName($0))" } ?? "") } ?? ""
          return [
            f.rule, f.interfaceID ?? "", f.source ?? "", destination, Format.count(f.records), seen, f.message,
            f.evidence.map { "\($0.file):\($0.line)" } ?? "", f.remedy,
          ]
        })
    }
    return out
  }

  /// A titled table; cells are escaped here, and columns from `numericFrom` on align right.
  private static func table(title: String, header: [String], numericFrom: Int, rows: [[String]]) -> String {
    table(title: title, header: header, numericColumns: Set(numericFrom..<header.count), rows: rows)
  }

  private static func table(title: String, header: [String], numericColumns: Set<Int>, rows: [[String]]) -> String {
    var out = "\n### \(MarkupEscaping.markdown(title))\n\n"
    guard !rows.isEmpty else { return out + "_None._\n" }
    out += "| " + header.map(MarkupEscaping.markdown).joined(separator: " | ") + " |\n"
    out += "|" + header.indices.map { numericColumns.contains($0) ? "--:|" : "---|" }.joined() + "\n"
    for row in rows {
      out += "| " + row.map(MarkupEscaping.markdown).joined(separator: " | ") + " |\n"
    }
    return out
  }
}
