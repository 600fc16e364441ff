/// Every field that a VPC or Transit Gateway flow log record can carry.
///
/// The cases are listed in the order of AWS's field table (versions 2 to 11), followed by the
/// Transit Gateway-only fields of version 6. The raw value is a dense index, used for bit sets
/// and lookup tables.
public enum FlowField: UInt8, CaseIterable, Sendable, Hashable {
  // Version 2: the default format.
  case version, accountID, interfaceID, srcaddr, dstaddr, srcport, dstport, `protocol`
  case packets, bytes, start, end, action, logStatus
  // Version 3.
  case vpcID, subnetID, instanceID, tcpFlags, type, pktSrcaddr, pktDstaddr
  // Version 4.
  case region, azID, sublocationType, sublocationID
  // Version 5.
  case pktSrcAWSService, pktDstAWSService, flowDirection, trafficPath
  // Version 7: Amazon ECS.
  case ecsClusterARN, ecsClusterName, ecsContainerInstanceARN, ecsContainerInstanceID
  case ecsContainerID, ecsSecondContainerID, ecsServiceName, ecsTaskDefinitionARN
  case ecsTaskARN, ecsTaskID
  // Versions 8, 9, 10.
  case rejectReason, resourceID, encryptionStatus
  // Version 11: tags and next hop.
  case instanceTag, instanceTag2, interfaceTag, interfaceTag2, asgTag, asgTag2
  case interfaceType, nextHopInterfaceID, nextHopSubnetID, nextHopAZID, nextHopVPCID
  case nextHopInterfaceType
  // Version 6: Transit Gateway flow logs only.
  case resourceType, tgwID, tgwAttachmentID, tgwSrcVPCAccountID, tgwDstVPCAccountID
  case tgwSrcVPCID, tgwDstVPCID, tgwSrcSubnetID, tgwDstSubnetID, tgwSrcENI, tgwDstENI
  case tgwSrcAZID, tgwDstAZID, tgwPairAttachmentID
  case packetsLostNoRoute, packetsLostBlackhole, packetsLostMTUExceeded, packetsLostTTLExpired

  /// The field's name exactly as AWS spells it in format strings and S3 header lines.
  public var name: String { Self.names[Int(rawValue)] }

  /// The flow log version that introduced the field.
  public var version: Int {
    switch self {
    case .version, .accountID, .interfaceID, .srcaddr, .dstaddr, .srcport, .dstport, .protocol,
      .packets, .bytes, .start, .end, .action, .logStatus:
      return 2
    case .vpcID, .subnetID, .instanceID, .tcpFlags, .type, .pktSrcaddr, .pktDstaddr: return 3
    case .region, .azID, .sublocationType, .sublocationID: return 4
    case .pktSrcAWSService, .pktDstAWSService, .flowDirection, .trafficPath: return 5
    case .ecsClusterARN, .ecsClusterName, .ecsContainerInstanceARN, .ecsContainerInstanceID,
      .ecsContainerID, .ecsSecondContainerID, .ecsServiceName, .ecsTaskDefinitionARN, .ecsTaskARN,
      .ecsTaskID:
      return 7
    case .rejectReason: return 8
    case .resourceID: return 9
    case .encryptionStatus: return 10
    case .instanceTag, .instanceTag2, .interfaceTag, .interfaceTag2, .asgTag, .asgTag2,
      .interfaceType, .nextHopInterfaceID, .nextHopSubnetID, .nextHopAZID, .nextHopVPCID,
      .nextHopInterfaceType:
      return 11
    default: return 6
    }
  }

  /// How the field's text is decoded.
  public var kind: FieldKind {
    switch self {
    case .version, .packets, .bytes, .tcpFlags, .trafficPath, .encryptionStatus,
      .packetsLostNoRoute, .packetsLostBlackhole, .packetsLostMTUExceeded, .packetsLostTTLExpired:
      return .integer(max: .max)
    case .srcport, .dstport: return .integer(max: 65_535)
    case .protocol: return .integer(max: 255)
    case .start, .end: return .timestamp
    case .srcaddr, .dstaddr, .pktSrcaddr, .pktDstaddr: return .address
    case .action: return .action
    case .logStatus: return .logStatus
    default: return .text
    }
  }

  /// True for fields that only Transit Gateway flow logs carry.
  public var isTransitGatewayOnly: Bool { rawValue >= FlowField.resourceType.rawValue }

  /// Looks a field up by name; hyphens and underscores are interchangeable
  /// (`log-status`, `log_status`, as Parquet and Athena spell it).
  public init?(name: some StringProtocol) {
    guard let field = Array(name.utf8).withUnsafeBytes({ FlowField(nameBytes: $0) }) else { return nil }
    self = field
  }

  /// Looks a field up by the bytes of its name, without allocating.
  /// Hyphens and underscores are interchangeable; letters must be lower case.
  public init?(nameBytes: UnsafeRawBufferPointer) {
    guard nameBytes.count >= 3, nameBytes.count <= FieldNameTable.maxLength,
      let field = FieldNameTable.shared.lookup(nameBytes)
    else { return nil }
    self = field
  }

  static let names: [String] = [
    "version", "account-id", "interface-id", "srcaddr", "dstaddr", "srcport", "dstport",
    "protocol", "packets", "bytes", "start", "end", "action", "log-status",
    "vpc-id", "subnet-id", "instance-id", "tcp-flags", "type", "pkt-srcaddr", "pkt-dstaddr",
    "region", "az-id", "sublocation-type", "sublocation-id",
    "pkt-src-aws-service", "pkt-dst-aws-service", "flow-direction", "traffic-path",
    "ecs-cluster-arn", "ecs-cluster-name", "ecs-container-instance-arn",
    "ecs-container-instance-id", "ecs-container-id", "ecs-second-container-id",
    "ecs-service-name", "ecs-task-definition-arn", "ecs-task-arn", "ecs-task-id",
    "reject-reason", "resource-id", "encryption-status",
    "instance-tag", "instance-tag-2", "interface-tag", "interface-tag-2", "asg-tag", "asg-tag-2",
    "interface-type", "next-hop-interface-id", "next-hop-subnet-id", "next-hop-az-id",
    "next-hop-vpc-id", "next-hop-interface-type",
    "resource-type", "tgw-id", "tgw-attachment-id", "tgw-src-vpc-account-id",
    "tgw-dst-vpc-account-id", "tgw-src-vpc-id", "tgw-dst-vpc-id", "tgw-src-subnet-id",
    "tgw-dst-subnet-id", "tgw-src-eni", "tgw-dst-eni", "tgw-src-az-id", "tgw-dst-az-id",
    "tgw-pair-attachment-id",
    "packets-lost-no-route", "packets-lost-blackhole", "packets-lost-mtu-exceeded",
    "packets-lost-ttl-expired",
  ]
}

/// How a field's text is decoded into a value.
public enum FieldKind: Sendable, Hashable {
  /// An unsigned decimal integer no larger than `max`.
  case integer(max: UInt64)
  /// Unix seconds; values given in milliseconds (≥ 10^11) are divided by 1000 (and again, for
  /// microseconds or nanoseconds, until below 10^11).
  case timestamp
  /// An IPv4 or IPv6 address.
  case address
  /// `ACCEPT` or `REJECT`.
  case action
  /// `OK`, `NODATA` or `SKIPDATA`.
  case logStatus
  /// An identifier or other text, kept as the bytes of the token.
  case text
}

/// A small open-addressing table from field-name bytes to fields, so that header detection
/// can test a token without building a String.
struct FieldNameTable: Sendable {
  static let shared = FieldNameTable()
  static let maxLength = 32
  private static let capacity = 256  // power of two, well above 2 × the number of names

  private var slots: [(hash: UInt64, field: FlowField?)]
  private let names: [[UInt8]]

  private init() {
    names = FlowField.names.map { Array($0.utf8) }
    slots = Array(repeating: (0, nil), count: Self.capacity)
    for field in FlowField.allCases {
      let hash = names[Int(field.rawValue)].withUnsafeBytes { Self.hash($0) }
      var index = Int(truncatingIfNeeded: hash) & (Self.capacity - 1)
      while slots[index].field != nil { index = (index + 1) & (Self.capacity - 1) }
      slots[index] = (hash, field)
    }
  }

  /// FNV-1a over the bytes, with `_` folded to `-`.
  @inline(__always)
  static func hash(_ bytes: UnsafeRawBufferPointer) -> UInt64 {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for var b in bytes {
      if b == UInt8(ascii: "_") { b = UInt8(ascii: "-") }
      h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01b3
    }
    return h
  }

  func lookup(_ bytes: UnsafeRawBufferPointer) -> FlowField? {
    let hash = Self.hash(bytes)
    var index = Int(truncatingIfNeeded: hash) & (Self.capacity - 1)
    while let field = slots[index].field {
      if slots[index].hash == hash, Self.equal(names[Int(field.rawValue)], bytes) { return field }
      index = (index + 1) & (Self.capacity - 1)
    }
    return nil
  }

  private static func equal(_ name: [UInt8], _ bytes: UnsafeRawBufferPointer) -> Bool {
    guard name.count == bytes.count else { return false }
    for i in 0..<name.count {
      var b = bytes[i]
      if b == UInt8(ascii: "_") { b = UInt8(ascii: "-") }
      if b != name[i] { return false }
    }
    return true
  }
}
