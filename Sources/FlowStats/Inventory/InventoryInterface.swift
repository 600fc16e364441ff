import FlowLogParser

/// A network interface (ENI) as `aws ec2 describe-network-interfaces` prints it
/// (`NetworkInterfaces[]`), reduced to what flowlens uses.
public struct InventoryInterface: Decodable, Sendable, Hashable {
  /// `NetworkInterfaceId`: `eni-…`.
  public var id: String
  /// `InterfaceType`: `interface`, `nat_gateway`, `vpc_endpoint`, `network_load_balancer`,
  /// `lambda`, … (`natGateway`, an older spelling, is read as `nat_gateway`).
  public var interfaceType: String?
  /// `Description`, as the service that made the interface wrote it (`RDSNetworkInterface`, …).
  public var description: String?
  /// `Attachment.instanceId`.
  public var instanceID: String?
  /// `SubnetId`.
  public var subnetID: String?
  /// `VpcId`.
  public var vpcID: String?
  /// `Groups[].groupId`: the security groups.
  public var securityGroupIDs: [String]
  /// `PrivateIpAddress` and `PrivateIpAddresses[].privateIpAddress`, then
  /// `Ipv6Addresses[].ipv6Address`, without repeats.
  public var addresses: [IPAddress]
  /// `Association.publicIp` and the public addresses of `PrivateIpAddresses[].association`.
  public var publicAddresses: [IPAddress]
  /// `RequesterId`: the service that manages the interface, when AWS does.
  public var requesterID: String?
  /// `OwnerId`: the account.
  public var ownerID: String?
  /// `AvailabilityZone`.
  public var availabilityZone: String?

  private enum CodingKeys: String, CodingKey {
    case networkInterfaceId = "NetworkInterfaceId"
    case interfaceType = "InterfaceType"
    case description = "Description"
    case attachment = "Attachment"
    case subnetId = "SubnetId"
    case vpcId = "VpcId"
    case groups = "Groups"
    case privateIpAddress = "PrivateIpAddress"
    case privateIpAddresses = "PrivateIpAddresses"
    case ipv6Addresses = "Ipv6Addresses"
    case association = "Association"
    case requesterId = "RequesterId"
    case ownerId = "OwnerId"
    case availabilityZone = "AvailabilityZone"
  }
  private enum AttachmentKeys: String, CodingKey { case instanceId = "InstanceId" }
  private enum GroupKeys: String, CodingKey { case groupId = "GroupId" }
  private enum PrivateAddressKeys: String, CodingKey {
    case privateIpAddress = "PrivateIpAddress"
    case association = "Association"
  }
  private enum IPv6AddressKeys: String, CodingKey { case ipv6Address = "Ipv6Address" }
  private enum AssociationKeys: String, CodingKey { case publicIp = "PublicIp" }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    id = try c.decode(String.self, forKey: .networkInterfaceId)
    interfaceType = try c.decodeIfPresent(String.self, forKey: .interfaceType).map {
      $0 == "natGateway" ? "nat_gateway" : $0
    }
    description = try c.decodeIfPresent(String.self, forKey: .description)
    if c.contains(.attachment), try !c.decodeNil(forKey: .attachment) {
      let attachment = try c.nestedContainer(keyedBy: AttachmentKeys.self, forKey: .attachment)
      instanceID = try attachment.decodeIfPresent(String.self, forKey: .instanceId)
    }
    subnetID = try c.decodeIfPresent(String.self, forKey: .subnetId)
    vpcID = try c.decodeIfPresent(String.self, forKey: .vpcId)
    securityGroupIDs = []
    if c.contains(.groups), try !c.decodeNil(forKey: .groups) {
      var groups = try c.nestedUnkeyedContainer(forKey: .groups)
      while !groups.isAtEnd {
        let group = try groups.nestedContainer(keyedBy: GroupKeys.self)
        securityGroupIDs.append(try group.decode(String.self, forKey: .groupId))
      }
    }
    var addresses: [IPAddress] = []
    var publicAddresses: [IPAddress] = []
    if let primary = try c.decodeAddressIfPresent(forKey: .privateIpAddress) { addresses.append(primary) }
    if c.contains(.privateIpAddresses), try !c.decodeNil(forKey: .privateIpAddresses) {
      var list = try c.nestedUnkeyedContainer(forKey: .privateIpAddresses)
      while !list.isAtEnd {
        let entry = try list.nestedContainer(keyedBy: PrivateAddressKeys.self)
        addresses.append(try entry.decodeAddress(forKey: .privateIpAddress))
        if entry.contains(.association), try !entry.decodeNil(forKey: .association) {
          let association = try entry.nestedContainer(keyedBy: AssociationKeys.self, forKey: .association)
          if let address = try association.decodeAddressIfPresent(forKey: .publicIp) { publicAddresses.append(address) }
        }
      }
    }
    if c.contains(.ipv6Addresses), try !c.decodeNil(forKey: .ipv6Addresses) {
      var list = try c.nestedUnkeyedContainer(forKey: .ipv6Addresses)
      while !list.isAtEnd {
        let entry = try list.nestedContainer(keyedBy: IPv6AddressKeys.self)
        addresses.append(try entry.decodeAddress(forKey: .ipv6Address))
      }
    }
    if c.contains(.association), try !c.decodeNil(forKey: .association) {
      let association = try c.nestedContainer(keyedBy: AssociationKeys.self, forKey: .association)
      if let address = try association.decodeAddressIfPresent(forKey: .publicIp) { publicAddresses.append(address) }
    }
    self.addresses = Self.unique(addresses)
    self.publicAddresses = Self.unique(publicAddresses)
    requesterID = try c.decodeIfPresent(String.self, forKey: .requesterId)
    ownerID = try c.decodeIfPresent(String.self, forKey: .ownerId)
    availabilityZone = try c.decodeIfPresent(String.self, forKey: .availabilityZone)
  }

  /// The interface with these values (for tests and tools that build an inventory in code).
  public init(
    id: String, interfaceType: String? = "interface", description: String? = nil, instanceID: String? = nil,
    subnetID: String? = nil, vpcID: String? = nil, securityGroupIDs: [String] = [], addresses: [IPAddress] = [],
    publicAddresses: [IPAddress] = [], requesterID: String? = nil, ownerID: String? = nil,
    availabilityZone: String? = nil
  ) {
    self.id = id
    self.interfaceType = interfaceType
    self.description = description
    self.instanceID = instanceID
    self.subnetID = subnetID
    self.vpcID = vpcID
    self.securityGroupIDs = securityGroupIDs
    self.addresses = addresses
    self.publicAddresses = publicAddresses
    self.requesterID = requesterID
    self.ownerID = ownerID
    self.availabilityZone = availabilityZone
  }

  /// Whether traffic to `address` is traffic into this interface: one of its private or IPv6
  /// addresses (the flow log's `dstaddr` of inbound traffic), or its public address.
  @inline(__always)
  public func owns(_ address: IPAddress) -> Bool {
    addresses.contains(address) || publicAddresses.contains(address)
  }

  private static func unique(_ list: [IPAddress]) -> [IPAddress] {
    var seen: [IPAddress] = []
    for address in list where !seen.contains(address) { seen.append(address) }
    return seen
  }
}
