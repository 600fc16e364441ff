/// Where a security group rule allows traffic from: an address range, a managed prefix list, or
/// the members of a security group.
public enum SecurityGroupSource: Sendable, Hashable, CustomStringConvertible {
  /// `IpRanges[].CidrIp` or `Ipv6Ranges[].CidrIpv6`.
  case cidr(CIDR)
  /// `PrefixListIds[].PrefixListId`: the list's members are not in the inventory.
  case prefixList(String)
  /// `UserIdGroupPairs[].GroupId`: the interfaces in that group.
  case securityGroup(String)

  /// `0.0.0.0/0`, `pl-…`, `sg-…`.
  public var description: String {
    switch self {
    case .cidr(let cidr): cidr.description
    case .prefixList(let id), .securityGroup(let id): id
    }
  }

  /// `cidr`, `prefix_list` or `security_group`.
  public var kind: String {
    switch self {
    case .cidr: "cidr"
    case .prefixList: "prefix_list"
    case .securityGroup: "security_group"
    }
  }
}
