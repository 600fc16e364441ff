/// One input to read: a file, or standard input.
public struct InputFile: Sendable, Hashable {
  /// The path as given or found; `-` for standard input.
  public var path: String
  /// The size on disk when known (0 for standard input and pipes).
  public var size: UInt64
  /// True when the file was found by walking a directory, rather than named by the user.
  /// Such a file is skipped, with a note, when its content is plainly not a flow log.
  public var foundInDirectory: Bool
  /// What the input's first bytes showed it to be, sniffed once when it was discovered; nil when
  /// that could not be done ahead (standard input, pipes, a file that could not be read then):
  /// the reader sniffs it as it reads it.
  public var sniff: InputSniff?

  /// Standard input.
  public static let standardInput = InputFile(path: "-", size: 0, foundInDirectory: false)

  /// An input at `path`, sniffed already (`sniff`) or not.
  public init(path: String, size: UInt64, foundInDirectory: Bool, sniff: InputSniff? = nil) {
    self.path = path
    self.size = size
    self.foundInDirectory = foundInDirectory
    self.sniff = sniff
  }

  /// True for standard input.
  public var isStandardInput: Bool { path == "-" }

  /// True when the input was sniffed as gzip or zstd.
  public var isCompressed: Bool { sniff?.isCompressed ?? false }
}
