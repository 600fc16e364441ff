/// A security group as `aws ec2 describe-security-groups` prints it (`SecurityGroups[]`).
public struct SecurityGroup: Decodable, Sendable, Hashable {
  /// `GroupId`: `sg-…`.
  public var id: String
  /// `GroupName`.
  public var name: String?
  /// `Description`.
  public var description: String?
  /// `VpcId`.
  public var vpcID: String?
  /// `OwnerId`: the account.
  public var ownerID: String?
  /// `IpPermissions[]`: the inbound rules.
  public var inbound: [SecurityGroupPermission]
  /// `IpPermissionsEgress[]`: the outbound rules.
  public var outbound: [SecurityGroupPermission]

  private enum CodingKeys: String, CodingKey {
    case groupId = "GroupId"
    case groupName = "GroupName"
    case description = "Description"
    case vpcId = "VpcId"
    case ownerId = "OwnerId"
    case ipPermissions = "IpPermissions"
    case ipPermissionsEgress = "IpPermissionsEgress"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    id = try c.decode(String.self, forKey: .groupId)
    name = try c.decodeIfPresent(String.self, forKey: .groupName)
    description = try c.decodeIfPresent(String.self, forKey: .description)
    vpcID = try c.decodeIfPresent(String.self, forKey: .vpcId)
    ownerID = try c.decodeIfPresent(String.self, forKey: .ownerId)
    inbound = try c.decodeList(SecurityGroupPermission.self, forKey: .ipPermissions)
    outbound = try c.decodeList(SecurityGroupPermission.self, forKey: .ipPermissionsEgress)
  }

  /// The group with these values (for tests and tools that build an inventory in code).
  public init(
    id: String, name: String? = nil, vpcID: String? = nil, ownerID: String? = nil,
    inbound: [SecurityGroupPermission] = [], outbound: [SecurityGroupPermission] = []
  ) {
    self.id = id
    self.name = name
    self.description = nil
    self.vpcID = vpcID
    self.ownerID = ownerID
    self.inbound = inbound
    self.outbound = outbound
  }
}
