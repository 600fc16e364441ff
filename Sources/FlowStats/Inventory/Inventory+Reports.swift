import FlowLogParser

extension SummaryReport {
  /// Adds to each `by_interface` row what `inventory` says about its interface.
  public mutating func attach(_ inventory: Inventory) {
    for index in byInterface.indices {
      byInterface[index].inventory = inventory.interface(byInterface[index].interfaceID).map(InterfaceInventory.init)
    }
  }
}

extension AuditReport {
  /// Adds to each finding on an interface what `inventory` says about it, and what the
  /// configuration explains: the network ACL entry that rejected a reply (`nacl-return-blocked`),
  /// and whether a gateway endpoint exists for NAT traffic to S3 or DynamoDB
  /// (`nat-endpoint-candidate`).
  public mutating func attach(_ inventory: Inventory) { Self.annotate(&findings, inventory) }

  /// Adds to `findings` what `inventory` says and explains (see ``attach(_:)``).
  static func annotate(_ findings: inout [Finding], _ inventory: Inventory) {
    for index in findings.indices {
      guard let id = findings[index].interfaceID, let interface = inventory.interface(id) else { continue }
      findings[index].inventory = InterfaceInventory(interface)
      switch findings[index].rule {
      case "nacl-return-blocked": Self.explainReply(&findings[index], inventory)
      case "nat-endpoint-candidate": Self.explainEndpoint(&findings[index], inventory, vpc: interface.vpcID)
      default: break
      }
    }
  }

  private static func explainReply(_ finding: inout Finding, _ inventory: Inventory) {
    guard let id = finding.interfaceID, let peer = finding.source.flatMap({ IPAddress(text: $0) }),
      let proto = finding.protocol
    else { return }
    // The request's source is the interface itself: it called out, and the reply was rejected on
    // its way in, by the subnet's inbound entries (the outbound ones let the request out).
    if inventory.interface(id)?.owns(peer) == true {
      explainInboundReply(&finding, inventory, interfaceID: id, ipv6: peer.isIPv6, protocol: proto)
      return
    }
    guard let (acl, entry) = inventory.replyEntry(interfaceID: id, peer: peer, protocol: proto) else { return }
    finding.details["network_acl_id"] = .text(acl.id)
    finding.details["network_acl_rule"] = FindingDetail(entry.ruleNumber)
    finding.details["network_acl_rule_action"] = .text(entry.allows ? "allow" : "deny")
    finding.message +=
      entry.allows
      ? "; outbound rule \(entry.ruleNumber) of \(acl.id) allows it, so the reject came from elsewhere"
      : "; outbound rule \(entry.ruleNumber) of \(acl.id) denies it"
  }

  private static func explainInboundReply(
    _ finding: inout Finding, _ inventory: Inventory, interfaceID: String, ipv6: Bool, protocol proto: Int
  ) {
    guard
      let (acl, entry, before) = inventory.inboundReplyEntries(interfaceID: interfaceID, ipv6: ipv6, protocol: proto)
    else { return }
    finding.details["network_acl_id"] = .text(acl.id)
    finding.details["network_acl_direction"] = .text("inbound")
    finding.details["network_acl_rule"] = FindingDetail(entry.ruleNumber)
    finding.details["network_acl_rule_action"] = .text(entry.allows ? "allow" : "deny")
    finding.message +=
      "; the interface sent the request, so the reply came in: inbound rule \(entry.ruleNumber) of \(acl.id) "
      + (entry.allows ? "allows it from any address" : "denies it from any address")
    if !before.isEmpty {
      finding.message +=
        " (unless the remote is in "
        + before.map { "\($0.block?.description ?? "?"): rule \($0.ruleNumber), \($0.allows ? "allow" : "deny")" }
        .joined(separator: "; ") + ")"
    }
    if entry.allows && before.allSatisfy(\.allows) { finding.message += ", so the reject came from elsewhere" }
  }

  private static func explainEndpoint(_ finding: inout Finding, _ inventory: Inventory, vpc: String?) {
    guard let vpc, case .text(let service)? = finding.details["service"], service == "S3" || service == "DYNAMODB"
    else { return }
    let (endpoints, tables) = inventory.gatewayEndpoints(service: service, vpcID: vpc)
    if endpoints.isEmpty {
      finding.details["gateway_endpoint"] = "missing"
      finding.message += "; \(vpc) has no gateway endpoint for \(service)"
    } else {
      let ids = endpoints.map(\.id).joined(separator: ", ")
      finding.details["gateway_endpoint"] = .text(ids)
      if !tables.isEmpty {
        let names = tables.map(\.id).joined(separator: ", ")
        finding.details["route_tables_without_endpoint"] = .text(names)
        finding.message +=
          "; \(ids) exists but is not in the route tables \(names), which send the internet to a NAT gateway"
      } else {
        finding.message += "; \(ids) exists and is in every route table that uses a NAT gateway"
      }
    }
  }
}

extension ReportDocument {
  /// Adds to each finding what `inventory` says and explains, as ``AuditReport/attach(_:)`` does.
  public mutating func attach(_ inventory: Inventory) { AuditReport.annotate(&findings, inventory) }
}

extension Inventory {
  /// The rule of ``configurationFindings()``.
  public static let databaseInPublicSubnetRule = "database-in-public-subnet"

  /// The findings the configuration shows before any traffic does: a database interface (RDS,
  /// ElastiCache, Redshift) in a subnet whose route table sends the internet to an internet
  /// gateway. They carry no records; the evidence is the inventory. `audit` and `report` add the
  /// same ones, so that both report the same findings.
  public func configurationFindings() -> [Finding] {
    var added: [Finding] = []
    for interface in interfaces {
      guard let service = interface.databaseService, let subnet = interface.subnetID,
        let table = routeTable(ofSubnet: subnet),
        let route = table.routes.first(where: \.isDefaultRouteToInternetGateway)
      else { continue }
      let gateway = route.target ?? "an internet gateway"
      var finding = Finding(
        rule: Self.databaseInPublicSubnetRule, severity: .high, interfaceID: interface.id, source: nil, port: nil,
        protocol: nil, action: nil, records: 0, packets: 0, bytes: 0, firstSeen: nil, lastSeen: nil, evidence: nil,
        message:
          "\(service) interface \(interface.id) is in \(subnet), whose route table \(table.id) sends "
          + "\(route.destination?.description ?? "the internet") to \(gateway)",
        remedy:
          "Put the database in private subnets (a DB subnet group without an internet gateway route), "
          + "and reach it from the application tier only.",
        details: [
          "service": .text(service), "subnet_id": .text(subnet), "route_table_id": .text(table.id),
          "internet_gateway": .text(gateway),
        ])
      finding.inventory = InterfaceInventory(interface)
      added.append(finding)
    }
    return added
  }
}

extension AuditReport {
  /// Adds ``Inventory/configurationFindings()``.
  public mutating func addConfigurationFindings(_ inventory: Inventory) {
    let added = inventory.configurationFindings()
    guard !added.isEmpty else { return }
    findings = (findings + added).sorted(by: Finding.reportOrder)
    for finding in added { findingsBySeverity[finding.severity, default: 0] += 1 }
  }
}

extension ReportDocument {
  /// Adds ``Inventory/configurationFindings()``, as `audit` does.
  public mutating func addConfigurationFindings(_ inventory: Inventory) {
    let added = inventory.configurationFindings()
    guard !added.isEmpty else { return }
    findings = (findings + added).sorted(by: Finding.reportOrder)
    for finding in added { findingCounts[finding.severity.description, default: 0] += 1 }
  }
}
