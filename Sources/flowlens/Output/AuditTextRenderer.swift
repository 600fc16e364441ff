import FlowStats

/// `audit --format text`: findings grouped by severity, most severe first.
enum AuditTextRenderer {
  static func render(_ report: AuditReport) -> String {
    var out = ""
    let r = report.records
    out += "Policy    \(TextEscaping.terminalSafe(report.policy))\n"
    out += "Records   \(Format.count(r.total)) (ACCEPT \(Format.count(r.accept)) · REJECT \(Format.count(r.reject)))"
    out += " from \(report.inputs.files) \(report.inputs.files == 1 ? "file" : "files")"
    out += r.malformed > 0 ? ", \(Format.count(r.malformed)) malformed lines\n" : "\n"
    if report.findings.isEmpty {
      return out + "\nNo findings.\n"
    }
    for severity in Severity.allCases.reversed() {
      let group = report.findings.filter { $0.severity == severity }
      guard !group.isEmpty else { continue }
      out += "\n\(severity.description.uppercased()) (\(group.count))\n"
      for finding in group { out += render(finding) }
    }
    let counts = Severity.allCases.reversed().compactMap { severity -> String? in
      let n = report.findings.filter { $0.severity == severity }.count
      return n > 0 ? "\(n) \(severity)" : nil
    }
    out += "\n\(report.findings.count) \(report.findings.count == 1 ? "finding" : "findings"): \(counts.joined(separator: ", "))\n"
    return out
  }

  private static func render(_ f: Finding) -> String {
    var head = "  \(f.rule)"
    if let interface = f.interfaceID { head += "  \(TextEscaping.terminalSafe(interface))" }
    if let source = f.source { head += "  from \(source)" }
    if let port = f.port { head += "  to \(port)" + (f.protocol.map { "/\(Format.protocolName($0))" } ?? "") }
    var out = head + "\n"
    out += "    \(TextEscaping.terminalSafe(f.message))\n"
    var numbers = "    \(Format.count(f.records)) \(f.records == 1 ? "record" : "records"), \(Format.count(f.packets)) packets, \(Format.bytes(f.bytes))"
    if let first = f.firstSeen, let last = f.lastSeen { numbers += ", \(Format.utc(first)) → \(Format.utc(last))" }
    out += numbers + "\n"
    if let evidence = f.evidence { out += "    evidence: \(TextEscaping.terminalSafe(evidence.file)):\(evidence.line)\n" }
    out += "    remedy: \(TextEscaping.terminalSafe(f.remedy))\n"
    return out
  }
}
