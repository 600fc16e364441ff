import FlowLogParser

/// Partial results combined as one run over all their inputs: the inputs are the union of theirs,
/// ordered by path as one run over them orders its evidence, and each partial's tables are read
/// with its input ranks and flow-log numbers translated to the union's, then merged with the
/// aggregators' own `merge` (associative and commutative, so any order and grouping of partials
/// gives the same result).
public struct PartialMerge: Sendable {
  /// The partials and the names they are known by (file paths, `-` for standard input).
  public let states: [PartialState]
  public let names: [String]
  /// The options, policy and filter they share.
  public var shape: PartialShape { states[0].shape }
  /// The union of the partials' inputs, in the order of a directory walk (paths compared
  /// component by component).
  public let files: [InputFile]
  /// For each partial, its evidence ranks to the union's.
  private let rankMaps: [[Int32]]

  /// Partials that can be merged: at least one, all made by the same command with the same options,
  /// policy and filter; otherwise the error names the first difference.
  public init(states: [PartialState], names: [String]) throws(PartialMergeError) {
    guard let first = states.first else { throw PartialMergeError("no partial state to merge") }
    let reference = first.settings
    for (index, state) in states.enumerated().dropFirst() {
      let settings = state.settings
      // The command comes first, so partials of different commands differ in it.
      for (mine, theirs) in zip(reference, settings) where mine != theirs {
        throw PartialMergeError(
          "\(names[index]) and \(names[0]) differ in \(mine.name) (\(theirs.value) vs \(mine.value)): "
            + "partials merge only when made with the same command, options, filter and policy")
      }
    }
    self.states = states
    self.names = names
    // The union in the order one run reads them from a directory walk (names sorted at each
    // level, which is the order of paths compared component by component), so that the inputs
    // listed and the parse-issue examples come in the same order.
    var union: [(file: InputFile, components: [Substring], state: Int, index: Int)] = []
    for (s, state) in states.enumerated() {
      for (i, file) in state.files.enumerated() {
        union.append((file, file.path.split(separator: "/", omittingEmptySubsequences: false), s, i))
      }
    }
    union.sort { a, b in
      if a.components != b.components { return a.components.lexicographicallyPrecedes(b.components) }
      return (a.state, a.index) < (b.state, b.index)
    }
    let files = union.map(\.file)
    self.files = files
    // Evidence ranks are places among the inputs sorted by path as one string (then by place),
    // as the merged audit (made for `files`) ranks them.
    let byPath = files.indices.sorted { (files[$0].path, $0) < (files[$1].path, $1) }
    var rankOfPosition = [Int32](repeating: 0, count: files.count)
    for (rank, position) in byPath.enumerated() { rankOfPosition[position] = Int32(rank) }
    var rank: [[Int32]] = states.map { Array(repeating: 0, count: $0.files.count) }
    for (position, entry) in union.enumerated() { rank[entry.state][entry.index] = rankOfPosition[position] }
    rankMaps = states.enumerated().map { s, state in
      let order = state.files.indices.sorted { (state.files[$0].path, $0) < (state.files[$1].path, $1) }
      return order.map { rank[s][$0] }
    }
  }

  // MARK: - The run

  /// The counts of every partial, added.
  public var counts: InputCounts {
    var counts = InputCounts()
    for state in states { counts.add(state.counts) }
    return counts
  }

  /// The parse issues of every partial; examples and input errors in the order of ``files`` (as
  /// one run lists them).
  public var issues: IssueLog {
    var log = IssueLog(examplesPerKind: states[0].issues.examplesPerKind)
    for state in states { log.merge(state.issues) }
    var place: [String: Int] = [:]
    for (index, file) in files.enumerated() where place[file.path] == nil { place[file.path] = index }
    func byFile(_ issues: [ParseIssue]) -> [ParseIssue] {
      issues.enumerated().sorted {
        (place[$0.element.file] ?? -1, $0.offset) < (place[$1.element.file] ?? -1, $1.offset)
      }.map(\.element)
    }
    return IssueLog(
      examplesPerKind: log.examplesPerKind, examples: byFile(log.examples), counts: log.counts,
      inputErrors: byFile(log.inputErrors))
  }

  /// The estimated text size of all the inputs (what sizes the audit's filter in one run).
  public var estimatedTextBytes: UInt64 {
    states.reduce(0) { total, state in
      let (sum, overflow) = total.addingReportingOverflow(state.estimatedTextBytes)
      return overflow ? .max : sum
    }
  }

  /// The inputs as given to every partial.
  public var inputNames: [String] { states.flatMap(\.inputNames) }
  /// Files every partial left out by name.
  public var skippedByName: [String] { states.flatMap(\.skippedByName) }
  /// Whether every partial read standard input only.
  public var readsStandardInputOnly: Bool { states.allSatisfy(\.readsStandardInputOnly) }
  /// The filter they share.
  public var filter: PartialFilter? { states[0].filter }
  /// The policy they share (audit and report).
  public var policy: PartialPolicy? { states[0].policy }
  /// The inventory they were made with (its fingerprint), if any.
  public var inventory: PartialInventory? { states[0].inventory }

  // MARK: - The tables

  /// A reader of partial `index`'s tables, with its translations to the union set.
  private func reader(_ index: Int, summary: SummaryOptions?) -> StateReader {
    let state = states[index]
    var reader = StateReader(state.tables, fileOffset: state.tablesOffset)
    reader.rankMap = rankMaps[index]
    if let summary, !summary.flowLogIDs.isEmpty || summary.groupings.contains(where: { $0.kinds.contains(.flowLog) }) {
      var own = summary
      own.nameFlowLogs(ofInputs: state.files.map(\.path))
      reader.flowLogMap = own.flowLogIDs.map { id in Int32(summary.flowLogIDs.firstIndex(of: id) ?? -1) }
    }
    return reader
  }

  /// Summary options for the union of inputs (flow logs named from all of them).
  private func unionOptions(_ options: SummaryOptions) -> SummaryOptions {
    var options = options
    if options.groupings.contains(where: { $0.kinds.contains(.flowLog) }) {
      options.nameFlowLogs(ofInputs: files.map(\.path))
    }
    return options
  }

  private func failure(_ index: Int, _ error: StateError) -> PartialMergeError {
    PartialMergeError("\(names[index]): \(error)")
  }

  /// Reads every partial with `read` and merges them.
  private func merged<Aggregator: MergeableRecordSink>(
    _ read: (inout StateReader) throws(StateError) -> Aggregator, summary: SummaryOptions? = nil
  ) throws(PartialMergeError) -> Aggregator {
    var result: Aggregator?
    for index in states.indices {
      var r = reader(index, summary: summary)
      do {
        let part = try read(&r)
        try r.expectEnd("the tables")
        if result == nil { result = part } else { result!.merge(part) }
      } catch {
        throw failure(index, error)
      }
    }
    return result!
  }

  /// The merged summary.
  public func summary() throws(PartialMergeError) -> SummaryAggregator {
    guard case .summary(let shaped, _) = shape else { throw PartialMergeError("not summary partials") }
    let options = unionOptions(shaped)
    return try merged({ r throws(StateError) in try SummaryAggregator(options: options, from: &r) }, summary: options)
  }

  /// The merged audit, with `policy` (``PartialPolicy/parsed()`` of ``policy``).
  public func audit(policy: Policy) throws(PartialMergeError) -> AuditAggregator {
    guard case .audit(let capacity, _) = shape else { throw PartialMergeError("not audit partials") }
    let names = files.map(\.path)
    let bytes = estimatedTextBytes
    return try merged { r throws(StateError) in
      try AuditAggregator(policy: policy, inputNames: names, inputBytes: bytes, tableCapacity: capacity, from: &r)
    }
  }

  /// The merged report, with `policy`.
  public func report(policy: Policy) throws(PartialMergeError) -> ReportAggregator {
    guard case .report(let options) = shape else { throw PartialMergeError("not report partials") }
    let files = files
    let bytes = estimatedTextBytes
    return try merged { r throws(StateError) in
      try ReportAggregator(policy: policy, inputFiles: files, inputBytes: bytes, options: options, from: &r)
    }
  }
}
