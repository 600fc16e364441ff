import FlowLogParser

/// Writes each record as one OCSF Network Activity event (class 4001, activity 6 Traffic), one JSON
/// object per line (`records --format ocsf`), mapped as Amazon Security Lake maps VPC flow logs
/// (the OCSF project's "Amazon VPC Flowlogs" mapping):
///
/// - `start`, `end` → `start_time`, `end_time` in milliseconds; `time` is `start` (else `end`).
/// - `action` → `action`/`action_id` and `disposition`/`disposition_id` (ACCEPT: Allowed,
///   REJECT: Denied/Blocked); `log-status` → `status_code`.
/// - `srcaddr`/`dstaddr`, `srcport`/`dstport`, `pkt-src-aws-service`/`pkt-dst-aws-service` →
///   `src_endpoint`/`dst_endpoint` `ip`, `port`, `svc_name`. Where `pkt-srcaddr` differs from
///   `srcaddr` (NAT, a load balancer), `ip` is the packet's address and `srcaddr` goes to
///   `intermediate_ips`; the same for the destination.
/// - `interface-id`, `vpc-id`, `subnet-id`, `instance-id` → `interface_uid`, `vpc_uid`, `subnet_uid`,
///   `instance_uid` of the endpoint the interface is: `dst_endpoint` for `flow-direction` ingress,
///   `src_endpoint` for egress. Without a direction the record does not say which side the
///   interface is, and they stay in `unmapped`.
/// - `protocol`, `tcp-flags` → `connection_info.protocol_num`, `tcp_flags`; `flow-direction` →
///   `direction_id` (1 Inbound, 2 Outbound; 0 Unknown when absent: the schema requires it);
///   `traffic-path` → `boundary_id` (4 Same VPC … 11 Internet Gateway); the address family →
///   `protocol_ver_id` (4, 6).
/// - `packets`, `bytes` → `traffic`; `account-id`, `region`, `az-id` → `cloud.account.uid`,
///   `cloud.region`, `cloud.zone`; `version` → `metadata.product.version`.
/// - Every other field of the layout → `unmapped`, under its AWS name, typed as in
///   `records --format ndjson`.
///
/// A field that is `-` or not in the layout is left out, never filled in.
public struct OCSFNetworkActivityWriter: FlowRecordSink {
  private var out = OutputBuffer()
  /// The layout's fields that go to `unmapped` unless a record maps them (the interface's ids
  /// with a direction, `traffic-path` with a known path), with their `"name":` bytes.
  private var unmappedColumns: [(field: FlowField, key: [UInt8])] = []

  /// Fields that always have a place in the event.
  private static let alwaysMapped = FieldSet([
    .version, .accountID, .srcaddr, .dstaddr, .srcport, .dstport, .protocol, .packets, .bytes, .start, .end,
    .action, .logStatus, .tcpFlags, .pktSrcaddr, .pktDstaddr, .region, .azID, .pktSrcAWSService,
    .pktDstAWSService, .flowDirection,
  ])

  /// Which endpoint the interface is, from `flow-direction`.
  private enum InterfaceSide {
    case unknown, source, destination
  }

  /// A writer to standard output.
  public init() {}

  public mutating func layoutDidChange(_ layout: FlowLayout) {
    unmappedColumns = layout.columns.compactMap { column in
      guard case .field(let field) = column, !Self.alwaysMapped.contains(field) else { return nil }
      return (field, Array("\"\(field.name)\":".utf8))
    }
  }

  public mutating func consume(_ record: FlowRecord, at position: RecordPosition) {
    let side = Self.interfaceSide(of: record)
    let boundary = record.integer(.trafficPath).flatMap { OCSF.boundary(trafficPath: $0) }
    var first = true
    out.append(UInt8(ascii: "{"))
    if let action = record.action {
      let mapped = OCSF.action(action)
      out.appendMember("action", mapped.action, first: &first)
      out.appendMember("action_id", UInt64(mapped.actionID), first: &first)
    }
    out.appendMember("activity_id", UInt64(OCSF.NetworkActivity.trafficActivityID), first: &first)
    out.appendMember("activity_name", OCSF.NetworkActivity.trafficActivityName, first: &first)
    out.appendMember("category_name", OCSF.NetworkActivity.categoryName, first: &first)
    out.appendMember("category_uid", UInt64(OCSF.NetworkActivity.categoryUID), first: &first)
    out.appendMember("class_name", OCSF.NetworkActivity.className, first: &first)
    out.appendMember("class_uid", UInt64(OCSF.NetworkActivity.classUID), first: &first)
    appendCloud(record, first: &first)
    appendConnectionInfo(record, boundary: boundary, first: &first)
    if let action = record.action {
      let mapped = OCSF.action(action)
      out.appendMember("disposition", mapped.disposition, first: &first)
      out.appendMember("disposition_id", UInt64(mapped.dispositionID), first: &first)
    }
    appendEndpoint(
      "dst_endpoint", record, address: .dstaddr, packetAddress: .pktDstaddr, port: .dstport,
      service: .pktDstAWSService, isInterface: side == .destination, first: &first)
    if let end = record.end { out.appendMember("end_time", end &* 1000, first: &first) }
    appendMetadata(record, first: &first)
    out.appendMember("severity", OCSF.informationalSeverityName, first: &first)
    out.appendMember("severity_id", UInt64(OCSF.informationalSeverityID), first: &first)
    appendEndpoint(
      "src_endpoint", record, address: .srcaddr, packetAddress: .pktSrcaddr, port: .srcport,
      service: .pktSrcAWSService, isInterface: side == .source, first: &first)
    if let start = record.start { out.appendMember("start_time", start &* 1000, first: &first) }
    if let status = record.logStatus {
      out.appendKey("status_code", first: &first)
      out.append(UInt8(ascii: "\""))
      out.append(status.name)
      out.append(UInt8(ascii: "\""))
    }
    if let time = record.start ?? record.end { out.appendMember("time", time &* 1000, first: &first) }
    appendTraffic(record, first: &first)
    out.appendMember("type_name", OCSF.NetworkActivity.typeName, first: &first)
    out.appendMember("type_uid", UInt64(OCSF.NetworkActivity.typeUID), first: &first)
    appendUnmapped(record, interfaceMapped: side != .unknown, trafficPathMapped: boundary != nil, first: &first)
    out.append(UInt8(ascii: "}"))
    out.append(0x0A)
    out.flushIfNeeded()
  }

  /// Writes what is still buffered.
  public mutating func finish() { out.flush() }

  @inline(__always)
  private static func interfaceSide(of record: FlowRecord) -> InterfaceSide {
    guard let direction = record.text(.flowDirection) else { return .unknown }
    if direction.elementsEqual("ingress".utf8) { return .destination }
    if direction.elementsEqual("egress".utf8) { return .source }
    return .unknown
  }

  /// `cloud`: always there, since the provider is known (the Cloud profile requires it).
  @inline(__always)
  private mutating func appendCloud(_ record: FlowRecord, first: inout Bool) {
    let opened = out.openObject("cloud", first: &first)
    var inner = true
    if let account = record.text(.accountID) {
      out.appendKey("account", first: &inner)
      out.append(static: #"{"uid":""#)
      TextEscaping.appendJSONString(account, to: &out)
      out.append(static: #""}"#)
    }
    out.appendMember("provider", OCSF.cloudProvider, first: &inner)
    if let region = record.text(.region) { out.appendMember("region", text: region, first: &inner) }
    if let zone = record.text(.azID) { out.appendMember("zone", text: zone, first: &inner) }
    out.closeObject(openedAt: opened, hasMembers: !inner, first: &first)
  }

  /// `connection_info`, when the record has a protocol, an address, TCP flags, a direction or a
  /// traffic path.
  @inline(__always)
  private mutating func appendConnectionInfo(
    _ record: FlowRecord, boundary: (id: Int, name: StaticString)?, first: inout Bool
  ) {
    let fields = record.fields
    let address = record.srcaddr ?? record.dstaddr ?? record.address(.pktSrcaddr) ?? record.address(.pktDstaddr)
    guard
      boundary != nil || address != nil || fields.contains(.protocol) || fields.contains(.tcpFlags)
        || fields.contains(.flowDirection)
    else { return }
    let opened = out.openObject("connection_info", first: &first)
    var inner = true
    if let boundary {
      out.appendMember("boundary", boundary.name, first: &inner)
      out.appendMember("boundary_id", UInt64(boundary.id), first: &inner)
    }
    switch record.text(.flowDirection) {
    case nil:
      out.appendMember("direction", OCSF.unknownDirectionName, first: &inner)
      out.appendMember("direction_id", UInt64(OCSF.unknownDirectionID), first: &inner)
    case let direction? where direction.elementsEqual("ingress".utf8):
      out.appendMember("direction", OCSF.inboundDirectionName, first: &inner)
      out.appendMember("direction_id", UInt64(OCSF.inboundDirectionID), first: &inner)
    case let direction? where direction.elementsEqual("egress".utf8):
      out.appendMember("direction", OCSF.outboundDirectionName, first: &inner)
      out.appendMember("direction_id", UInt64(OCSF.outboundDirectionID), first: &inner)
    case let direction?:
      // 99 Other: the schema says `direction` then holds the source's own value.
      out.appendMember("direction", text: direction, first: &inner)
      out.appendMember("direction_id", 99, first: &inner)
    }
    if let number = record.integer(.protocol) { out.appendMember("protocol_num", number, first: &inner) }
    if let address { out.appendMember("protocol_ver_id", address.isIPv6 ? 6 : 4, first: &inner) }
    if let flags = record.integer(.tcpFlags) { out.appendMember("tcp_flags", flags, first: &inner) }
    out.closeObject(openedAt: opened, hasMembers: !inner, first: &first)
  }

  /// `src_endpoint` or `dst_endpoint`, left out when the record has nothing for it.
  @inline(__always)
  private mutating func appendEndpoint(
    _ key: StaticString, _ record: FlowRecord, address: FlowField, packetAddress: FlowField, port: FlowField,
    service: FlowField, isInterface: Bool, first: inout Bool
  ) {
    let opened = out.openObject(key, first: &first)
    var inner = true
    if isInterface, let instance = record.text(.instanceID) {
      out.appendMember("instance_uid", text: instance, first: &inner)
    }
    if isInterface, let interface = record.text(.interfaceID) {
      out.appendMember("interface_uid", text: interface, first: &inner)
    }
    let recorded = record.address(address)
    let original = record.address(packetAddress)
    if let original, let recorded, original != recorded {
      out.appendKey("intermediate_ips", first: &inner)
      out.append(UInt8(ascii: "["))
      out.append(UInt8(ascii: "\""))
      recorded.append(to: &out.bytes)
      out.append(UInt8(ascii: "\""))
      out.append(UInt8(ascii: "]"))
    }
    if let ip = original ?? recorded { out.appendMember("ip", address: ip, first: &inner) }
    if let port = record.integer(port) { out.appendMember("port", port, first: &inner) }
    if isInterface, let subnet = record.text(.subnetID) { out.appendMember("subnet_uid", text: subnet, first: &inner) }
    if let service = record.text(service) { out.appendMember("svc_name", text: service, first: &inner) }
    if isInterface, let vpc = record.text(.vpcID) { out.appendMember("vpc_uid", text: vpc, first: &inner) }
    out.closeObject(openedAt: opened, hasMembers: !inner, first: &first)
  }

  /// `metadata`: the product that logged the record (Amazon VPC, as Security Lake names it), the
  /// profiles applied and the schema version.
  @inline(__always)
  private mutating func appendMetadata(_ record: FlowRecord, first: inout Bool) {
    out.appendKey("metadata", first: &first)
    out.append(static: #"{"product":{"feature":{"name":"Flowlogs"},"name":"Amazon VPC","vendor_name":"AWS""#)
    if let version = record.version {
      out.append(static: #","version":""#)
      out.appendDecimal(version)
      out.append(UInt8(ascii: "\""))
    }
    out.append(static: #"},"profiles":["cloud","security_control"],"version":""#)
    out.append(OCSF.schemaVersion)
    out.append(static: #""}"#)
  }

  /// `traffic`: packets and bytes of the interval.
  @inline(__always)
  private mutating func appendTraffic(_ record: FlowRecord, first: inout Bool) {
    let opened = out.openObject("traffic", first: &first)
    var inner = true
    if let bytes = record.bytes { out.appendMember("bytes", bytes, first: &inner) }
    if let packets = record.packets { out.appendMember("packets", packets, first: &inner) }
    out.closeObject(openedAt: opened, hasMembers: !inner, first: &first)
  }

  /// `unmapped`: the record's other fields under their AWS names, in layout order.
  @inline(__always)
  private mutating func appendUnmapped(
    _ record: FlowRecord, interfaceMapped: Bool, trafficPathMapped: Bool, first: inout Bool
  ) {
    let opened = out.openObject("unmapped", first: &first)
    var inner = true
    // Through a buffer pointer: iterating the array itself goes through a subscript accessor
    // that is not inlined in debug builds and allocates a frame per element there.
    let columns = unmappedColumns
    columns.withUnsafeBufferPointer { columns in
      for column in columns where record.fields.contains(column.field) {
        switch column.field {
        case .interfaceID, .vpcID, .subnetID, .instanceID: if interfaceMapped { continue }
        case .trafficPath: if trafficPathMapped { continue }
        default: break
        }
        if !inner { out.append(UInt8(ascii: ",")) }
        inner = false
        column.key.withUnsafeBytes { out.append($0) }
        NDJSONRecordWriter.appendValue(of: column.field, in: record, to: &out)
      }
    }
    out.closeObject(openedAt: opened, hasMembers: !inner, first: &first)
  }
}
