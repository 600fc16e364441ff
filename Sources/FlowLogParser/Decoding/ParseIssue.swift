/// A line that could not be used, or an input that could not be (fully) read.
public struct ParseIssue: Sendable, Hashable, Codable {
  /// The category of an issue; the raw value is the stable name used in reports.
  public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
    case fieldCount = "field_count"
    case badInteger = "bad_integer"
    case outOfRange = "out_of_range"
    case badAddress = "bad_address"
    case badAction = "bad_action"
    case badLogStatus = "bad_log_status"
    /// A field holds a control byte (NUL, tab, escape, DEL).
    case controlCharacter = "control_character"
    /// A line longer than the limit (a runaway line is never buffered whole).
    case lineTooLong = "line_too_long"
    /// A header line that cannot be a layout (a field named twice).
    case badHeader = "bad_header"
    /// The final line of a stream that broke off: it may be cut short, so it is not trusted.
    case incompleteLine = "incomplete_line"
    /// A header naming fields flowlens does not know; their columns are ignored. Not malformed.
    case unknownHeaderField = "unknown_header_field"
    /// A compressed stream that is truncated or corrupt. Records before the fault are counted.
    case badStream = "bad_stream"
    /// A file that cannot be opened or read.
    case unreadable = "unreadable"
    /// A format flowlens does not read (Parquet, xz, …).
    case unsupportedFormat = "unsupported_format"
    /// A file found in a directory and left out because it is plainly not a text flow log.
    case skippedFile = "skipped_file"
    /// A CloudWatch Logs log event without a usable message (none, not a string, a bad escape).
    case badEvent = "bad_event"
    /// CloudWatch Logs JSON that is cut off or not of the forms read, from a byte offset on. Events
    /// before it are counted.
    case badJSON = "bad_json"
    /// A CloudWatch Logs payload that carries no flow log records (a `CONTROL_MESSAGE`), skipped.
    /// Not malformed.
    case controlMessage = "control_message"

    /// True for kinds that mark a line as malformed.
    public var isMalformedLine: Bool {
      switch self {
      case .fieldCount, .badInteger, .outOfRange, .badAddress, .badAction, .badLogStatus, .controlCharacter,
        .lineTooLong, .badHeader, .incompleteLine, .badEvent:
        true
      case .unknownHeaderField, .badStream, .unreadable, .unsupportedFormat, .skippedFile, .badJSON, .controlMessage:
        false
      }
    }

    /// True for kinds that mean an input could not be read to its end.
    public var isInputError: Bool {
      self == .badStream || self == .unreadable || self == .unsupportedFormat || self == .badJSON
    }

    init(_ kind: RecordError.Kind) {
      switch kind {
      case .fieldCount: self = .fieldCount
      case .badInteger: self = .badInteger
      case .outOfRange: self = .outOfRange
      case .badAddress: self = .badAddress
      case .badAction: self = .badAction
      case .badLogStatus: self = .badLogStatus
      case .controlCharacter: self = .controlCharacter
      }
    }
  }

  /// The input's path (`-` for standard input).
  public var file: String
  /// The 1-based line number, when the issue is about a line of text.
  public var line: Int?
  /// The 1-based index of the log event in a CloudWatch Logs JSON input, when the issue is about
  /// one (a log event is that input's line).
  public var event: Int?
  /// The byte offset: of the line's start in the decoded text (of the log event's `{` in JSON), or
  /// of the fault in the (compressed) file (in the decoded JSON text for ``Kind/badJSON``).
  public var offset: UInt64?
  /// The category.
  public var kind: Kind
  /// A reason a person can read.
  public var reason: String

  /// An issue.
  public init(file: String, line: Int?, offset: UInt64?, kind: Kind, reason: String) {
    self.file = file
    self.line = line
    self.offset = offset
    self.kind = kind
    self.reason = reason
  }

  /// An issue about log event number `event` of a CloudWatch Logs JSON input.
  public init(file: String, event: Int, offset: UInt64?, kind: Kind, reason: String) {
    self.init(file: file, line: nil, offset: offset, kind: kind, reason: reason)
    self.event = event
  }

  /// `FILE:LINE`, `FILE: event N` for a log event, or `FILE: byte N` when there is neither.
  public var location: String {
    if let line { return "\(file):\(line)" }
    if let event { return "\(file): event \(event)" }
    if let offset { return "\(file): byte \(offset)" }
    return file
  }
}

/// Every issue of a run: counts per file and kind, the first examples of each, and every input
/// error in full.
public struct IssueLog: Sendable {
  /// How many examples are kept per file and kind.
  public var examplesPerKind: Int
  /// The examples kept, in the order found.
  public private(set) var examples: [ParseIssue] = []
  /// Counts per file and kind.
  public private(set) var counts: [CountKey: Int] = [:]
  /// Input errors (unreadable files, broken streams, unsupported formats), all of them.
  public private(set) var inputErrors: [ParseIssue] = []

  /// A file and a kind, the key of ``counts``.
  public struct CountKey: Hashable, Sendable {
    public var file: String
    public var kind: ParseIssue.Kind

    /// The key of issues of `kind` in `file`.
    public init(file: String, kind: ParseIssue.Kind) {
      self.file = file
      self.kind = kind
    }
  }

  /// An empty log keeping `examplesPerKind` examples of each kind per file.
  public init(examplesPerKind: Int = 5) {
    self.examplesPerKind = examplesPerKind
  }

  /// A log with the given contents, as a saved partial result (`--partial`) holds them.
  public init(examplesPerKind: Int, examples: [ParseIssue], counts: [CountKey: Int], inputErrors: [ParseIssue]) {
    self.examplesPerKind = examplesPerKind
    self.examples = examples
    self.counts = counts
    self.inputErrors = inputErrors
  }

  /// Records an issue.
  public mutating func record(_ issue: ParseIssue) {
    let key = CountKey(file: issue.file, kind: issue.kind)
    let count = counts[key, default: 0] + 1
    counts[key] = count
    if issue.kind.isInputError { inputErrors.append(issue) }
    if count <= examplesPerKind { examples.append(issue) }
  }

  /// Adds another log's issues after this one's.
  public mutating func merge(_ other: IssueLog) {
    for (key, count) in other.counts { counts[key, default: 0] += count }
    inputErrors += other.inputErrors
    for issue in other.examples {
      let kept = examples.lazy.filter { $0.file == issue.file && $0.kind == issue.kind }.count
      if kept < examplesPerKind { examples.append(issue) }
    }
  }

  /// The number of malformed lines.
  public var malformedLines: Int {
    counts.reduce(0) { $0 + ($1.key.kind.isMalformedLine ? $1.value : 0) }
  }
}
