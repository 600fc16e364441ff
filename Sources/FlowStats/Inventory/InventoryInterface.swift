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
  /// `Attachment.InstanceId`.
  public var instanceID: String?
  /// `SubnetId`.
  public var subnetID: String?
  /// `VpcId`.
  public var vpcID: String?
  /// `Groups[].GroupId`: the security groups.
  public var securityGroupIDs: [String]
  /// `PrivateIpAddress` and `PrivateIpAddresses[].PrivateIpAddress`, then
  /// `Ipv6Addresses[].Ipv6Address`, without repeats.
  public var addresses: [IPAddress]
  /// `Association.PublicIp` and the public addresses of `PrivateIpAddresses[].Association`.
  public var publicAddresses: [IPAddress]
  /// `RequesterId`: the service that manages the interface, when AWS does.
  public var requesterID: String?
  /// `OwnerId`: the account.
  public var ownerID: String?
  /// `AvailabilityZone`.
  public var availabilityZone: String?

  private enum CodingKeys: String, CodingKey {
    case NetworkInterfaceId, InterfaceType, Description, Attachment, SubnetId, VpcId, Groups, PrivateIpAddress
    case PrivateIpAddresses, Ipv6Addresses, Association, RequesterId, OwnerId, AvailabilityZone
  }
  private enum AttachmentKeys: String, CodingKey { case InstanceId }
  private enum GroupKeys: String, CodingKey { case GroupId }
  private enum PrivateAddressKeys: String, CodingKey { case PrivateIpAddress, Association }
  private enum IPv6AddressKeys: String, CodingKey { case Ipv6Address }
  private enum AssociationKeys: String, CodingKey { case PublicIp }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    id = try c.decode(String.self, forKey: .NetworkInterfaceId)
    interfaceType = try c.decodeIfPresent(String.self, forKey: .InterfaceType).map {
      $0 == "natGateway" ? "nat_gateway" : $0
    }
    description = try c.decodeIfPresent(String.self, forKey: .Description)
    if c.contains(.Attachment), try !c.decodeNil(forKey: .Attachment) {
      let attachment = try c.nestedContainer(keyedBy: AttachmentKeys.self, forKey: .Attachment)
      instanceID = try attachment.decodeIfPresent(String.self, forKey: .InstanceId)
    }
    subnetID = try c.decodeIfPresent(String.self, forKey: .SubnetId)
    vpcID = try c.decodeIfPresent(String.self, forKey: .VpcId)
    securityGroupIDs = []
    if c.contains(.Groups), try !c.decodeNil(forKey: .Groups) {
      var groups = try c.nestedUnkeyedContainer(forKey: .Groups)
      while !groups.isAtEnd {
        let group = try groups.nestedContainer(keyedBy: GroupKeys.self)
        securityGroupIDs.append(try group.decode(String.self, forKey: .GroupId))
      }
    }
    var addresses: [IPAddress] = []
    var publicAddresses: [IPAddress] = []
    if let primary = try c.decodeAddressIfPresent(forKey: .PrivateIpAddress) { addresses.append(primary) }
    if c.contains(.PrivateIpAddresses), try !c.decodeNil(forKey: .PrivateIpAddresses) {
      var list = try c.nestedUnkeyedContainer(forKey: .PrivateIpAddresses)
      while !list.isAtEnd {
        let entry = try list.nestedContainer(keyedBy: PrivateAddressKeys.self)
        addresses.append(try entry.decodeAddress(forKey: .PrivateIpAddress))
        if entry.contains(.Association), try !entry.decodeNil(forKey: .Association) {
          let association = try entry.nestedContainer(keyedBy: AssociationKeys.self, forKey: .Association)
          if let address = try association.decodeAddressIfPresent(forKey: .PublicIp) { publicAddresses.append(address) }
        }
      }
    }
    if c.contains(.Ipv6Addresses), try !c.decodeNil(forKey: .Ipv6Addresses) {
      var list = try c.nestedUnkeyedContainer(forKey: .Ipv6Addresses)
      while !list.isAtEnd {
        let entry = try list.nestedContainer(keyedBy: IPv6AddressKeys.self)
        addresses.append(try entry.decodeAddress(forKey: .Ipv6Address))
      }
    }
    if c.contains(.Association), try !c.decodeNil(forKey: .Association) {
      let association = try c.nestedContainer(keyedBy: AssociationKeys.self, forKey: .Association)
      if let address = try association.decodeAddressIfPresent(forKey: .PublicIp) { publicAddresses.append(address) }
    }
    self.addresses = Self.unique(addresses)
    self.publicAddresses = Self.unique(publicAddresses)
    requesterID = try c.decodeIfPresent(String.self, forKey: .RequesterId)
    ownerID = try c.decodeIfPresent(String.self, forKey: .OwnerId)
    availabilityZone = try c.decodeIfPresent(String.self, forKey: .AvailabilityZone)
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
