/// What the inventory says about one interface, as `summary` rows and `audit` findings carry it
/// (`inventory` in their JSON, with `--inventory`).
public struct InterfaceInventory: Sendable, Hashable, Codable {
  /// `Description`.
  public var description: String?
  /// `InterfaceType`.
  public var interfaceType: String?
  /// `Attachment.InstanceId`.
  public var instanceID: String?
  /// `SubnetId`.
  public var subnetID: String?
  /// `VpcId`.
  public var vpcID: String?
  /// `Groups[].GroupId`.
  public var securityGroups: [String]
  /// The private IPv4, IPv6 and public addresses.
  public var addresses: [String]

  /// The entry of `interface`.
  public init(_ interface: InventoryInterface) {
    description = interface.description
    interfaceType = interface.interfaceType
    instanceID = interface.instanceID
    subnetID = interface.subnetID
    vpcID = interface.vpcID
    securityGroups = interface.securityGroupIDs
    addresses = (interface.addresses + interface.publicAddresses).map(\.description)
  }

  enum CodingKeys: String, CodingKey {
    case description, addresses
    case interfaceType = "interface_type"
    case instanceID = "instance_id"
    case subnetID = "subnet_id"
    case vpcID = "vpc_id"
    case securityGroups = "security_groups"
  }

  public func encode(to encoder: any Encoder) throws {
    var c = encoder.container(keyedBy: CodingKeys.self)
    try c.encode(description, forKey: .description)
    try c.encode(interfaceType, forKey: .interfaceType)
    try c.encode(instanceID, forKey: .instanceID)
    try c.encode(subnetID, forKey: .subnetID)
    try c.encode(vpcID, forKey: .vpcID)
    try c.encode(securityGroups, forKey: .securityGroups)
    try c.encode(addresses, forKey: .addresses)
  }
}
