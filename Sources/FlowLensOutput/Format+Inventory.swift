import FlowStats

extension Format {
  /// The most characters of an interface description a text table shows (JSON has it whole).
  static let descriptionWidth = 40

  /// `description`, cut to ``descriptionWidth`` characters with `…` for a text table.
  static func shortDescription(_ inventory: InterfaceInventory?) -> String {
    guard let description = inventory?.description, !description.isEmpty else { return "" }
    guard description.count > descriptionWidth else { return description }
    return String(description.prefix(descriptionWidth - 1)) + "…"
  }

  /// What `--inventory` says about a finding's interface, in one line: `nat_gateway "Interface for
  /// NAT Gateway nat-…", instance i-…, subnet subnet-…, vpc vpc-…, groups sg-…+sg-…`.
  static func inventoryLine(_ inventory: InterfaceInventory) -> String {
    var parts: [String] = []
    var head = inventory.interfaceType ?? "interface"
    if let description = inventory.description, !description.isEmpty { head += " \"\(description)\"" }
    parts.append(head)
    if let instance = inventory.instanceID { parts.append("instance \(instance)") }
    if let subnet = inventory.subnetID { parts.append("subnet \(subnet)") }
    if let vpc = inventory.vpcID { parts.append("vpc \(vpc)") }
    if !inventory.securityGroups.isEmpty { parts.append("groups \(inventory.securityGroups.joined(separator: "+"))") }
    return parts.joined(separator: ", ")
  }
}
