extension SummaryReport {
  /// Adds to each `by_interface` row what `inventory` says about its interface.
  public mutating func attach(_ inventory: Inventory) {
    for index in byInterface.indices {
      byInterface[index].inventory = inventory.interface(byInterface[index].interfaceID).map(InterfaceInventory.init)
    }
  }
}

extension AuditReport {
  /// Adds to each finding on an interface what `inventory` says about it.
  public mutating func attach(_ inventory: Inventory) {
    for index in findings.indices {
      findings[index].inventory = findings[index].interfaceID.flatMap { inventory.interface($0) }.map(
        InterfaceInventory.init)
    }
  }
}
