/// A route table as `aws ec2 describe-route-tables` prints it (`RouteTables[]`).
public struct InventoryRouteTable: Decodable, Sendable, Hashable {
  /// One of `Routes[]`.
  public struct Route: Decodable, Sendable, Hashable {
    /// `DestinationCidrBlock` or `DestinationIpv6CidrBlock`; nil for a prefix-list destination.
    public var destination: CIDR?
    /// `DestinationPrefixListId` (a gateway endpoint's route: `pl-…`).
    public var destinationPrefixListID: String?
    /// The target: `GatewayId` (`igw-…`, `vgw-…`, `vpce-…`, `local`), `NatGatewayId`,
    /// `TransitGatewayId`, `VpcPeeringConnectionId`, `EgressOnlyInternetGatewayId`,
    /// `NetworkInterfaceId` or `InstanceId`, the first present.
    public var target: String?

    private enum CodingKeys: String, CodingKey {
      case destinationCidrBlock = "DestinationCidrBlock"
      case destinationIpv6CidrBlock = "DestinationIpv6CidrBlock"
      case destinationPrefixListId = "DestinationPrefixListId"
      case gatewayId = "GatewayId"
      case natGatewayId = "NatGatewayId"
      case transitGatewayId = "TransitGatewayId"
      case vpcPeeringConnectionId = "VpcPeeringConnectionId"
      case egressOnlyInternetGatewayId = "EgressOnlyInternetGatewayId"
      case networkInterfaceId = "NetworkInterfaceId"
      case instanceId = "InstanceId"
    }

    public init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      destination =
        try c.decodeCIDRIfPresent(forKey: .destinationCidrBlock)
        ?? c.decodeCIDRIfPresent(forKey: .destinationIpv6CidrBlock)
      destinationPrefixListID = try c.decodeIfPresent(String.self, forKey: .destinationPrefixListId)
      target = nil
      for key in [
        CodingKeys.gatewayId, .natGatewayId, .transitGatewayId, .vpcPeeringConnectionId, .egressOnlyInternetGatewayId,
        .networkInterfaceId, .instanceId,
      ] {
        if let value = try c.decodeIfPresent(String.self, forKey: key) {
          target = value
          break
        }
      }
    }

    /// Whether this is a default route (`0.0.0.0/0` or `::/0`) to an internet gateway.
    public var isDefaultRouteToInternetGateway: Bool {
      destination?.prefixLength == 0 && (target?.hasPrefix("igw-") ?? false)
    }
  }

  /// `RouteTableId`.
  public var id: String
  /// `VpcId`.
  public var vpcID: String?
  /// `Routes[]`.
  public var routes: [Route]
  /// `Associations[].subnetId`.
  public var subnetIDs: [String]
  /// Whether one of `Associations[]` has `Main: true`: the table of every subnet without its own.
  public var isMain: Bool

  private enum CodingKeys: String, CodingKey {
    case routeTableId = "RouteTableId"
    case vpcId = "VpcId"
    case routes = "Routes"
    case associations = "Associations"
  }
  private enum AssociationKeys: String, CodingKey {
    case subnetId = "SubnetId"
    case main = "Main"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    id = try c.decode(String.self, forKey: .routeTableId)
    vpcID = try c.decodeIfPresent(String.self, forKey: .vpcId)
    routes = try c.decodeList(Route.self, forKey: .routes)
    subnetIDs = []
    isMain = false
    if c.contains(.associations), try !c.decodeNil(forKey: .associations) {
      var list = try c.nestedUnkeyedContainer(forKey: .associations)
      while !list.isAtEnd {
        let association = try list.nestedContainer(keyedBy: AssociationKeys.self)
        if let subnet = try association.decodeIfPresent(String.self, forKey: .subnetId) { subnetIDs.append(subnet) }
        if try association.decodeIfPresent(Bool.self, forKey: .main) == true { isMain = true }
      }
    }
  }

  /// Whether the table sends the internet to an internet gateway: the subnets using it are public.
  public var hasInternetRoute: Bool { routes.contains(where: \.isDefaultRouteToInternetGateway) }
}
