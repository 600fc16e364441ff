extension Policy {
  /// The policy with what `inventory` says filled in where the policy is silent: the NAT gateway
  /// interfaces (`InterfaceType` `nat_gateway`, and `NatGateways[].NatGatewayAddresses[]`) join
  /// `nat_endpoint_candidate.nat_interfaces`, so that logs without `interface-type` (v2) still
  /// show NAT traffic; and, unless the policy names a network `vpc`, the VPCs' CIDR blocks become
  /// the network `vpc` (for `--where 'src net @vpc'`); and, unless the policy lists private subnets,
  /// the subnets whose route table sends no default route to an internet gateway are the private
  /// subnets of `private_egress_path`.
  public func configured(from inventory: Inventory) -> Policy {
    var policy = self
    if !policy.detectors.privateEgress.isConfigured {
      let privateSubnets = inventory.subnets.filter { subnet in
        inventory.routeTable(ofSubnet: subnet.id).map { !$0.hasInternetRoute } ?? false
      }
      policy.detectors.privateEgress.subnetIDs = Set(privateSubnets.map(\.id))
      policy.detectors.privateEgress.addresses = AddressSet(privateSubnets.flatMap(\.blocks))
    }
    var nat = policy.detectors.natEndpoint.natInterfaces
    for interface in inventory.interfaces where interface.interfaceType == "nat_gateway" { nat.insert(interface.id) }
    for gateway in inventory.natGateways { nat.formUnion(gateway.networkInterfaceIDs) }
    policy.detectors.natEndpoint.natInterfaces = nat
    let blocks = inventory.vpcs.flatMap(\.blocks)
    if network(named: "vpc") == nil && !blocks.isEmpty {
      policy.networks.append(NamedNetwork(name: "vpc", addresses: AddressSet(blocks)))
    }
    return policy
  }
}
