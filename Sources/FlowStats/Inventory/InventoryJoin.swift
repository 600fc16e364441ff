/// The inventory's values per interface that `summary --by` joins records with: subnet, VPC,
/// security groups and interface type, as bytes ready for the tables' interner (so the join
/// allocates nothing per record).
public struct InventoryJoin: Sendable, Hashable {
  /// Interface id → position in the arrays.
  private let positions: [String: Int32]
  /// Per position: `SubnetId`.
  let subnet: [[UInt8]?]
  /// Per position: `VpcId`.
  let vpc: [[UInt8]?]
  /// Per position: the group ids, sorted and joined with `+` (one group of rows per set of groups,
  /// so that a record counts once).
  let securityGroups: [[UInt8]?]
  /// Per position: `InterfaceType`.
  let interfaceType: [[UInt8]?]

  /// The join of `inventory`'s interfaces.
  public init(_ inventory: Inventory) {
    var positions: [String: Int32] = [:]
    for (index, interface) in inventory.interfaces.enumerated() { positions[interface.id] = Int32(index) }
    self.positions = positions
    subnet = inventory.interfaces.map { $0.subnetID.map { Array($0.utf8) } }
    vpc = inventory.interfaces.map { $0.vpcID.map { Array($0.utf8) } }
    securityGroups = inventory.interfaces.map {
      $0.securityGroupIDs.isEmpty ? nil : Array($0.securityGroupIDs.sorted().joined(separator: "+").utf8)
    }
    interfaceType = inventory.interfaces.map { $0.interfaceType.map { Array($0.utf8) } }
  }

  /// The position of interface `id`, or -1 when the inventory does not list it.
  public func position(of id: String) -> Int32 { positions[id] ?? -1 }
}
