/// A network ACL as `aws ec2 describe-network-acls` prints it (`NetworkAcls[]`).
public struct InventoryNetworkACL: Decodable, Sendable, Hashable {
  /// One of `Entries[]`.
  public struct Entry: Decodable, Sendable, Hashable {
    /// `RuleNumber`: entries are evaluated from the lowest; 32767 is the final deny.
    public var ruleNumber: Int
    /// `Protocol`: `-1` (all) or a protocol number (`6`).
    public var ipProtocol: String
    /// `RuleAction`: `allow` or `deny`.
    public var allows: Bool
    /// `Egress`.
    public var egress: Bool
    /// `CidrBlock` or `Ipv6CidrBlock`.
    public var block: CIDR?
    /// `PortRange.from`, `PortRange.to`.
    public var ports: ClosedRange<Int>?

    private enum CodingKeys: String, CodingKey {
      case ruleNumber = "RuleNumber"
      case `protocol` = "Protocol"
      case ruleAction = "RuleAction"
      case egress = "Egress"
      case cidrBlock = "CidrBlock"
      case ipv6CidrBlock = "Ipv6CidrBlock"
      case portRange = "PortRange"
    }
    private enum PortKeys: String, CodingKey {
      case from = "From"
      case to = "To"
    }

    public init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      ruleNumber = try c.decode(Int.self, forKey: .ruleNumber)
      ipProtocol = try c.decode(String.self, forKey: .protocol)
      let action = try c.decode(String.self, forKey: .ruleAction)
      guard action == "allow" || action == "deny" else {
        throw DecodingError.dataCorruptedError(
          forKey: .ruleAction, in: c, debugDescription: "not allow or deny: '\(action)'")
      }
      allows = action == "allow"
      egress = try c.decode(Bool.self, forKey: .egress)
      block = try c.decodeCIDRIfPresent(forKey: .cidrBlock) ?? c.decodeCIDRIfPresent(forKey: .ipv6CidrBlock)
      if c.contains(.portRange), try !c.decodeNil(forKey: .portRange) {
        let range = try c.nestedContainer(keyedBy: PortKeys.self, forKey: .portRange)
        let from = try range.decode(Int.self, forKey: .from)
        let to = try range.decode(Int.self, forKey: .to)
        guard from <= to else {
          throw DecodingError.dataCorruptedError(forKey: .to, in: range, debugDescription: "To is below From")
        }
        ports = from...to
      }
    }
  }

  /// `NetworkAclId`.
  public var id: String
  /// `VpcId`.
  public var vpcID: String?
  /// `IsDefault`.
  public var isDefault: Bool
  /// `Associations[].subnetId`.
  public var subnetIDs: [String]
  /// `Entries[]`, by rule number.
  public var entries: [Entry]

  private enum CodingKeys: String, CodingKey {
    case networkAclId = "NetworkAclId"
    case vpcId = "VpcId"
    case isDefault = "IsDefault"
    case associations = "Associations"
    case entries = "Entries"
  }
  private enum AssociationKeys: String, CodingKey { case subnetId = "SubnetId" }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    id = try c.decode(String.self, forKey: .networkAclId)
    vpcID = try c.decodeIfPresent(String.self, forKey: .vpcId)
    isDefault = try c.decodeIfPresent(Bool.self, forKey: .isDefault) ?? false
    subnetIDs = []
    if c.contains(.associations), try !c.decodeNil(forKey: .associations) {
      var list = try c.nestedUnkeyedContainer(forKey: .associations)
      while !list.isAtEnd {
        if let subnet = try list.nestedContainer(keyedBy: AssociationKeys.self).decodeIfPresent(
          String.self, forKey: .subnetId)
        {
          subnetIDs.append(subnet)
        }
      }
    }
    entries = try c.decodeList(Entry.self, forKey: .entries).sorted { $0.ruleNumber < $1.ruleNumber }
  }
}
