import FlowStats

/// `flowlens suggest` as text: the evidence window, then per security group a diff-like view of
/// its inbound rules (`  ` keep, `- ` remove, `+ ` add).
public enum SuggestTextRenderer {
  /// The report as text.
  public static func render(_ report: SuggestReport) -> String {
    var out = evidenceLines(report).map { $0 + "\n" }.joined()
    if let filter = report.filter { out += "Filter: \(TextEscaping.terminalSafe(Format.filterNote(filter)))\n" }
    out += "Lines: '  ' keep, '- ' remove, '+ ' add. Nothing is changed; --format aws-cli prints the commands.\n"
    for group in report.securityGroups {
      out += "\n" + heading(group) + "\n"
      if group.rules.isEmpty { out += "    (no inbound rules)\n" }
      let width = group.rules.map { ruleText($0, source: $0.source).count }.max() ?? 0
      for rule in group.rules {
        let text = ruleText(rule, source: rule.source)
        let padded = text + String(repeating: " ", count: max(0, width - text.count))
        let marker = rule.status == .unused || rule.status == .widerThanUsed ? "- " : "  "
        out += "  \(marker)\(padded)  \(verdict(rule))\n"
        guard rule.status == .widerThanUsed else { continue }
        for proposed in rule.proposed {
          out += "  + \(ruleText(rule, source: proposed))"
          out += rule.proposedNetwork.map { "  (network \(TextEscaping.terminalSafe($0)))" } ?? ""
          out += "\n"
        }
      }
    }
    return out
  }

  /// The evidence window, the inbound accounting, and the warning for a short window.
  public static func evidenceLines(_ report: SuggestReport) -> [String] {
    let evidence = report.evidence
    var lines: [String] = []
    if let first = evidence.firstStart, let last = evidence.lastEnd {
      lines.append(
        "Evidence: \(UTCTime.text(first)) to \(UTCTime.text(last)) (\(duration(evidence.seconds))), "
          + "\(Quantity.counted(evidence.records, "record"))")
    } else {
      lines.append("Evidence: no records")
    }
    lines.append(
      "Inbound: \(Quantity.counted(report.inboundAcceptedRecords, "accepted record")) to inventory interfaces; "
        + "\(Quantity.counted(report.repliesNotCounted, "reply", plural: "replies")) to their own connections "
        + "not counted; \(Quantity.count(report.matchedNoRule)) matched no rule")
    let aggregated = report.securityGroups.flatMap(\.rules).filter { $0.observedSourcesAggregated != nil }
    if let first = aggregated.first?.observedSourcesAggregated {
      lines.append(
        "Aggregated: \(Quantity.counted(aggregated.count, "rule")) had more distinct sources than --source-capacity "
          + "(\(Format.count(first.sourceCapacity))); their sources are counted per prefix (counts exact) and a "
          + "proposal covers whole prefixes (raise --source-capacity for per-address sources)")
    }
    if evidence.shorterThanAWeek {
      lines.append(
        "Warning: the evidence covers less than a week; rare traffic (backups, disaster recovery) may not have "
          + "been seen. Keep rules you know are needed.")
    }
    return lines
  }

  /// `sg-… web-public (vpc-…, 123456789012, us-east-1): 5 interfaces`.
  static func heading(_ group: SuggestedGroup) -> String {
    let name = group.groupName.map { " " + TextEscaping.terminalSafe($0) } ?? ""
    let place = [group.vpcID, group.ownerID, group.region].compactMap { $0 }.joined(separator: ", ")
    return "\(group.groupID)\(name)\(place.isEmpty ? "" : " (\(place))"): "
      + Quantity.counted(group.interfaces.count, "interface")
  }

  /// `tcp 22 from 0.0.0.0/0`, `all traffic from sg-…`, `icmp from 0.0.0.0/0`.
  public static func ruleText(_ rule: SuggestedRule, source: String) -> String {
    "\(portText(rule)) from \(source)"
  }

  /// `tcp 22`, `tcp 8000-8080`, `udp all ports`, `icmp`, `all traffic`.
  public static func portText(_ rule: SuggestedRule) -> String {
    switch rule.ipProtocol {
    case "-1": return "all traffic"
    case "tcp", "udp", "6", "17":
      let name = rule.ipProtocol == "6" ? "tcp" : rule.ipProtocol == "17" ? "udp" : rule.ipProtocol
      guard let from = rule.fromPort, let to = rule.toPort, from >= 0 else { return "\(name) all ports" }
      return from == to ? "\(name) \(from)" : "\(name) \(from)-\(to)"
    case "icmp", "icmpv6", "1", "58":
      // FromPort is the ICMP type and ToPort the code; -1 is every one.
      let name = rule.ipProtocol == "1" ? "icmp" : rule.ipProtocol == "58" ? "icmpv6" : rule.ipProtocol
      guard let type = rule.fromPort, type >= 0 else { return name }
      guard let code = rule.toPort, code >= 0 else { return "\(name) type \(type)" }
      return "\(name) type \(type) code \(code)"
    default:
      return TextEscaping.terminalSafe(rule.ipProtocol)
    }
  }

  static func verdict(_ rule: SuggestedRule) -> String {
    let sources = sourcesText(rule)
    switch rule.status {
    case .unused: return "unused: no accepted inbound traffic matched; remove"
    case .notLogged: return "not logged: no record of its interfaces was read"
    case .used:
      return "used: \(Quantity.counted(rule.records, "record")), \(sources); keep"
    case .widerThanUsed:
      return "wider than used: \(Quantity.counted(rule.records, "record")), \(sources); \(rule.reason)"
    }
  }

  /// `6 sources`, or for sources counted per prefix `more than 4,096 sources in 3 prefixes (IPv4 /16)`.
  public static func sourcesText(_ rule: SuggestedRule) -> String {
    guard let aggregated = rule.observedSourcesAggregated else {
      return Quantity.counted(rule.observedSources.count, "source")
    }
    let hasV4 = rule.observedSources.contains { !$0.address.contains(":") }
    let hasV6 = rule.observedSources.contains { $0.address.contains(":") }
    let lengths = [
      hasV4 ? "IPv4 /\(aggregated.ipv4PrefixLength)" : nil, hasV6 ? "IPv6 /\(aggregated.ipv6PrefixLength)" : nil,
    ].compactMap { $0 }.joined(separator: ", ")
    return "more than \(Quantity.counted(aggregated.sourceCapacity, "source")) in "
      + "\(Quantity.counted(rule.observedSources.count, "prefix", plural: "prefixes")) (\(lengths))"
  }

  /// `15 minutes`, `3 hours`, `12 days`.
  static func duration(_ seconds: UInt64) -> String {
    if seconds < 120 { return Quantity.counted(seconds, "second") }
    if seconds < 2 * 3600 { return Quantity.counted(seconds / 60, "minute") }
    if seconds < 2 * 86_400 { return Quantity.counted(seconds / 3600, "hour") }
    return Quantity.counted(seconds / 86_400, "day")
  }
}
