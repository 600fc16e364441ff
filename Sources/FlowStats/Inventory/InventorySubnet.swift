/// A subnet as `aws ec2 describe-subnets` prints it (`Subnets[]`).
public struct InventorySubnet: Decodable, Sendable, Hashable {
  /// `SubnetId`.
  public var id: String
  /// `VpcId`.
  public var vpcID: String?
  /// `CidrBlock` and `Ipv6CidrBlockAssociationSet[].Ipv6CidrBlock`.
  public var blocks: [CIDR]
  /// `AvailabilityZone`.
  public var availabilityZone: String?
  /// `OwnerId`.
  public var ownerID: String?

  private enum CodingKeys: String, CodingKey {
    case SubnetId, VpcId, CidrBlock, Ipv6CidrBlockAssociationSet, AvailabilityZone, OwnerId
  }
  private enum BlockKeys: String, CodingKey { case Ipv6CidrBlock }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    id = try c.decode(String.self, forKey: .SubnetId)
    vpcID = try c.decodeIfPresent(String.self, forKey: .VpcId)
    blocks = try c.decodeCIDRIfPresent(forKey: .CidrBlock).map { [$0] } ?? []
    if c.contains(.Ipv6CidrBlockAssociationSet), try !c.decodeNil(forKey: .Ipv6CidrBlockAssociationSet) {
      var list = try c.nestedUnkeyedContainer(forKey: .Ipv6CidrBlockAssociationSet)
      while !list.isAtEnd {
        blocks.append(try list.nestedContainer(keyedBy: BlockKeys.self).decodeCIDR(forKey: .Ipv6CidrBlock))
      }
    }
    availabilityZone = try c.decodeIfPresent(String.self, forKey: .AvailabilityZone)
    ownerID = try c.decodeIfPresent(String.self, forKey: .OwnerId)
  }
}
