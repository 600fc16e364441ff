/// The CloudWatch Logs JSON forms whose log events flowlens reads as flow log records. Both are
/// read by one scanner (``CloudWatchEventScanner``), which takes either form, or a mix of them,
/// document after document; the form names what the first block looked like, for messages.
public enum CloudWatchLogsForm: Sendable, Hashable {
  /// Subscription payloads (`messageType`, `logEvents[].message`): what a subscription filter
  /// delivers (gzip-compressed), and what Firehose writes to S3 from one — many payloads, each its
  /// own gzip member, back to back.
  case subscription
  /// The output of `aws logs filter-log-events` or `get-log-events` (`events[].message`), one
  /// document or several (pages appended to one file).
  case eventListing

  /// What the form is, for messages.
  public var name: String {
    switch self {
    case .subscription: "CloudWatch Logs subscription JSON"
    case .eventListing: "CloudWatch Logs events JSON"
    }
  }

  /// The form of a JSON object's first bytes, when they show one: the `logEvents` or
  /// `messageType` key of a subscription payload, or an `events` key with a key that only the
  /// `aws logs` listings have next to it (`message` in an event, or a paging token).
  static func sniff(_ window: [UInt8]) -> CloudWatchLogsForm? {
    if InputContent.contains(window, "\"logEvents\"") || InputContent.contains(window, "\"messageType\"") {
      return .subscription
    }
    guard InputContent.contains(window, "\"events\"") else { return nil }
    let companions = ["\"message\"", "\"searchedLogStreams\"", "\"nextToken\"", "\"nextForwardToken\""]
    return companions.contains { InputContent.contains(window, $0) } ? .eventListing : nil
  }
}
