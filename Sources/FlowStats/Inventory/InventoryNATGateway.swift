import FlowLogParser

/// A NAT gateway as `aws ec2 describe-nat-gateways` prints it (`NatGateways[]`).
public struct InventoryNATGateway: Decodable, Sendable, Hashable {
  /// `NatGatewayId`.
  public var id: String
  /// `SubnetId`.
  public var subnetID: String?
  /// `VpcId`.
  public var vpcID: String?
  /// `NatGatewayAddresses[].networkInterfaceId`.
  public var networkInterfaceIDs: [String]
  /// `NatGatewayAddresses[].privateIp`.
  public var privateAddresses: [IPAddress]

  private enum CodingKeys: String, CodingKey {
    case natGatewayId = "NatGatewayId"
    case subnetId = "SubnetId"
    case vpcId = "VpcId"
    case natGatewayAddresses = "NatGatewayAddresses"
  }
  private enum AddressKeys: String, CodingKey {
    case networkInterfaceId = "NetworkInterfaceId"
    case privateIp = "PrivateIp"
  }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    id = try c.decode(String.self, forKey: .natGatewayId)
    subnetID = try c.decodeIfPresent(String.self, forKey: .subnetId)
    vpcID = try c.decodeIfPresent(String.self, forKey: .vpcId)
    networkInterfaceIDs = []
    privateAddresses = []
    if c.contains(.natGatewayAddresses), try !c.decodeNil(forKey: .natGatewayAddresses) {
      var list = try c.nestedUnkeyedContainer(forKey: .natGatewayAddresses)
      while !list.isAtEnd {
        let entry = try list.nestedContainer(keyedBy: AddressKeys.self)
        if let eni = try entry.decodeIfPresent(String.self, forKey: .networkInterfaceId) {
          networkInterfaceIDs.append(eni)
        }
        if let address = try entry.decodeAddressIfPresent(forKey: .privateIp) { privateAddresses.append(address) }
      }
    }
  }
}
