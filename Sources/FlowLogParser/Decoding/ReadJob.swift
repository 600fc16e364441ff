/// One unit of reading: a whole input, or a piece of a plain file split at line boundaries. A
/// value, so that a planner (``ParallelReader``) can hand it to any worker; ``FlowLogReader``
/// reads it with ``FlowLogReader/read(_:from:into:issues:)``.
public struct ReadJob: Sendable, Hashable {
  /// The input, with its format as sniffed at discovery (see ``InputFile/sniff``).
  public var input: InputFile
  /// The index of the input in the run (``RecordPosition/inputIndex``).
  public var inputIndex: Int
  /// The bytes of the file to read; nil for the whole input. Only plain text files are split, so
  /// a piece is read as text without sniffing.
  public var range: Range<UInt64>?
  /// The line number of the job's first line (1 for a whole input), so that the line numbers of a
  /// piece are those of the whole file.
  public var firstLineNumber: Int
  /// The layout in force where the job starts (the last header line before a piece); nil for the
  /// reader's options.
  public var layout: FlowLayout?
  /// The row groups to read of a Parquet file split across workers; nil for all of them.
  public var rowGroups: Range<Int>?
  /// Whether the job counts as a file read (every piece of a split file but the first does not).
  public var countsAsFile: Bool
  /// Whether to decompress on a thread of its own (a compressed input read while cores are free).
  public var pipelined: Bool

  /// The whole of `input`, the input numbered `index` in the run.
  public init(_ input: InputFile, index: Int = 0) {
    self.input = input
    self.inputIndex = index
    range = nil
    firstLineNumber = 1
    layout = nil
    countsAsFile = true
    pipelined = false
    rowGroups = nil
  }

  /// A piece `range` of the plain file `input`: its first line is numbered `firstLineNumber`,
  /// and `layout` is in force where it starts.
  init(piece range: Range<UInt64>, of input: InputFile, index: Int, firstLineNumber: Int, layout: FlowLayout?) {
    self.init(input, index: index)
    self.range = range
    self.firstLineNumber = firstLineNumber
    self.layout = layout
    countsAsFile = range.lowerBound == 0
  }

  /// The row groups `groups` of the Parquet file `input`: its first row is line `firstLineNumber`.
  init(rowGroups groups: Range<Int>, of input: InputFile, index: Int, firstLineNumber: Int, size: UInt64) {
    self.init(input, index: index)
    rowGroups = groups
    self.firstLineNumber = firstLineNumber
    countsAsFile = groups.lowerBound == 0
    estimatedSize = size
  }

  /// The share of the file a piece of row groups covers, for ordering work.
  var estimatedSize: UInt64?

  /// The bytes the job covers, as far as known ahead (for ordering work, largest first).
  var size: UInt64 { estimatedSize ?? range.map { $0.upperBound - $0.lowerBound } ?? input.size }
}
