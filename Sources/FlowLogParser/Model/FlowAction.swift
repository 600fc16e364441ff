/// The `action` of a record: whether security groups and network ACLs let the traffic through.
public enum FlowAction: UInt8, Sendable, Hashable, CaseIterable {
  /// `ACCEPT`.
  case accept
  /// `REJECT`: denied by a security group or network ACL, or arriving after the connection closed.
  case reject

  /// The text AWS writes.
  public var name: String { self == .accept ? "ACCEPT" : "REJECT" }
}

/// The `log-status` of a record.
public enum LogStatus: UInt8, Sendable, Hashable, CaseIterable {
  /// `OK`: data is logging normally.
  case ok
  /// `NODATA`: no traffic to or from the interface during the aggregation interval.
  case nodata
  /// `SKIPDATA`: some records were skipped during the interval (capacity or an internal error).
  case skipdata

  /// The text AWS writes.
  public var name: String {
    switch self {
    case .ok: "OK"
    case .nodata: "NODATA"
    case .skipdata: "SKIPDATA"
    }
  }
}
