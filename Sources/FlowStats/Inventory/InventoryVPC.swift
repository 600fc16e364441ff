/// A VPC as `aws ec2 describe-vpcs` prints it (`Vpcs[]`).
public struct InventoryVPC: Decodable, Sendable, Hashable {
  /// `VpcId`.
  public var id: String
  /// `CidrBlock`, `CidrBlockAssociationSet[].cidrBlock` and
  /// `Ipv6CidrBlockAssociationSet[].ipv6CidrBlock`, without repeats.
  public var blocks: [CIDR]
  /// `OwnerId`.
  public var ownerID: String?
  /// `IsDefault`.
  public var isDefault: Bool

  private enum CodingKeys: String, CodingKey {
    case vpcId = "VpcId"
    case cidrBlock = "CidrBlock"
    case cidrBlockAssociationSet = "CidrBlockAssociationSet"
    case ipv6CidrBlockAssociationSet = "Ipv6CidrBlockAssociationSet"
    case ownerId = "OwnerId"
    case isDefault = "IsDefault"
  }
  private enum BlockKeys: String, CodingKey {
    case cidrBlock = "CidrBlock"
    case ipv6CidrBlock = "Ipv6CidrBlock"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    id = try c.decode(String.self, forKey: .vpcId)
    var blocks = try c.decodeCIDRIfPresent(forKey: .cidrBlock).map { [$0] } ?? []
    for (key, field) in [
      (CodingKeys.cidrBlockAssociationSet, BlockKeys.cidrBlock), (.ipv6CidrBlockAssociationSet, .ipv6CidrBlock),
    ] {
      guard c.contains(key), try !c.decodeNil(forKey: key) else { continue }
      var list = try c.nestedUnkeyedContainer(forKey: key)
      while !list.isAtEnd {
        let block = try list.nestedContainer(keyedBy: BlockKeys.self).decodeCIDR(forKey: field)
        if !blocks.contains(block) { blocks.append(block) }
      }
    }
    self.blocks = blocks
    ownerID = try c.decodeIfPresent(String.self, forKey: .ownerId)
    isDefault = try c.decodeIfPresent(Bool.self, forKey: .isDefault) ?? false
  }
}
