import FlowLogParser

/// What a `summary --by` table can group records by: one KEY of `--by KEY[,KEY…]`.
public enum GroupKeyKind: String, CaseIterable, Sendable, Hashable {
  /// `interface-id`, else `resource-id` (``FlowLogParser/FlowRecord/interfaceOrResourceID``).
  case interface
  /// The source address.
  case srcaddr
  /// The destination address.
  case dstaddr
  /// The source address masked to `--source-prefix` / `--source-prefix6`.
  case srcPrefix = "src-prefix"
  /// The destination address masked to `--source-prefix` / `--source-prefix6`.
  case dstPrefix = "dst-prefix"
  /// The source port (the table then also groups by protocol).
  case srcport
  /// The destination port (the table then also groups by protocol).
  case dstport
  /// The IANA protocol number.
  case `protocol`
  /// `ACCEPT` or `REJECT`.
  case action
  /// `account-id`.
  case account
  /// `vpc-id`.
  case vpc
  /// `subnet-id`.
  case subnet
  /// `instance-id`.
  case instance
  /// `flow-direction`.
  case direction
  /// `pkt-dst-aws-service`, else `pkt-src-aws-service`.
  case service
  /// `traffic-path`.
  case trafficPath = "traffic-path"
  /// `reject-reason`.
  case rejectReason = "reject-reason"
  /// The flow log id (`fl-…`) in the S3 object name of the record's input.
  case flowLog = "flow-log"
  /// The interface's security groups in `--inventory` (sorted, joined with `+`).
  case securityGroup = "security-group"
  /// The interface's `InterfaceType` in `--inventory`.
  case interfaceType = "interface-type"

  /// Whether the key's values come only from `--inventory`.
  public var needsInventory: Bool { self == .securityGroup || self == .interfaceType }

  /// The key's name in JSON rows: the KEY with `-` spelt `_`, as every summary JSON key is.
  public var jsonName: String { rawValue.replacingHyphens() }

  /// How the key's value is held in a ``GroupKey``.
  var storage: GroupKeyStorage {
    switch self {
    case .srcaddr, .dstaddr, .srcPrefix, .dstPrefix: .address
    case .srcport, .dstport: .port
    case .protocol, .action: .byte
    case .trafficPath: .integer
    case .interface, .account, .vpc, .subnet, .instance, .direction, .service, .rejectReason, .securityGroup,
      .interfaceType:
      .text
    case .flowLog: .flowLog
    }
  }
}

extension String {
  fileprivate func replacingHyphens() -> String {
    String(unicodeScalars.map { $0 == "-" ? "_" : Character($0) })
  }
}
