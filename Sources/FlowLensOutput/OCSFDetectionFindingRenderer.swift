import FlowLogParser
import FlowStats

/// Writes audit findings as OCSF Detection Finding events (class 2004, activity 1 Create), one JSON
/// object per line (`audit --format ocsf`), in report order (the order of `audit --format ndjson`).
///
/// - `finding_info`: `uid` (`flowlens-<rule>-<16 hex digits>`, a hash of what makes the finding
///   itself: rule, interface, source, port, protocol and message, so the same input always gives the
///   same uid), `title` (the message), `desc` (the counts), `types` (the rule),
///   `first_seen_time`/`last_seen_time` (ms).
/// - `severity_id`/`severity`: info 1 Informational, low 2, medium 3, high 4, critical 5.
/// - `time` is the finding's `last_seen` (ms): the time of the latest record that shows it, so that
///   the output depends on the input only; `start_time`/`end_time` are `first_seen`/`last_seen`,
///   `count` the records.
/// - `resources`: the interface (or resource) the traffic was recorded on; `evidences`: the
///   source address, destination port and protocol; `action`/`disposition` from the records'
///   action; `remediation.desc` the remedy.
/// - `unmapped`: records, packets, bytes, the first record that shows it (`evidence.file`,
///   `evidence.line`), the detector's `details`, and a `source` that is a prefix, not an address.
public enum OCSFDetectionFindingRenderer {
  /// The events, one line each. `productVersion` is flowlens's version (`metadata.product.version`).
  public static func render(_ findings: [Finding], productVersion: String) throws -> String {
    var lines = ""
    for finding in findings {
      lines += try JSONOutput.encodeLine(event(for: finding, productVersion: productVersion))
    }
    return lines
  }

  /// A JSON value of an event: objects are encoded with sorted keys by ``JSONOutput``.
  indirect enum Value: Encodable, Equatable {
    case integer(Int64)
    case number(Double)
    case flag(Bool)
    case text(String)
    case array([Value])
    case object([String: Value])

    init(_ value: some BinaryInteger) { self = .integer(Int64(clamping: value)) }

    func encode(to encoder: any Encoder) throws {
      var container = encoder.singleValueContainer()
      switch self {
      case .integer(let value): try container.encode(value)
      case .number(let value): try container.encode(value)
      case .flag(let value): try container.encode(value)
      case .text(let value): try container.encode(value)
      case .array(let values): try container.encode(values)
      case .object(let members): try container.encode(members)
      }
    }
  }

  /// The event of one finding.
  static func event(for finding: Finding, productVersion: String) -> Value {
    let severity = OCSF.severity(finding.severity)
    var event: [String: Value] = [
      "activity_id": Value(OCSF.DetectionFinding.createActivityID),
      "activity_name": .text(OCSF.DetectionFinding.createActivityName),
      "category_name": .text(OCSF.DetectionFinding.categoryName),
      "category_uid": Value(OCSF.DetectionFinding.categoryUID),
      "class_name": .text(OCSF.DetectionFinding.className),
      "class_uid": Value(OCSF.DetectionFinding.classUID),
      "cloud": .object(["provider": .text(OCSF.cloudProvider.description)]),
      "count": Value(finding.records),
      "finding_info": findingInfo(finding),
      "message": .text(finding.message),
      "metadata": .object([
        "product": .object([
          "name": .text("flowlens"), "vendor_name": .text("flowlens"), "version": .text(productVersion),
        ]),
        "profiles": .array([.text("cloud"), .text("security_control")]),
        "version": .text(OCSF.schemaVersion),
      ]),
      "remediation": .object(["desc": .text(finding.remedy)]),
      "severity": .text(severity.name),
      "severity_id": Value(severity.id),
      "status": .text(OCSF.DetectionFinding.newStatusName),
      "status_id": Value(OCSF.DetectionFinding.newStatusID),
      "type_name": .text(OCSF.DetectionFinding.typeName),
      "type_uid": Value(OCSF.DetectionFinding.typeUID),
      "unmapped": unmapped(finding),
    ]
    if let time = finding.lastSeen ?? finding.firstSeen { event["time"] = Value(time &* 1000) }
    if let first = finding.firstSeen { event["start_time"] = Value(first &* 1000) }
    if let last = finding.lastSeen { event["end_time"] = Value(last &* 1000) }
    if let action = FlowAction.allCases.first(where: { $0.name == finding.action }) {
      let mapped = OCSF.action(action)
      event["action"] = .text(mapped.action.description)
      event["action_id"] = Value(mapped.actionID)
      event["disposition"] = .text(mapped.disposition.description)
      event["disposition_id"] = Value(mapped.dispositionID)
    }
    if let interface = finding.interfaceID {
      var resource: [String: Value] = ["uid": .text(interface)]
      if interface.hasPrefix("eni-") { resource["type"] = .text("AWS::EC2::NetworkInterface") }
      event["resources"] = .array([.object(resource)])
    }
    if let evidence = evidence(finding) { event["evidences"] = .array([evidence]) }
    return .object(event)
  }

  private static func findingInfo(_ finding: Finding) -> Value {
    var info: [String: Value] = [
      "desc": .text(
        "\(Quantity.counted(finding.records, "record")), \(Quantity.counted(finding.packets, "packet")), "
          + "\(Quantity.counted(finding.bytes, "byte"))"),
      "title": .text(finding.message),
      "types": .array([.text(finding.rule)]),
      "uid": .text(uid(finding)),
    ]
    if let first = finding.firstSeen { info["first_seen_time"] = Value(first &* 1000) }
    if let last = finding.lastSeen { info["last_seen_time"] = Value(last &* 1000) }
    return .object(info)
  }

  /// The traffic the finding is about: source address, destination port, protocol. Nil when the
  /// finding names none of them.
  private static func evidence(_ finding: Finding) -> Value? {
    var evidence: [String: Value] = [:]
    if let source = finding.source, let address = IPAddress(text: source) {
      evidence["src_endpoint"] = .object(["ip": .text(address.description)])
    }
    if let port = finding.port { evidence["dst_endpoint"] = .object(["port": Value(port)]) }
    if let number = finding.protocol {
      // The schema requires `direction_id` in `connection_info`; a finding does not state one.
      evidence["connection_info"] = .object([
        "direction": .text(OCSF.unknownDirectionName.description),
        "direction_id": Value(OCSF.unknownDirectionID), "protocol_num": Value(number),
      ])
    }
    return evidence.isEmpty ? nil : .object(evidence)
  }

  private static func unmapped(_ finding: Finding) -> Value {
    var unmapped: [String: Value] = [
      "bytes": Value(finding.bytes), "packets": Value(finding.packets), "records": Value(finding.records),
      "rule": .text(finding.rule),
    ]
    if let evidence = finding.evidence {
      unmapped["evidence"] = .object(["file": .text(evidence.file), "line": Value(evidence.line)])
    }
    if let source = finding.source, IPAddress(text: source) == nil { unmapped["source"] = .text(source) }
    if !finding.details.isEmpty {
      unmapped["details"] = .object(
        finding.details.mapValues { detail in
          switch detail {
          case .integer(let value): .integer(value)
          case .number(let value): .number(value)
          case .flag(let value): .flag(value)
          case .text(let value): .text(value)
          }
        })
    }
    return .object(unmapped)
  }

  /// `flowlens-<rule>-<FNV-1a of the finding's identity, 16 hex digits>`.
  static func uid(_ finding: Finding) -> String {
    var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    let parts = [
      finding.rule, finding.interfaceID ?? "", finding.source ?? "", finding.port.map(String.init) ?? "",
      finding.protocol.map(String.init) ?? "", finding.message,
    ]
    for part in parts {
      for byte in part.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
      hash = (hash ^ 0x1F) &* 0x0000_0100_0000_01b3  // unit separator: "a","bc" ≠ "ab","c"
    }
    let hex = String(hash, radix: 16)
    return "flowlens-\(finding.rule)-" + String(repeating: "0", count: 16 - hex.count) + hex
  }
}
