import FlowLogParser

extension Inventory {
  /// The network ACL of subnet `subnetID`: its own association, else its VPC's default ACL.
  public func networkACL(ofSubnet subnetID: String) -> InventoryNetworkACL? {
    if let own = networkACLs.first(where: { $0.subnetIDs.contains(subnetID) }) { return own }
    guard let vpc = subnet(subnetID)?.vpcID else { return nil }
    return networkACLs.first { $0.isDefault && $0.vpcID == vpc }
  }

  /// Why a reply from interface `interfaceID` to `peer` (protocol `proto`) was rejected, as far as
  /// the subnet's network ACL tells: the first outbound entry, by rule number, that matches the
  /// protocol and the peer and, for TCP and UDP, whose ports reach the ephemeral range (1024-65535)
  /// the reply goes to. Nil when the inventory lacks the interface, its subnet's ACL, or a match.
  public func replyEntry(interfaceID: String, peer: IPAddress, protocol proto: Int)
    -> (acl: InventoryNetworkACL, entry: InventoryNetworkACL.Entry)?
  {
    guard let subnet = interface(interfaceID)?.subnetID, let acl = networkACL(ofSubnet: subnet) else { return nil }
    for entry in acl.entries where entry.egress {
      let number = SecurityGroupPermission.protocolNumber(entry.ipProtocol).map(Int.init) ?? -1
      guard entry.ipProtocol == "-1" || number == proto, let block = entry.block, block.contains(peer) else { continue }
      if proto == 6 || proto == 17, let ports = entry.ports, ports.upperBound < 1024 { continue }
      return (acl, entry)
    }
    return nil
  }

  /// Why a reply coming back to interface `interfaceID` (it sent the request: the reply came in, to
  /// one of its ephemeral ports, from a remote address the finding does not name) was rejected, as
  /// far as the subnet's network ACL tells: the first inbound entry, by rule number, that matches
  /// the protocol, reaches the ephemeral range (1024-65535, for TCP and UDP), and holds every
  /// address of the family (`0.0.0.0/0`, `::/0`): it decides for any remote. `before` are the
  /// matching entries with narrower blocks ahead of it, which decide instead for remotes in them.
  /// Nil when the inventory lacks the interface, its subnet's ACL, or such an entry.
  public func inboundReplyEntries(interfaceID: String, ipv6: Bool, protocol proto: Int)
    -> (acl: InventoryNetworkACL, entry: InventoryNetworkACL.Entry, before: [InventoryNetworkACL.Entry])?
  {
    guard let subnet = interface(interfaceID)?.subnetID, let acl = networkACL(ofSubnet: subnet) else { return nil }
    var before: [InventoryNetworkACL.Entry] = []
    for entry in acl.entries where !entry.egress {
      let number = SecurityGroupPermission.protocolNumber(entry.ipProtocol).map(Int.init) ?? -1
      guard entry.ipProtocol == "-1" || number == proto, let block = entry.block, block.address.isIPv6 == ipv6
      else { continue }
      if proto == 6 || proto == 17, let ports = entry.ports, ports.upperBound < 1024 { continue }
      if block.prefixLength == 0 { return (acl, entry, before) }
      before.append(entry)
    }
    return nil
  }

  /// The gateway endpoints of `service` (`S3`, `DYNAMODB`) in VPC `vpcID`, and the route tables
  /// of the VPC that send the internet to a NAT gateway without one of them: where the traffic
  /// would go through the endpoint once it is added.
  public func gatewayEndpoints(service: String, vpcID: String)
    -> (endpoints: [InventoryVPCEndpoint], natTablesWithout: [InventoryRouteTable])
  {
    let suffix = "." + service.lowercased()
    let endpoints = vpcEndpoints.filter {
      $0.vpcID == vpcID && ($0.endpointType ?? "Gateway") == "Gateway" && ($0.serviceName?.hasSuffix(suffix) ?? false)
    }
    let withEndpoint = Set(endpoints.flatMap(\.routeTableIDs))
    let natTables = routeTables.filter { table in
      table.vpcID == vpcID && !withEndpoint.contains(table.id)
        && table.routes.contains { $0.destination?.prefixLength == 0 && ($0.target?.hasPrefix("nat-") ?? false) }
    }
    return (endpoints, natTables)
  }
}
