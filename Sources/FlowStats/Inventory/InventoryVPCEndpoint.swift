/// A VPC endpoint as `aws ec2 describe-vpc-endpoints` prints it (`VpcEndpoints[]`).
public struct InventoryVPCEndpoint: Decodable, Sendable, Hashable {
  /// `VpcEndpointId`.
  public var id: String
  /// `VpcEndpointType`: `Gateway`, `Interface`, `GatewayLoadBalancer`.
  public var endpointType: String?
  /// `VpcId`.
  public var vpcID: String?
  /// `ServiceName`: `com.amazonaws.us-east-1.s3`, …
  public var serviceName: String?
  /// `RouteTableIds[]` (gateway endpoints).
  public var routeTableIDs: [String]
  /// `SubnetIds[]` (interface endpoints).
  public var subnetIDs: [String]
  /// `NetworkInterfaceIds[]` (interface endpoints).
  public var networkInterfaceIDs: [String]

  private enum CodingKeys: String, CodingKey {
    case VpcEndpointId, VpcEndpointType, VpcId, ServiceName, RouteTableIds, SubnetIds, NetworkInterfaceIds
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    id = try c.decode(String.self, forKey: .VpcEndpointId)
    endpointType = try c.decodeIfPresent(String.self, forKey: .VpcEndpointType)
    vpcID = try c.decodeIfPresent(String.self, forKey: .VpcId)
    serviceName = try c.decodeIfPresent(String.self, forKey: .ServiceName)
    routeTableIDs = try c.decodeList(String.self, forKey: .RouteTableIds)
    subnetIDs = try c.decodeList(String.self, forKey: .SubnetIds)
    networkInterfaceIDs = try c.decodeList(String.self, forKey: .NetworkInterfaceIds)
  }
}
