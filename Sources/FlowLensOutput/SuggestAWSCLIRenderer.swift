import FlowStats

/// `flowlens suggest --format aws-cli`: the `aws ec2 authorize-security-group-ingress` and
/// `revoke-security-group-ingress` commands that apply the proposal, as a shell script for people
/// to review and run. flowlens runs none of them. For a narrowed rule the new rule is authorized
/// before the wide one is revoked, so that the traffic seen is never cut off in between.
public enum SuggestAWSCLIRenderer {
  /// The commands, with comments saying why.
  public static func render(_ report: SuggestReport) -> String {
    var out = "#!/bin/sh\n# flowlens suggest: commands that apply the proposal. Review them; flowlens ran none.\n"
    for line in SuggestTextRenderer.evidenceLines(report) { out += "# \(line)\n" }
    var commands = 0
    for group in report.securityGroups {
      for rule in group.rules where rule.status == .unused || rule.status == .widerThanUsed {
        let description = SuggestTextRenderer.ruleText(rule, source: rule.source)
        out += "\n# \(group.groupID)\(group.groupName.map { " " + $0 } ?? ""): \(description): "
        out +=
          rule.status == .unused
          ? "unused\n"
          : "wider than used (\(Quantity.counted(rule.records, "record")) from "
            + "\(SuggestTextRenderer.sourcesText(rule)))\n"
        if rule.status == .widerThanUsed {
          out += command("authorize", group: group, permission: permission(rule, sources: rule.proposed, kind: "cidr"))
          commands += 1
        }
        out += command(
          "revoke", group: group, permission: permission(rule, sources: [rule.source], kind: rule.sourceKind))
        commands += 1
      }
    }
    if commands == 0 { out += "\n# Nothing to change: every rule was used as wide as it is.\n" }
    return out
  }

  private static func command(_ verb: String, group: SuggestedGroup, permission: String) -> String {
    let region = group.region.map { " --region \(shellQuoted($0))" } ?? ""
    return "aws ec2 \(verb)-security-group-ingress\(region) --group-id \(shellQuoted(group.groupID)) "
      + "--ip-permissions \(shellQuoted(permission))\n"
  }

  /// The `--ip-permissions` JSON of `rule`'s protocol and ports with `sources`.
  static func permission(_ rule: SuggestedRule, sources: [String], kind: String) -> String {
    var fields = ["\"IpProtocol\":\(json(rule.ipProtocol))"]
    if rule.ipProtocol != "-1", let from = rule.fromPort, let to = rule.toPort {
      fields.append("\"FromPort\":\(from)")
      fields.append("\"ToPort\":\(to)")
    }
    switch kind {
    case "prefix_list":
      fields.append("\"PrefixListIds\":[\(sources.map { "{\"PrefixListId\":\(json($0))}" }.joined(separator: ","))]")
    case "security_group":
      fields.append("\"UserIdGroupPairs\":[\(sources.map { "{\"GroupId\":\(json($0))}" }.joined(separator: ","))]")
    default:
      let v4 = sources.filter { !$0.contains(":") }
      let v6 = sources.filter { $0.contains(":") }
      if !v4.isEmpty { fields.append("\"IpRanges\":[\(v4.map { "{\"CidrIp\":\(json($0))}" }.joined(separator: ","))]") }
      if !v6.isEmpty {
        fields.append("\"Ipv6Ranges\":[\(v6.map { "{\"CidrIpv6\":\(json($0))}" }.joined(separator: ","))]")
      }
    }
    return "[{\(fields.joined(separator: ","))}]"
  }

  /// A JSON string literal (ids and CIDRs: no characters that need more than quotes and escapes).
  private static func json(_ text: String) -> String {
    var out = "\""
    for scalar in text.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case _ where scalar.value < 0x20:
        out += "\\u00" + (scalar.value < 0x10 ? "0" : "") + String(scalar.value, radix: 16)
      default: out.unicodeScalars.append(scalar)
      }
    }
    return out + "\""
  }

  /// `'text'` for a POSIX shell, with any `'` closed, escaped and reopened.
  static func shellQuoted(_ text: String) -> String {
    "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "'\\''") + "'"
  }
}
