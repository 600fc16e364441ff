import Foundation
import Testing

/// `records --format ocsf` and `audit --format ocsf`, checked against the OCSF schema's required
/// attributes and, value by value, against `records`/`audit --format ndjson` parsed here.
///
/// Required attributes are those of OCSF schema 1.9.0 (schema.ocsf.io/1.9.0, released 2026-08-03):
/// Base Event's required attributes, those of the class, and of the profiles and objects the
/// events use, as the schema's class pages list them.
@Suite("OCSF export")
struct OCSFExportTests {
  /// A JSON type a required attribute must have.
  enum Kind: String {
    case integer, string, object, array
  }

  /// Network Activity (4001), OCSF 1.9.0: Base Event's `activity_id`, `category_uid`, `class_uid`,
  /// `metadata`, `severity_id`, `time`, `type_uid`; the Cloud profile's `cloud` (with its required
  /// `provider`); Metadata's `product` and `version`; Product's `name`. The class adds the
  /// constraint "at least one of `src_endpoint`, `dst_endpoint`", and Network Connection
  /// Information requires `direction_id` when `connection_info` is there.
  static let networkActivityRequired: [(path: String, kind: Kind)] = [
    ("activity_id", .integer), ("category_uid", .integer), ("class_uid", .integer), ("metadata", .object),
    ("severity_id", .integer), ("time", .integer), ("type_uid", .integer), ("cloud", .object),
    ("cloud.provider", .string), ("metadata.product", .object), ("metadata.version", .string),
    ("metadata.product.name", .string),
  ]

  /// Detection Finding (2004), OCSF 1.9.0: Base Event's required attributes as above, Finding's
  /// `finding_info`, Finding Information's `uid` (and `title`, required before 1.3 and written
  /// here), Metadata's `product` and `version`, the Cloud profile's `cloud.provider`.
  static let detectionFindingRequired: [(path: String, kind: Kind)] = [
    ("activity_id", .integer), ("category_uid", .integer), ("class_uid", .integer), ("metadata", .object),
    ("severity_id", .integer), ("time", .integer), ("type_uid", .integer), ("finding_info", .object),
    ("finding_info.uid", .string), ("finding_info.title", .string), ("metadata.product", .object),
    ("metadata.version", .string), ("metadata.product.name", .string), ("cloud.provider", .string),
  ]

  // MARK: - Helpers

  static func lines(_ text: String) throws -> [[String: Any]] {
    try text.split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { line in
      try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "\(line)")
    }
  }

  static func value(_ object: [String: Any], _ path: String) -> Any? {
    var current: Any? = object
    for key in path.split(separator: ".") { current = (current as? [String: Any])?[String(key)] }
    return current
  }

  static func has(_ value: Any?, kind: Kind) -> Bool {
    switch kind {
    case .string: return value is String
    case .object: return value is [String: Any]
    case .array: return value is [Any]
    case .integer:
      guard let number = value as? NSNumber, !(value is String) else { return false }
      return number.doubleValue.rounded() == number.doubleValue
    }
  }

  static func integer(_ value: Any?) -> Int64? {
    guard let number = value as? NSNumber, !(value is String) else { return nil }
    return number.int64Value
  }

  /// Whether a null appears anywhere: absent values are left out, never null.
  static func containsNull(_ value: Any) -> Bool {
    if value is NSNull { return true }
    if let object = value as? [String: Any] { return object.values.contains(where: containsNull) }
    if let array = value as? [Any] { return array.contains(where: containsNull) }
    return false
  }

  /// Checks the required attributes; `time` only where the input has a time (a custom layout
  /// without `start` and `end` has none, and a time is never made up).
  static func expectRequired(
    _ event: [String: Any], _ required: [(path: String, kind: Kind)], hasTime: Bool = true,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    for (path, kind) in required where hasTime || path != "time" {
      #expect(has(value(event, path), kind: kind), "\(path) should be \(kind.rawValue)", sourceLocation: sourceLocation)
    }
    #expect(value(event, "metadata.version") as? String == "1.9.0", sourceLocation: sourceLocation)
    let classUID = integer(event["class_uid"]) ?? 0
    #expect(integer(event["type_uid"]) == classUID * 100 + (integer(event["activity_id"]) ?? -1))
    #expect(integer(event["category_uid"]) == classUID / 1000, sourceLocation: sourceLocation)
    if value(event, "connection_info") != nil {
      #expect(has(value(event, "connection_info.direction_id"), kind: .integer), sourceLocation: sourceLocation)
    }
    #expect(!containsNull(event), sourceLocation: sourceLocation)
  }

  /// The event `records --format ndjson` says the record should be: the oracle, written from the
  /// mapping (Security Lake's for VPC flow logs), not from the writer.
  static func expectMatches(_ event: [String: Any], record: [String: Any]) {
    func field(_ name: String) -> Any? { record[name] is NSNull ? nil : record[name] }
    func string(_ name: String) -> String? { field(name) as? String }
    let context = "\(record)"
    #expect(integer(event["class_uid"]) == 4001, "\(context)")
    #expect(integer(event["activity_id"]) == 6)
    #expect(integer(event["severity_id"]) == 1)
    // Endpoints: the packet's address where given, the interface's otherwise.
    for (side, address, packetAddress, port, service) in [
      ("src_endpoint", "srcaddr", "pkt-srcaddr", "srcport", "pkt-src-aws-service"),
      ("dst_endpoint", "dstaddr", "pkt-dstaddr", "dstport", "pkt-dst-aws-service"),
    ] {
      let ip = string(packetAddress) ?? string(address)
      #expect(value(event, "\(side).ip") as? String == ip, "\(side).ip \(context)")
      if let original = string(packetAddress), let recorded = string(address), original != recorded {
        #expect(value(event, "\(side).intermediate_ips") as? [String] == [recorded], "\(context)")
      } else {
        #expect(value(event, "\(side).intermediate_ips") == nil, "\(context)")
      }
      #expect(integer(value(event, "\(side).port")) == integer(field(port)), "\(side).port \(context)")
      #expect(value(event, "\(side).svc_name") as? String == string(service), "\(context)")
    }
    #expect(integer(value(event, "connection_info.protocol_num")) == integer(field("protocol")), "\(context)")
    #expect(integer(value(event, "connection_info.tcp_flags")) == integer(field("tcp-flags")), "\(context)")
    #expect(integer(value(event, "traffic.packets")) == integer(field("packets")), "\(context)")
    #expect(integer(value(event, "traffic.bytes")) == integer(field("bytes")), "\(context)")
    #expect(integer(event["start_time"]) == integer(field("start")).map { $0 * 1000 }, "\(context)")
    #expect(integer(event["end_time"]) == integer(field("end")).map { $0 * 1000 }, "\(context)")
    #expect(integer(event["time"]) == (integer(field("start")) ?? integer(field("end"))).map { $0 * 1000 })
    let disposition: (String, Int64)? =
      switch string("action") {
      case "ACCEPT": ("Allowed", 1)
      case "REJECT": ("Blocked", 2)
      default: nil
      }
    #expect(event["disposition"] as? String == disposition?.0, "\(context)")
    #expect(integer(event["disposition_id"]) == disposition?.1, "\(context)")
    #expect(integer(event["action_id"]) == disposition?.1, "\(context)")
    #expect(event["status_code"] as? String == string("log-status"), "\(context)")
    #expect(value(event, "cloud.account.uid") as? String == string("account-id"), "\(context)")
    #expect(value(event, "cloud.region") as? String == string("region"), "\(context)")
    #expect(value(event, "cloud.zone") as? String == string("az-id"), "\(context)")
    #expect(value(event, "metadata.product.version") as? String == integer(field("version")).map(String.init))
    // The interface's ids go with the side flow-direction names, else to unmapped.
    let interfaceSide: String? =
      switch string("flow-direction") {
      case "ingress": "dst_endpoint"
      case "egress": "src_endpoint"
      default: nil
      }
    for (name, attribute) in [
      ("interface-id", "interface_uid"), ("vpc-id", "vpc_uid"), ("subnet-id", "subnet_uid"),
      ("instance-id", "instance_uid"),
    ] {
      let expected = string(name)
      if let interfaceSide {
        #expect(value(event, "\(interfaceSide).\(attribute)") as? String == expected, "\(name) \(context)")
        #expect(value(event, "unmapped.\(name)") == nil)
      } else {
        #expect(value(event, "unmapped.\(name)") as? String == expected, "\(name) \(context)")
        #expect(value(event, "src_endpoint.\(attribute)") == nil && value(event, "dst_endpoint.\(attribute)") == nil)
      }
    }
    // Events with an address name at least one endpoint (the class's constraint).
    if string("srcaddr") != nil || string("dstaddr") != nil {
      #expect(event["src_endpoint"] != nil || event["dst_endpoint"] != nil, "\(context)")
    }
  }

  static func ocsfAndNDJSON(_ arguments: [String], stdin: Data? = nil) throws -> [([String: Any], [String: Any])] {
    let ocsf = try CLI.run(["records", "--format", "ocsf"] + arguments, stdin: stdin)
    let ndjson = try CLI.run(["records", "--format", "ndjson"] + arguments, stdin: stdin)
    #expect(ocsf.status == 0)
    #expect(ocsf.stderr == ndjson.stderr)
    let events = try lines(ocsf.stdout)
    let records = try lines(ndjson.stdout)
    try #require(events.count == records.count)
    return Array(zip(events, records))
  }

  // MARK: - records --format ocsf

  @Test("every line over the sample is an event with the required attributes; one event per record")
  func sampleEvents() throws {
    let output = try CLI.run(["records", "--format", "ocsf", "Fixtures/sample"])
    #expect(output.status == 0)
    let events = try Self.lines(output.stdout)
    let summary = try CLI.run(["summary", "--format", "json", "Fixtures/sample"]).json()
    let total = try #require(Self.integer(Self.value(summary, "records.total")))
    #expect(Int64(events.count) == total)
    for event in events { Self.expectRequired(event, Self.networkActivityRequired) }
    #expect(events.allSatisfy { $0["time"] != nil })
  }

  @Test(
    "values round-trip against records --format ndjson",
    arguments: ["Fixtures/sample", "Fixtures/sample/custom-v5.log"])
  func roundTrip(input: String) throws {
    let pairs = try Self.ocsfAndNDJSON([input])
    #expect(!pairs.isEmpty)
    for (event, record) in pairs { Self.expectMatches(event, record: record) }
  }

  /// Every layout of the AWS "Flow log record examples" page (NAT, Transit Gateway, IPv6, ECS,
  /// NODATA, SKIPDATA, custom formats), given with --log-format.
  @Test("the AWS examples map as records --format ndjson says", arguments: AWSExample.all)
  func awsExample(example: AWSExample) throws {
    let format = example.fields.split(separator: " ").map { "${\($0)}" }.joined(separator: " ")
    let pairs = try Self.ocsfAndNDJSON(["--log-format", format, "-"], stdin: Data((example.line + "\n").utf8))
    for (event, record) in pairs {
      Self.expectRequired(event, Self.networkActivityRequired, hasTime: Self.hasTime(record))
      Self.expectMatches(event, record: record)
    }
  }

  static func hasTime(_ record: [String: Any]) -> Bool {
    integer(record["start"]) != nil || integer(record["end"]) != nil
  }

  static func event(_ format: String, _ line: String) throws -> [String: Any] {
    let pairs = try ocsfAndNDJSON(["--log-format", format, "-"], stdin: Data((line + "\n").utf8))
    let (event, record) = try #require(pairs.first)
    expectRequired(event, networkActivityRequired)
    expectMatches(event, record: record)
    return event
  }

  static let v2 =
    "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status"

  @Test("an IPv4 record")
  func ipv4() throws {
    let event = try Self.event(
      Self.v2, "2 123456789010 eni-0a 10.0.1.5 198.51.100.7 49152 443 6 10 840 1700000000 1700000060 ACCEPT OK")
    #expect(Self.value(event, "src_endpoint.ip") as? String == "10.0.1.5")
    #expect(Self.integer(Self.value(event, "dst_endpoint.port")) == 443)
    #expect(Self.integer(Self.value(event, "connection_info.protocol_ver_id")) == 4)
    #expect(Self.integer(Self.value(event, "connection_info.direction_id")) == 0)
    #expect(Self.value(event, "action") as? String == "Allowed")
    #expect(Self.integer(event["start_time"]) == 1_700_000_000_000)
  }

  @Test("an IPv6 record: addresses in RFC 5952 form")
  func ipv6() throws {
    let event = try Self.event(
      Self.v2,
      "2 123456789010 eni-0b 2001:0DB8:0:0:0:0:0:1 2001:db8::ff00:42:8329 443 50000 6 3 180 1700000000 1700000030 REJECT OK"
    )
    #expect(Self.value(event, "src_endpoint.ip") as? String == "2001:db8::1")
    #expect(Self.value(event, "dst_endpoint.ip") as? String == "2001:db8::ff00:42:8329")
    #expect(Self.integer(Self.value(event, "connection_info.protocol_ver_id")) == 6)
    #expect(Self.value(event, "disposition") as? String == "Blocked")
    #expect(Self.value(event, "action") as? String == "Denied")
  }

  @Test(
    "NODATA and SKIPDATA records: `-` fields are left out, not filled in",
    arguments: ["NODATA", "SKIPDATA"])
  func dashFields(status: String) throws {
    let event = try Self.event(Self.v2, "2 123456789010 eni-0c - - - - - - - 1431280876 1431280934 - \(status)")
    #expect(event["status_code"] as? String == status)
    for absent in ["src_endpoint", "dst_endpoint", "traffic", "connection_info", "action", "disposition"] {
      #expect(event[absent] == nil, "\(absent)")
    }
    #expect(Self.value(event, "unmapped") as? [String: String] == ["interface-id": "eni-0c"])
    #expect(Self.integer(event["end_time"]) == 1_431_280_934_000)
  }

  static let v5 =
    "version account-id vpc-id subnet-id instance-id interface-id srcaddr dstaddr pkt-srcaddr pkt-dstaddr srcport "
    + "dstport protocol packets bytes start end action log-status tcp-flags pkt-src-aws-service pkt-dst-aws-service "
    + "flow-direction traffic-path reject-reason"

  @Test("a custom v5 layout, egress: the interface is the source; the service and path are mapped")
  func customEgress() throws {
    let event = try Self.event(
      Self.v5,
      "5 123456789010 vpc-1 subnet-1 i-1 eni-1 10.0.1.5 52.216.1.1 10.0.1.5 52.216.1.1 40000 443 6 20 9000 "
        + "1700000000 1700000060 ACCEPT OK 3 - S3 egress 8 -")
    #expect(Self.value(event, "src_endpoint.interface_uid") as? String == "eni-1")
    #expect(Self.value(event, "src_endpoint.vpc_uid") as? String == "vpc-1")
    #expect(Self.value(event, "src_endpoint.subnet_uid") as? String == "subnet-1")
    #expect(Self.value(event, "src_endpoint.instance_uid") as? String == "i-1")
    #expect(Self.value(event, "dst_endpoint.svc_name") as? String == "S3")
    #expect(Self.value(event, "src_endpoint.svc_name") == nil)
    #expect(Self.integer(Self.value(event, "connection_info.direction_id")) == 2)
    #expect(Self.value(event, "connection_info.direction") as? String == "Outbound")
    #expect(Self.integer(Self.value(event, "connection_info.boundary_id")) == 11)
    #expect(Self.value(event, "connection_info.boundary") as? String == "Internet Gateway")
    #expect(Self.integer(Self.value(event, "connection_info.tcp_flags")) == 3)
    #expect(event["unmapped"] == nil)
  }

  @Test("a custom v5 layout, ingress through NAT: the interface is the destination, the packet's source the ip")
  func customIngressNAT() throws {
    let event = try Self.event(
      Self.v5,
      "5 123456789010 vpc-1 subnet-1 - eni-2 10.0.0.9 10.0.1.5 203.0.113.8 10.0.1.5 443 40000 6 20 9000 "
        + "1700000000 1700000060 REJECT OK 18 EC2 - ingress 9 2")
    #expect(Self.value(event, "dst_endpoint.interface_uid") as? String == "eni-2")
    #expect(Self.value(event, "dst_endpoint.instance_uid") == nil)
    #expect(Self.value(event, "src_endpoint.ip") as? String == "203.0.113.8")
    #expect(Self.value(event, "src_endpoint.intermediate_ips") as? [String] == ["10.0.0.9"])
    #expect(Self.value(event, "src_endpoint.svc_name") as? String == "EC2")
    #expect(Self.integer(Self.value(event, "connection_info.direction_id")) == 1)
    // A traffic path the schema has no boundary for, and reject-reason, stay under their AWS names.
    #expect(Self.value(event, "connection_info.boundary_id") == nil)
    #expect(Self.integer(Self.value(event, "unmapped.traffic-path")) == 9)
    #expect(Self.value(event, "unmapped.reject-reason") as? String == "2")
  }

  // MARK: - audit --format ocsf

  static func auditLines(_ arguments: [String]) throws -> (ocsf: String, findings: [[String: Any]]) {
    let ocsf = try CLI.run(["audit", "--format", "ocsf", "--findings-per-rule", "0"] + arguments)
    let ndjson = try CLI.run(["audit", "--format", "ndjson", "--findings-per-rule", "0"] + arguments)
    #expect(ocsf.status == ndjson.status)
    #expect(ocsf.stderr == ndjson.stderr)
    return (ocsf.stdout, try lines(ndjson.stdout))
  }

  @Test("findings are Detection Findings with the required attributes, in the order of --format ndjson")
  func auditFindings() throws {
    let (text, findings) = try Self.auditLines(["Fixtures/sample"])
    let events = try Self.lines(text)
    #expect(events.count == findings.count)
    #expect(!events.isEmpty)
    let severities: [String: (Int64, String)] = [
      "info": (1, "Informational"), "low": (2, "Low"), "medium": (3, "Medium"), "high": (4, "High"),
      "critical": (5, "Critical"),
    ]
    var uids = Set<String>()
    for (event, finding) in zip(events, findings) {
      Self.expectRequired(event, Self.detectionFindingRequired)
      #expect(Self.integer(event["class_uid"]) == 2004)
      #expect(Self.integer(event["activity_id"]) == 1)
      let severity = try #require(severities[finding["severity"] as? String ?? ""])
      #expect(Self.integer(event["severity_id"]) == severity.0)
      #expect(event["severity"] as? String == severity.1)
      #expect(Self.value(event, "finding_info.types") as? [String] == [finding["rule"] as? String ?? ""])
      #expect(Self.value(event, "finding_info.title") as? String == finding["message"] as? String)
      #expect(Self.value(event, "remediation.desc") as? String == finding["remedy"] as? String)
      let first = Self.integer(finding["first_seen"]).map { $0 * 1000 }
      let last = Self.integer(finding["last_seen"]).map { $0 * 1000 }
      #expect(Self.integer(Self.value(event, "finding_info.first_seen_time")) == first)
      #expect(Self.integer(Self.value(event, "finding_info.last_seen_time")) == last)
      #expect(Self.integer(event["time"]) == last ?? first)
      #expect(Self.integer(event["count"]) == Self.integer(finding["records"]))
      #expect(Self.integer(Self.value(event, "unmapped.packets")) == Self.integer(finding["packets"]))
      #expect(Self.integer(Self.value(event, "unmapped.bytes")) == Self.integer(finding["bytes"]))
      #expect(Self.value(event, "unmapped.evidence.file") as? String == Self.value(finding, "evidence.file") as? String)
      #expect(
        Self.integer(Self.value(event, "unmapped.evidence.line")) == Self.integer(Self.value(finding, "evidence.line")))
      let resources = event["resources"] as? [[String: Any]]
      #expect(resources?.first?["uid"] as? String == finding["interface_id"] as? String)
      let evidence = (event["evidences"] as? [[String: Any]])?.first ?? [:]
      #expect(Self.value(evidence, "src_endpoint.ip") as? String == finding["source"] as? String)
      #expect(Self.integer(Self.value(evidence, "dst_endpoint.port")) == Self.integer(finding["port"]))
      #expect(Self.integer(Self.value(evidence, "connection_info.protocol_num")) == Self.integer(finding["protocol"]))
      let disposition: String? =
        switch finding["action"] as? String {
        case "ACCEPT": "Allowed"
        case "REJECT": "Blocked"
        default: nil
        }
      #expect(event["disposition"] as? String == disposition)
      let uid = try #require(Self.value(event, "finding_info.uid") as? String)
      #expect(uids.insert(uid).inserted, "uid \(uid) repeated")
    }
  }

  @Test("audit --format ocsf is the same for --jobs 1 and 3 and any order of the input files")
  func auditJobs() throws {
    let directory = CLI.root.appendingPathComponent(
      "Fixtures/sample/AWSLogs/123456789012/vpcflowlogs/us-east-1/2024/11/26")
    let objects = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted().map {
      directory.appendingPathComponent($0).path
    }
    let files = objects + [CLI.root.appendingPathComponent("Fixtures/sample/custom-v5.log").path]
    let reference = try CLI.run(["audit", "--format", "ocsf", "--jobs", "1"] + files)
    #expect(!reference.stdout.isEmpty)
    var generator = SystemRandomNumberGenerator()
    for jobs in ["1", "3"] {
      for _ in 0..<2 {
        let output = try CLI.run(["audit", "--format", "ocsf", "--jobs", jobs] + files.shuffled(using: &generator))
        #expect(output.stdout == reference.stdout, "--jobs \(jobs)")
        #expect(output.status == reference.status)
      }
    }
  }

  @Test("the help lists the ocsf format")
  func help() throws {
    #expect(try CLI.run(["records", "--help"]).stdout.contains("ocsf"))
    #expect(try CLI.run(["audit", "--help"]).stdout.contains("ocsf"))
  }
}
