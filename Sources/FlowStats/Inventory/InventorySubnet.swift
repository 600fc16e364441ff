/// A subnet as `aws ec2 describe-subnets` prints it (`Subnets[]`).
public struct InventorySubnet: Decodable, Sendable, Hashable {
  /// `SubnetId`.
  public var id: String
  /// `VpcId`.
  public var vpcID: String?
  /// `CidrBlock` and `Ipv6CidrBlockAssociationSet[].ipv6CidrBlock`.
  public var blocks: [CIDR]
  /// `AvailabilityZone`.
  public var availabilityZone: String?
  /// `OwnerId`.
  public var ownerID: String?

  private enum CodingKeys: String, CodingKey {
    case subnetId = "SubnetId"
    case vpcId = "VpcId"
    case cidrBlock = "CidrBlock"
    case ipv6CidrBlockAssociationSet = "Ipv6CidrBlockAssociationSet"
    case availabilityZone = "AvailabilityZone"
    case ownerId = "OwnerId"
  }
  private enum BlockKeys: String, CodingKey { case ipv6CidrBlock = "Ipv6CidrBlock" }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    id = try c.decode(String.self, forKey: .subnetId)
    vpcID = try c.decodeIfPresent(String.self, forKey: .vpcId)
    blocks = try c.decodeCIDRIfPresent(forKey: .cidrBlock).map { [$0] } ?? []
    if c.contains(.ipv6CidrBlockAssociationSet), try !c.decodeNil(forKey: .ipv6CidrBlockAssociationSet) {
      var list = try c.nestedUnkeyedContainer(forKey: .ipv6CidrBlockAssociationSet)
      while !list.isAtEnd {
        blocks.append(try list.nestedContainer(keyedBy: BlockKeys.self).decodeCIDR(forKey: .ipv6CidrBlock))
      }
    }
    availabilityZone = try c.decodeIfPresent(String.self, forKey: .availabilityZone)
    ownerID = try c.decodeIfPresent(String.self, forKey: .ownerId)
  }
}
