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
    case vpcEndpointId = "VpcEndpointId"
    case vpcEndpointType = "VpcEndpointType"
    case vpcId = "VpcId"
    case serviceName = "ServiceName"
    case routeTableIds = "RouteTableIds"
    case subnetIds = "SubnetIds"
    case networkInterfaceIds = "NetworkInterfaceIds"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    id = try c.decode(String.self, forKey: .vpcEndpointId)
    endpointType = try c.decodeIfPresent(String.self, forKey: .vpcEndpointType)
    vpcID = try c.decodeIfPresent(String.self, forKey: .vpcId)
    serviceName = try c.decodeIfPresent(String.self, forKey: .serviceName)
    routeTableIDs = try c.decodeList(String.self, forKey: .routeTableIds)
    subnetIDs = try c.decodeList(String.self, forKey: .subnetIds)
    networkInterfaceIDs = try c.decodeList(String.self, forKey: .networkInterfaceIds)
  }
}
