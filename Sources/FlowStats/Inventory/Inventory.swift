import FlowLogParser

/// What an account's configuration says: interfaces, subnets, route tables, security groups,
/// VPCs, endpoints, NAT gateways and network ACLs, read from `aws ec2 describe-…` output
/// (``InventoryLoader``). Several accounts and regions may be mixed: resources are keyed by id.
public struct Inventory: Sendable {
  /// The interfaces, by id.
  public private(set) var interfaces: [InventoryInterface] = []
  /// The security groups, by id.
  public private(set) var securityGroups: [SecurityGroup] = []
  /// The subnets, by id.
  public private(set) var subnets: [InventorySubnet] = []
  /// The VPCs, by id.
  public private(set) var vpcs: [InventoryVPC] = []
  /// The route tables, by id.
  public private(set) var routeTables: [InventoryRouteTable] = []
  /// The VPC endpoints, by id.
  public private(set) var vpcEndpoints: [InventoryVPCEndpoint] = []
  /// The NAT gateways, by id.
  public private(set) var natGateways: [InventoryNATGateway] = []
  /// The network ACLs, by id.
  public private(set) var networkACLs: [InventoryNetworkACL] = []

  private var interfaceIndex: [String: Int] = [:]
  private var securityGroupIndex: [String: Int] = [:]
  private var subnetIndex: [String: Int] = [:]

  /// An inventory of these resources; a later entry with the id of an earlier one replaces it.
  public init(
    interfaces: [InventoryInterface] = [], securityGroups: [SecurityGroup] = [], subnets: [InventorySubnet] = [],
    vpcs: [InventoryVPC] = [], routeTables: [InventoryRouteTable] = [], vpcEndpoints: [InventoryVPCEndpoint] = [],
    natGateways: [InventoryNATGateway] = [], networkACLs: [InventoryNetworkACL] = []
  ) {
    self.interfaces = Self.byID(interfaces, \.id)
    self.securityGroups = Self.byID(securityGroups, \.id)
    self.subnets = Self.byID(subnets, \.id)
    self.vpcs = Self.byID(vpcs, \.id)
    self.routeTables = Self.byID(routeTables, \.id)
    self.vpcEndpoints = Self.byID(vpcEndpoints, \.id)
    self.natGateways = Self.byID(natGateways, \.id)
    self.networkACLs = Self.byID(networkACLs, \.id)
    for (index, interface) in self.interfaces.enumerated() { interfaceIndex[interface.id] = index }
    for (index, group) in self.securityGroups.enumerated() { securityGroupIndex[group.id] = index }
    for (index, subnet) in self.subnets.enumerated() { subnetIndex[subnet.id] = index }
  }

  /// Whether the inventory holds nothing.
  public var isEmpty: Bool {
    interfaces.isEmpty && securityGroups.isEmpty && subnets.isEmpty && vpcs.isEmpty && routeTables.isEmpty
      && vpcEndpoints.isEmpty && natGateways.isEmpty && networkACLs.isEmpty
  }

  /// The interface with id `id`.
  public func interface(_ id: String) -> InventoryInterface? { interfaceIndex[id].map { interfaces[$0] } }
  /// The position of interface `id` in ``interfaces``.
  public func interfacePosition(_ id: String) -> Int? { interfaceIndex[id] }
  /// The security group with id `id`.
  public func securityGroup(_ id: String) -> SecurityGroup? { securityGroupIndex[id].map { securityGroups[$0] } }
  /// The subnet with id `id`.
  public func subnet(_ id: String) -> InventorySubnet? { subnetIndex[id].map { subnets[$0] } }

  /// The positions in ``interfaces`` of the interfaces in security group `groupID`.
  public func interfacePositions(inGroup groupID: String) -> [Int] {
    interfaces.indices.filter { interfaces[$0].securityGroupIDs.contains(groupID) }
  }

  /// The route table of subnet `subnetID`: its own association, else its VPC's main table.
  public func routeTable(ofSubnet subnetID: String) -> InventoryRouteTable? {
    if let own = routeTables.first(where: { $0.subnetIDs.contains(subnetID) }) { return own }
    guard let vpc = subnet(subnetID)?.vpcID else { return nil }
    return routeTables.first { $0.isMain && $0.vpcID == vpc }
  }

  /// The AWS region of a VPC, from the availability zone of one of its subnets or interfaces
  /// (`us-east-1a` → `us-east-1`); nil when the inventory does not say.
  public func region(ofVPC vpcID: String) -> String? {
    let zone =
      subnets.first { $0.vpcID == vpcID && $0.availabilityZone != nil }?.availabilityZone
      ?? interfaces.first { $0.vpcID == vpcID && $0.availabilityZone != nil }?.availabilityZone
    guard let zone, let last = zone.last, last.isLetter else { return zone }
    return String(zone.dropLast())
  }

  private static func byID<T>(_ list: [T], _ id: KeyPath<T, String>) -> [T] {
    var position: [String: Int] = [:]
    var result: [T] = []
    for item in list {
      if let index = position[item[keyPath: id]] {
        result[index] = item
      } else {
        position[item[keyPath: id]] = result.count
        result.append(item)
      }
    }
    return result.sorted { $0[keyPath: id] < $1[keyPath: id] }
  }
}
