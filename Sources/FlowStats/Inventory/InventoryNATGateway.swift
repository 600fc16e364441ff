import FlowLogParser

/// A NAT gateway as `aws ec2 describe-nat-gateways` prints it (`NatGateways[]`).
public struct InventoryNATGateway: Decodable, Sendable, Hashable {
  /// `NatGatewayId`.
  public var id: String
  /// `SubnetId`.
  public var subnetID: String?
  /// `VpcId`.
  public var vpcID: String?
  /// `NatGatewayAddresses[].NetworkInterfaceId`.
  public var networkInterfaceIDs: [String]
  /// `NatGatewayAddresses[].PrivateIp`.
  public var privateAddresses: [IPAddress]

  private enum CodingKeys: String, CodingKey { case NatGatewayId, SubnetId, VpcId, NatGatewayAddresses }
  private enum AddressKeys: String, CodingKey { case NetworkInterfaceId, PrivateIp }

  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    id = try c.decode(String.self, forKey: .NatGatewayId)
    subnetID = try c.decodeIfPresent(String.self, forKey: .SubnetId)
    vpcID = try c.decodeIfPresent(String.self, forKey: .VpcId)
    networkInterfaceIDs = []
    privateAddresses = []
    if c.contains(.NatGatewayAddresses), try !c.decodeNil(forKey: .NatGatewayAddresses) {
      var list = try c.nestedUnkeyedContainer(forKey: .NatGatewayAddresses)
      while !list.isAtEnd {
        let entry = try list.nestedContainer(keyedBy: AddressKeys.self)
        if let eni = try entry.decodeIfPresent(String.self, forKey: .NetworkInterfaceId) {
          networkInterfaceIDs.append(eni)
        }
        if let address = try entry.decodeAddressIfPresent(forKey: .PrivateIp) { privateAddresses.append(address) }
      }
    }
  }
}
