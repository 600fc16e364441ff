import FlowLogParser

/// How much text a run's inputs hold, before they are read: the aggregators size their bounded
/// state by it.
public enum InputSizing {
  /// The text size of the inputs, for sizing the detectors' bounded state: compressed files (as
  /// sniffed at discovery, not by name) count ten times their size (flow logs compress about 4-20
  /// times), standard input as 1 GB.
  public static func estimatedTextBytes(_ files: [InputFile]) -> UInt64 {
    files.reduce(0) { total, file in
      if file.isStandardInput { return total + (1 << 30) }
      return total + file.size * (file.isCompressed ? 10 : 1)
    }
  }
}
