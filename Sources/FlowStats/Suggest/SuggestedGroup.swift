/// One security group and the verdict on each of its inbound rules.
public struct SuggestedGroup: Sendable, Codable, Hashable {
  /// `GroupId`.
  public var groupID: String
  /// `GroupName`.
  public var groupName: String?
  /// `VpcId`.
  public var vpcID: String?
  /// `OwnerId`.
  public var ownerID: String?
  /// The region, from the VPC's subnets or interfaces in the inventory; nil when unknown.
  public var region: String?
  /// The inventory's interfaces in the group.
  public var interfaces: [String]
  /// One entry per source of each inbound permission, in the group's order.
  public var rules: [SuggestedRule]

  enum CodingKeys: String, CodingKey {
    case groupID = "group_id"
    case groupName = "group_name"
    case vpcID = "vpc_id"
    case ownerID = "owner_id"
    case region, interfaces, rules
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(groupID, forKey: .groupID)
    try c.encode(groupName, forKey: .groupName)
    try c.encode(vpcID, forKey: .vpcID)
    try c.encode(ownerID, forKey: .ownerID)
    try c.encode(region, forKey: .region)
    try c.encode(interfaces, forKey: .interfaces)
    try c.encode(rules, forKey: .rules)
  }
}
