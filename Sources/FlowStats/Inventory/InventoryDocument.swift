/// One file of AWS CLI output: whichever of the `describe-…` top-level keys it holds.
struct InventoryDocument: Decodable {
  /// The top-level keys flowlens reads, in the order of the commands that print them.
  static let knownKeys = [
    "NetworkInterfaces", "Subnets", "RouteTables", "SecurityGroups", "Vpcs", "VpcEndpoints", "NatGateways",
    "NetworkAcls",
  ]

  var interfaces: [InventoryInterface] = []
  var subnets: [InventorySubnet] = []
  var routeTables: [InventoryRouteTable] = []
  var securityGroups: [SecurityGroup] = []
  var vpcs: [InventoryVPC] = []
  var vpcEndpoints: [InventoryVPCEndpoint] = []
  var natGateways: [InventoryNATGateway] = []
  var networkACLs: [InventoryNetworkACL] = []
  /// Which known keys the file has.
  var keys: [String] = []

  private enum CodingKeys: String, CodingKey, CaseIterable {
    case networkInterfaces = "NetworkInterfaces"
    case subnets = "Subnets"
    case routeTables = "RouteTables"
    case securityGroups = "SecurityGroups"
    case vpcs = "Vpcs"
    case vpcEndpoints = "VpcEndpoints"
    case natGateways = "NatGateways"
    case networkAcls = "NetworkAcls"
  }

  init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    keys = CodingKeys.allCases.filter { c.contains($0) }.map(\.rawValue)
    interfaces = try c.decodeList(InventoryInterface.self, forKey: .networkInterfaces)
    subnets = try c.decodeList(InventorySubnet.self, forKey: .subnets)
    routeTables = try c.decodeList(InventoryRouteTable.self, forKey: .routeTables)
    securityGroups = try c.decodeList(SecurityGroup.self, forKey: .securityGroups)
    vpcs = try c.decodeList(InventoryVPC.self, forKey: .vpcs)
    vpcEndpoints = try c.decodeList(InventoryVPCEndpoint.self, forKey: .vpcEndpoints)
    natGateways = try c.decodeList(InventoryNATGateway.self, forKey: .natGateways)
    networkACLs = try c.decodeList(InventoryNetworkACL.self, forKey: .networkAcls)
  }
}

extension InventoryDocument {
  /// The resources of several documents, gathered before the inventory is built.
  struct Parts {
    var document = InventoryDocument()

    mutating func add(_ other: InventoryDocument) {
      document.interfaces += other.interfaces
      document.subnets += other.subnets
      document.routeTables += other.routeTables
      document.securityGroups += other.securityGroups
      document.vpcs += other.vpcs
      document.vpcEndpoints += other.vpcEndpoints
      document.natGateways += other.natGateways
      document.networkACLs += other.networkACLs
    }

    var inventory: Inventory {
      Inventory(
        interfaces: document.interfaces, securityGroups: document.securityGroups, subnets: document.subnets,
        vpcs: document.vpcs, routeTables: document.routeTables, vpcEndpoints: document.vpcEndpoints,
        natGateways: document.natGateways, networkACLs: document.networkACLs)
    }
  }

  /// An empty document.
  init() {}
}
