import FlowLogParser

/// One example of a parse or input issue, as every report lists them (`issues`).
public struct IssueExample: Sendable, Codable, Hashable {
  /// The input the issue is in.
  public var file: String
  /// The line, when the issue is on one.
  public var line: Int?
  /// The index of the log event (from 1) in a CloudWatch Logs JSON input, when the issue is on one.
  public var event: Int?
  /// The byte offset, when the issue is at one (a damaged compressed stream).
  public var offset: UInt64?
  /// The kind, as ``FlowLogParser/ParseIssue/Kind`` names it.
  public var kind: String
  /// What is wrong, in words.
  public var reason: String

  /// The examples an issue log kept.
  public static func examples(_ log: IssueLog) -> [IssueExample] {
    log.examples.map {
      IssueExample(
        file: $0.file, line: $0.line, event: $0.event, offset: $0.offset, kind: $0.kind.rawValue, reason: $0.reason)
    }
  }
}
