import FlowStats

/// `audit --format text`: findings grouped by severity, most severe first.
public enum AuditTextRenderer {
  /// The audit as text for a terminal: what was read, the notes, then the findings by severity.
  public static func render(_ report: AuditReport) -> String {
    var out = ""
    let r = report.records
    out += "Policy    \(TextEscaping.terminalSafe(report.policy))\n"
    out += "Records   \(Format.count(r.total)) (ACCEPT \(Format.count(r.accept)) · REJECT \(Format.count(r.reject)))"
    out += " from \(Quantity.counted(report.inputs.files, "file"))"
    out += r.malformed > 0 ? ", \(Format.count(r.malformed)) malformed \(Quantity.noun(r.malformed, "line"))\n" : "\n"
    if let filter = report.filter { out += "Filter    \(TextEscaping.terminalSafe(Format.filterNote(filter)))\n" }
    for line in notes(report) { out += line + "\n" }
    if report.findings.isEmpty {
      return out + "\nNo findings.\n"
    }
    for severity in Severity.allCases.reversed() {
      let total = report.findingsBySeverity[severity, default: 0]
      guard total > 0 else { continue }
      out += "\n\(severity.description.uppercased()) (\(Format.count(total)))\n"
      for finding in report.findings where finding.severity == severity { out += render(finding) }
      for omitted in report.omittedFindings ?? [] where omitted.severity == severity {
        out +=
          "  … \(Format.count(omitted.count)) more \(omitted.rule) \(Quantity.noun(omitted.count, "finding")) "
          + "(\(Quantity.counted(omitted.records, "record"))) not listed; --findings-per-rule 0 lists all\n"
      }
    }
    let all = report.findingsBySeverity.values.reduce(0, +)
    let counts = Severity.allCases.reversed().compactMap { severity -> String? in
      let n = report.findingsBySeverity[severity, default: 0]
      return n > 0 ? "\(Format.count(n)) \(severity)" : nil
    }
    out += "\n\(Quantity.counted(all, "finding")): \(counts.joined(separator: ", "))\n"
    return out
  }

  /// Lines that say where the audit is approximate (a detector table past its capacity) or a sum
  /// saturated.
  public static func notes(_ report: AuditReport) -> [String] {
    (report.approximate ?? []).map(Format.approximation)
      + (report.saturated.map { [Format.saturationNote($0)] } ?? [])
  }

  private static func render(_ f: Finding) -> String {
    var head = "  \(f.rule)"
    if let interface = f.interfaceID { head += "  \(TextEscaping.terminalSafe(interface))" }
    if let source = f.source { head += "  from \(source)" }
    if let port = f.port { head += "  to \(port)" + (f.protocol.map { "/\(Format.protocolName($0))" } ?? "") }
    var out = head + "\n"
    out += "    \(TextEscaping.terminalSafe(f.message))\n"
    if let inventory = f.inventory {
      out += "    interface: \(TextEscaping.terminalSafe(Format.inventoryLine(inventory)))\n"
    }
    var numbers =
      "    \(Quantity.counted(f.records, "record")), \(Quantity.counted(f.packets, "packet")), \(Format.bytes(f.bytes))"
    if let first = f.firstSeen, let last = f.lastSeen { numbers += ", \(Format.utc(first)) → \(Format.utc(last))" }
    out += numbers + "\n"
    if let evidence = f.evidence {
      out += "    evidence: \(TextEscaping.terminalSafe(evidence.file)):\(evidence.line)\n"
    }
    out += "    remedy: \(TextEscaping.terminalSafe(f.remedy))\n"
    return out
  }
}
