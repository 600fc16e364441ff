/// One entry of a security group's `IpPermissions` (or `IpPermissionsEgress`): a protocol, a port
/// range, and the sources (or destinations) it allows.
public struct SecurityGroupPermission: Decodable, Sendable, Hashable {
  /// `IpProtocol` as AWS prints it: `tcp`, `udp`, `icmp`, `icmpv6`, `-1` (all), or a number.
  public var ipProtocol: String {
    didSet { protocolNumber = Self.protocolNumber(ipProtocol).map(Int.init) ?? -1 }
  }
  /// The IANA number of ``ipProtocol``; -1 for all protocols.
  public private(set) var protocolNumber: Int
  /// `FromPort`: the first port (for ICMP the type; -1 all); nil for all protocols.
  public var fromPort: Int?
  /// `ToPort`: the last port (for ICMP the code; -1 all); nil for all protocols.
  public var toPort: Int?
  /// `IpRanges[].cidrIp`, `Ipv6Ranges[].cidrIpv6`, `PrefixListIds[].prefixListId` and
  /// `UserIdGroupPairs[].groupId`, in that order.
  public var sources: [SecurityGroupSource]

  private enum CodingKeys: String, CodingKey {
    case ipProtocol = "IpProtocol"
    case fromPort = "FromPort"
    case toPort = "ToPort"
    case ipRanges = "IpRanges"
    case ipv6Ranges = "Ipv6Ranges"
    case prefixListIds = "PrefixListIds"
    case userIdGroupPairs = "UserIdGroupPairs"
  }
  private enum RangeKeys: String, CodingKey {
    case cidrIp = "CidrIp"
    case cidrIpv6 = "CidrIpv6"
    case prefixListId = "PrefixListId"
    case groupId = "GroupId"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    ipProtocol = try c.decode(String.self, forKey: .ipProtocol)
    protocolNumber = Self.protocolNumber(ipProtocol).map(Int.init) ?? -1
    fromPort = try c.decodeIfPresent(Int.self, forKey: .fromPort)
    toPort = try c.decodeIfPresent(Int.self, forKey: .toPort)
    guard Self.protocolNumber(ipProtocol) != nil || ipProtocol == "-1" else {
      throw DecodingError.dataCorruptedError(
        forKey: .ipProtocol, in: c, debugDescription: "not a protocol: '\(ipProtocol)'")
    }
    sources = []
    for (key, field) in [(CodingKeys.ipRanges, RangeKeys.cidrIp), (.ipv6Ranges, .cidrIpv6)] {
      guard c.contains(key), try !c.decodeNil(forKey: key) else { continue }
      var list = try c.nestedUnkeyedContainer(forKey: key)
      while !list.isAtEnd {
        let entry = try list.nestedContainer(keyedBy: RangeKeys.self)
        sources.append(.cidr(try entry.decodeCIDR(forKey: field)))
      }
    }
    for (key, field) in [(CodingKeys.prefixListIds, RangeKeys.prefixListId), (.userIdGroupPairs, .groupId)] {
      guard c.contains(key), try !c.decodeNil(forKey: key) else { continue }
      var list = try c.nestedUnkeyedContainer(forKey: key)
      while !list.isAtEnd {
        let entry = try list.nestedContainer(keyedBy: RangeKeys.self)
        let id = try entry.decode(String.self, forKey: field)
        sources.append(key == .prefixListIds ? .prefixList(id) : .securityGroup(id))
      }
    }
  }

  /// A permission with these values.
  public init(ipProtocol: String, fromPort: Int?, toPort: Int?, sources: [SecurityGroupSource]) {
    self.ipProtocol = ipProtocol
    self.protocolNumber = Self.protocolNumber(ipProtocol).map(Int.init) ?? -1
    self.fromPort = fromPort
    self.toPort = toPort
    self.sources = sources
  }

  /// The IANA number of `IpProtocol`; nil for `-1` (all protocols) or text that is none.
  public static func protocolNumber(_ text: String) -> UInt8? {
    switch text.lowercased() {
    case "tcp": 6
    case "udp": 17
    case "icmp": 1
    case "icmpv6": 58
    default: UInt8(text)
    }
  }

  /// Whether the permission's protocol and ports cover traffic of protocol `proto` to `port`.
  /// ICMP rules match on the protocol only: flow logs carry no ICMP type in the port fields.
  @inline(__always)
  public func covers(protocol proto: UInt8, port: UInt16) -> Bool {
    if protocolNumber < 0 { return true }
    guard protocolNumber == Int(proto) else { return false }
    guard proto == 6 || proto == 17, let from = fromPort, let to = toPort, from >= 0 else { return true }
    return Int(port) >= from && Int(port) <= to
  }
}
