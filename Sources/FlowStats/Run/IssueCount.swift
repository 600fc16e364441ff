import FlowLogParser

/// How many issues of one kind one file had, as every report lists them (`issue_counts`).
public struct IssueCount: Sendable, Codable, Hashable {
  /// The input.
  public var file: String
  /// The kind, as ``FlowLogParser/ParseIssue/Kind`` names it.
  public var kind: String
  /// Issues of that kind in that input.
  public var count: Int

  /// The counts of an issue log, sorted by file and kind.
  public static func counts(_ log: IssueLog) -> [IssueCount] {
    log.counts.map { IssueCount(file: $0.key.file, kind: $0.key.kind.rawValue, count: $0.value) }
      .sorted { ($0.file, $0.kind) < ($1.file, $1.kind) }
  }
}
