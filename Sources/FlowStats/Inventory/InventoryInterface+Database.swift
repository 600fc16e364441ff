extension InventoryInterface {
  /// The managed database service behind the interface, by requester or description (`RDS`,
  /// `ElastiCache`, `Redshift`, `DocumentDB`/`Neptune` share RDS's); nil for other interfaces.
  public var databaseService: String? {
    let requester = requesterID?.lowercased() ?? ""
    let text = description?.lowercased() ?? ""
    if requester == "amazon-rds" || text.contains("rdsnetworkinterface") { return "RDS" }
    if requester == "amazon-elasticache" || text.hasPrefix("elasticache") { return "ElastiCache" }
    if requester == "amazon-redshift" || text.contains("redshift") { return "Redshift" }
    return nil
  }
}
