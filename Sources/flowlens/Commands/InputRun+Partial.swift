import ArgumentParser
import FlowLensOutput
import FlowLogParser
import FlowStats

/// Partial results: a run written as a state (`--partial`), and merged states as a run
/// (`flowlens merge`), so that both end through the command's own render and exit code.
extension InputRun {
  /// The state of this run, whose aggregator wrote `tables`.
  func partialState(
    shape: PartialShape, policy: PartialPolicy?, tables: StateWriter, estimatedTextBytes: UInt64? = nil
  ) -> PartialState {
    PartialState(
      producer: "flowlens \(FlowLens.configuration.version)", shape: shape, policy: policy,
      filter: filter.map(PartialFilter.init), inputNames: inputNames, files: files,
      estimatedTextBytes: estimatedTextBytes ?? InputSizing.estimatedTextBytes(files), counts: counts, issues: issues,
      skippedByName: skippedByName, readsStandardInputOnly: readsStandardInputOnly, tables: tables.bytes)
  }

  /// Writes `state` to `path` (`-`: standard output), then ends as the command would: the
  /// diagnostics and exit status of the run, except that a partial without records is not an
  /// error (the merged run decides).
  func finishPartial(_ state: PartialState, to path: String, _ options: InputOptions) throws {
    OutputFile.writeOrExit(bytes: state.encoded(), to: path, what: "the partial state", existing: .replace)
    var run = self
    run.allowEmpty = true
    try run.finish(options)
  }

  /// The run of merged partial results.
  init(merged merge: PartialMerge, allowEmpty: Bool) {
    self.init()
    counts = merge.counts
    issues = merge.issues
    skippedByName = merge.skippedByName
    self.allowEmpty = allowEmpty
    readsStandardInputOnly = merge.readsStandardInputOnly
    inputNames = merge.inputNames
    files = merge.files
    mergedFilter = merge.filter
  }
}
