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
    /// `PortRange.From`, `PortRange.To`.
    public var ports: ClosedRange<Int>?

    private enum CodingKeys: String, CodingKey {
      case RuleNumber, `Protocol`, RuleAction, Egress, CidrBlock, Ipv6CidrBlock, PortRange
    }
    private enum PortKeys: String, CodingKey { case From, To }

    public init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      ruleNumber = try c.decode(Int.self, forKey: .RuleNumber)
      ipProtocol = try c.decode(String.self, forKey: .Protocol)
      let action = try c.decode(String.self, forKey: .RuleAction)
      guard action == "allow" || action == "deny" else {
        throw DecodingError.dataCorruptedError(
          forKey: .RuleAction, in: c, debugDescription: "not allow or deny: '\(action)'")
      }
      allows = action == "allow"
      egress = try c.decode(Bool.self, forKey: .Egress)
      block = try c.decodeCIDRIfPresent(forKey: .CidrBlock) ?? c.decodeCIDRIfPresent(forKey: .Ipv6CidrBlock)
      if c.contains(.PortRange), try !c.decodeNil(forKey: .PortRange) {
        let range = try c.nestedContainer(keyedBy: PortKeys.self, forKey: .PortRange)
        let from = try range.decode(Int.self, forKey: .From)
        let to = try range.decode(Int.self, forKey: .To)
        guard from <= to else {
          throw DecodingError.dataCorruptedError(forKey: .To, in: range, debugDescription: "To is below From")
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
  /// `Associations[].SubnetId`.
  public var subnetIDs: [String]
  /// `Entries[]`, by rule number.
  public var entries: [Entry]

  private enum CodingKeys: String, CodingKey { case NetworkAclId, VpcId, IsDefault, Associations, Entries }
  private enum AssociationKeys: String, CodingKey { case SubnetId }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    id = try c.decode(String.self, forKey: .NetworkAclId)
    vpcID = try c.decodeIfPresent(String.self, forKey: .VpcId)
    isDefault = try c.decodeIfPresent(Bool.self, forKey: .IsDefault) ?? false
    subnetIDs = []
    if c.contains(.Associations), try !c.decodeNil(forKey: .Associations) {
      var list = try c.nestedUnkeyedContainer(forKey: .Associations)
      while !list.isAtEnd {
        if let subnet = try list.nestedContainer(keyedBy: AssociationKeys.self).decodeIfPresent(
          String.self, forKey: .SubnetId)
        {
          subnetIDs.append(subnet)
        }
      }
    }
    entries = try c.decodeList(Entry.self, forKey: .Entries).sorted { $0.ruleNumber < $1.ruleNumber }
  }
}
