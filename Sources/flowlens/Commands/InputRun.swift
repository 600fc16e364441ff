import ArgumentParser
import FlowLensOutput
import FlowLogParser
import FlowStats

/// Reads the inputs of a command into a sink, reports problems on standard error, and decides the
/// exit status. Shared by every command that reads flow logs.
struct InputRun {
  var counts = InputCounts()
  var issues = IssueLog()
  /// Files found in directories and left out by name (hidden files, links that are not regular files, …).
  var skippedByName: [String] = []
  /// Whether a run without a single record succeeds (`--allow-empty`).
  var allowEmpty = false
  /// Whether standard input is the only input.
  var readsStandardInputOnly = false
  /// The inputs as the user named them.
  var inputNames: [String] = []
  /// The run's `--where`/`--since`/`--until`; nil without them.
  var filter: CompiledFilter?
  /// The files read, in the order they were read.
  var files: [InputFile] = []
  /// The filter of merged partial results (`flowlens merge`), which is not compiled again.
  var mergedFilter: PartialFilter?

  /// What the filter let through, for the reports; nil without a filter.
  var filterSummary: FilterSummary? {
    filter.map { FilterSummary($0, counts: counts) } ?? mergedFilter.map { $0.summary(counts: counts) }
  }

  /// Expands and reads the inputs into `sink`, the records `filter` keeps.
  static func read<Sink: FlowRecordSink>(
    _ options: InputOptions, filter: CompiledFilter?, into sink: inout Sink
  ) throws -> InputRun {
    let result = try read(options, filter: filter) { _ in sink }
    sink = result.sink
    return result.run
  }

  /// Expands the inputs, makes the sink for them (a sink may need their names), and reads them.
  static func read<Sink: FlowRecordSink>(
    _ options: InputOptions, filter: CompiledFilter?, makeSink: ([InputFile]) -> Sink
  ) throws -> (run: InputRun, sink: Sink) {
    var run = InputRun()
    run.filter = filter
    let discovery = run.discover(options)
    var sink = makeSink(discovery.files)
    let reader = FlowLogReader(options: options.readerOptions(filter: filter))
    run.counts = reader.readAll(discovery.files, into: &sink, issues: &run.issues)
    try run.checkFilterFields()
    return (run, sink)
  }

  /// Expands the inputs and reads them on `--jobs` workers, each with a sink made for the inputs;
  /// the partial sinks are merged.
  static func readInParallel<Sink: MergeableRecordSink>(
    _ options: InputOptions, filter: CompiledFilter?, makeSink: @escaping @Sendable ([InputFile]) -> Sink
  ) throws -> (run: InputRun, sink: Sink) {
    try readInParallel(options, filter: filter, factory: { files in { makeSink(files) } })
  }

  /// Like ``readInParallel(_:makeSink:)``, with one factory of worker sinks made once for the
  /// inputs (so that workers can share state, such as one filter).
  static func readInParallel<Sink: MergeableRecordSink>(
    _ options: InputOptions, filter: CompiledFilter?, factory: ([InputFile]) -> @Sendable () -> Sink
  ) throws -> (run: InputRun, sink: Sink) {
    var run = InputRun()
    run.filter = filter
    let discovery = run.discover(options)
    let files = discovery.files
    var readerOptions = options.readerOptions(filter: filter)
    var display: ProgressDisplay?
    if !options.quiet && ProgressDisplay.isWanted {
      let counter = ProgressCounter()
      readerOptions.progress = counter
      display = ProgressDisplay(counter: counter, totalBytes: files.reduce(0) { $0 + $1.size })
    }
    let reader = ParallelReader(options: readerOptions, jobs: options.workerCount)
    let result = reader.read(files, makeSink: factory(files))
    display?.stop()
    run.counts = result.counts
    run.issues.merge(result.issues)
    try run.checkFilterFields()
    return (run, result.sink)
  }

  /// Says which tests of the filter read fields that no input's layout has (they are false for
  /// every record): a warning while the filter can still match, an error (exit 2, before any
  /// output) when it cannot. Said even with `--quiet`: it is about the command line, not the data.
  func checkFilterFields() throws {
    guard let filter, counts.records + counts.filtered > 0 else { return }
    let seen = counts.fieldsSeen
    let missing = filter.expression.primitivesWithoutFields(seen)
    guard !missing.isEmpty else { return }
    let neverMatches = filter.expression.constantValue(fieldsSeen: seen) == false
    for (primitive, column) in missing {
      let fields = primitive.fields.map(\.name).joined(separator: " or ")
      let place = column == 0 ? primitive.description : "--where: column \(column)"
      let subject = column == 0 ? "it" : "'\(primitive)'"
      StandardError.write(
        "flowlens: \(neverMatches ? "" : "warning: ")\(place): no input has the field \(fields), so \(subject) is false "
          + "for every record\(neverMatches ? " and nothing can match" : "")\n")
    }
    if neverMatches { throw ExitCode(2) }
  }

  /// Expands the inputs, recording what cannot be read and noting what was skipped.
  private mutating func discover(_ options: InputOptions) -> InputDiscovery.Result {
    if let note = Self.standardInputNote(inputs: options.inputs, standardInputIsTerminal: Terminal.isStandardInput) {
      StandardError.write(note + "\n")
    }
    let discovery = InputDiscovery.expand(options.inputs)
    files = discovery.files
    allowEmpty = options.allowEmpty
    inputNames = options.inputs
    skippedByName = discovery.skipped.filter { !$0.reason.hasPrefix("directory already visited") }.map(\.path)
    readsStandardInputOnly = discovery.files == [.standardInput] && discovery.skipped.isEmpty
    for (path, message) in discovery.errors {
      issues.record(ParseIssue(file: path, line: nil, offset: nil, kind: .unreadable, reason: message))
    }
    if !options.quiet {
      for (path, reason) in discovery.skipped {
        StandardError.write("flowlens: \(TextEscaping.terminalSafe(path)): skipped: \(reason)\n")
      }
    }
    return discovery
  }

  /// What to say before reading: with no INPUT, standard input is read, and when that is a
  /// terminal the run would otherwise wait on the keyboard in silence. Said even with `--quiet`,
  /// which silences diagnostics about the data, not this.
  static func standardInputNote(inputs: [String], standardInputIsTerminal: Bool) -> String? {
    guard inputs.isEmpty && standardInputIsTerminal else { return nil }
    return
      "flowlens: reading flow logs from standard input (Ctrl-D to end; give a file or directory to read that instead)"
  }

  /// Ends a command once its output is written: prints the diagnostics, then exits with 2 when
  /// the run failed (``exitCode(strict:)``), else with 1 when `thresholdMet` (audit's `--fail-on`).
  func finish(_ options: InputOptions, thresholdMet: Bool = false) throws {
    try finish(quiet: options.quiet, strict: options.strict, thresholdMet: thresholdMet)
  }

  /// Like ``finish(_:thresholdMet:)``, with `--quiet` and `--strict` given.
  func finish(quiet: Bool, strict: Bool, thresholdMet: Bool = false) throws {
    reportDiagnostics(quiet: quiet)
    let code = exitCode(strict: strict)
    if code != .success { throw code }
    if thresholdMet { throw ExitCode(1) }
  }

  /// Prints diagnostics: every input error, the kept examples of malformed lines, and how many more.
  func reportDiagnostics(quiet: Bool) {
    for issue in issues.inputErrors {
      StandardError.write(
        "flowlens: \(TextEscaping.terminalSafe(issue.location)): \(TextEscaping.terminalSafe(issue.reason))\n")
    }
    guard !quiet else { return }
    for issue in issues.examples where !issue.kind.isInputError {
      StandardError.write(
        "flowlens: \(TextEscaping.terminalSafe(issue.location)): \(TextEscaping.terminalSafe(issue.reason))\n")
    }
    for (key, count) in issues.counts.sorted(by: {
      ($0.key.file, $0.key.kind.rawValue) < ($1.key.file, $1.key.kind.rawValue)
    })
    where count > issues.examplesPerKind && !key.kind.isInputError {
      StandardError.write(
        "flowlens: \(TextEscaping.terminalSafe(key.file)): \(count - issues.examplesPerKind) more \(Quantity.noun(count - issues.examplesPerKind, "line")) of kind \(key.kind.rawValue) not shown\n"
      )
    }
    if counts.malformed > 0 {
      StandardError.write(
        "flowlens: \(counts.malformed) of \(Quantity.counted(counts.lines, "line")) rejected as malformed\n")
    }
    if isEmptyFailure {
      StandardError.write("flowlens: no flow log records in the input (\(whatWasRead)); --allow-empty to accept\n")
    }
  }

  /// 2 when an input could not be read (or, with `strict`, a line was malformed, or without
  /// `--allow-empty`, no input held a record); otherwise 0.
  func exitCode(strict: Bool) -> ExitCode {
    if !issues.inputErrors.isEmpty { return ExitCode(2) }
    if strict && counts.malformed > 0 { return ExitCode(2) }
    if isEmptyFailure { return ExitCode(2) }
    return .success
  }

  /// A run that read no record at all — an empty directory, only skipped files, only headers or
  /// malformed lines — must not pass as "nothing found". NODATA and SKIPDATA lines are records, and
  /// so are records a filter turned away (a filter that matches nothing is an answer).
  /// Input errors are reported (and exit 2) on their own.
  private var isEmptyFailure: Bool {
    counts.records + counts.filtered == 0 && !allowEmpty && issues.inputErrors.isEmpty
  }

  /// What was read, for the message of an empty run: `3 files: 2 skipped (a.png, b.parquet), 1 read: 4 lines, 4 malformed`.
  var whatWasRead: String {
    let skipped =
      skippedByName
      + issues.counts.keys.filter { $0.kind == .skippedFile }.map(\.file).sorted()
    let found = skipped.count + counts.files
    guard found > 0 else { return "no files found in \(inputNames.joined(separator: ", "))" }
    if readsStandardInputOnly {
      return "standard input: \(Self.plural(counts.lines, "line"))\(lineKinds.map { " (\($0))" } ?? "")"
    }
    var parts: [String] = []
    if !skipped.isEmpty {
      let names = skipped.prefix(3).map { $0.split(separator: "/").last.map(String.init) ?? $0 }
      let more = skipped.count > 3 ? ", and \(skipped.count - 3) more" : ""
      parts.append("\(skipped.count) skipped (\(names.joined(separator: ", "))\(more))")
    }
    if counts.files > 0 {
      parts.append("\(counts.files) read: \(Self.plural(counts.lines, "line"))\(lineKinds.map { " (\($0))" } ?? "")")
    }
    return "\(Self.plural(found, "file")): \(parts.joined(separator: ", "))"
  }

  /// The kinds of the lines read when there are any: `1 header, 4 malformed`.
  private var lineKinds: String? {
    let kinds = [
      counts.headers > 0 ? Self.plural(counts.headers, "header") : nil,
      counts.malformed > 0 ? "\(counts.malformed) malformed" : nil,
      counts.blank > 0 ? "\(counts.blank) blank" : nil,
    ].compactMap { $0 }
    return kinds.isEmpty ? nil : kinds.joined(separator: ", ")
  }

  /// `1 line`, `1234 lines`: the count without thousands separators, the noun from ``Quantity``.
  private static func plural(_ count: Int, _ noun: String) -> String {
    "\(count) \(Quantity.noun(count, noun))"
  }
}
