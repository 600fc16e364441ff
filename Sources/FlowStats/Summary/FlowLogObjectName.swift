/// The flow log id in the name of an S3 flow log object,
/// `{account}_vpcflowlogs_{region}_{flow-log-id}_{YYYYMMDDTHHmmZ}_{hash}.log.gz`.
public enum FlowLogObjectName {
  /// The `fl-…` id in the last path component of `path`; nil when the name is not an S3 flow
  /// log object's.
  public static func flowLogID(inPath path: String) -> String? {
    let name = path.split(separator: "/", omittingEmptySubsequences: true).last ?? ""
    let parts = name.split(separator: "_", omittingEmptySubsequences: false)
    guard parts.count >= 6, parts[1] == "vpcflowlogs", parts[3].hasPrefix("fl-"), parts[3].count > 3 else {
      return nil
    }
    return String(parts[3])
  }
}
