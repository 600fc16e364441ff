import ArgumentParser
import FlowLensOutput
import FlowLogParser
import FlowStats

/// `flowlens report`: a self-contained HTML page with the summary, charts and audit findings.
struct ReportCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract: "Write a self-contained HTML report: totals, parse issues, charts and audit findings.",
    discussion: """
      The page has no scripts and loads nothing: CSS and SVG charts are inline. It shows the \
      inputs and totals, every kind of parse issue with examples, ACCEPT and REJECT over time, \
      the top destination ports and rejected source prefixes, a heat map of REJECT records by \
      interface and port, and the audit's findings (built-in policy, or --policy) grouped by \
      severity, each with an anchor. It prints to PDF and follows the system's dark mode. \
      --format json prints the data the page shows.

      Examples:
        flowlens report AWSLogs/ -o report.html
        flowlens report --policy policy.yaml --top 20 flows.log.gz -o report.html
      """)

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case html, json
  }

  @OptionGroup var input: InputOptions

  @Option(help: "Policy file (YAML). Default: the built-in policy.")
  var policy: String?

  @OptionGroup var inventoryOption: InventoryOption

  @Option(
    name: .shortAndLong,
    help: ArgumentHelp(
      "Write the report to this file ('-': standard output). Default: standard output, but HTML to a terminal goes to \(Self.terminalFallbackFile).",
      valueName: "path"))
  var output: String?

  @Option(help: "Output format: \(Format.allCases.map(\.rawValue).joined(separator: ", ")).")
  var format: Format = .html

  @Option(
    parsing: .unconditional,
    help: "Rows of the port and rejected-source charts, and rows and columns of the heat map (1-100).")
  var top: Int = 12

  @Option(parsing: .unconditional, help: "Findings shown per rule; the rest are counted (0: all).")
  var findingsPerRule: Int = 100

  @OptionGroup var prefixes: SourcePrefixOptions

  @Option(
    parsing: .unconditional,
    help: """
      Keys counted exactly in the source-prefix table and in each audit table; past that only the \
      heaviest are kept and the report says it is approximate. Default: as summary (262,144) and \
      audit (131,072).
      """)
  var sourceCapacity: Int?

  func validate() throws {
    guard (1...100).contains(top) else {
      throw ValidationError("--top must be a whole number from 1 to 100, not \(top)")
    }
    if let sourceCapacity, sourceCapacity < 16 {
      throw ValidationError("--source-capacity must be at least 16, not \(sourceCapacity)")
    }
    guard findingsPerRule >= 0 else {
      throw ValidationError("--findings-per-rule must be 0 (all) or more, not \(findingsPerRule)")
    }
  }

  /// Where HTML goes when there is no `-o` and standard output is a terminal.
  static let terminalFallbackFile = "flowlens-report.html"

  /// Where the report goes: `-o` when given; else standard output, except that an HTML page is
  /// not printed on a terminal (pages of markup a person cannot use): it goes to
  /// ``terminalFallbackFile`` instead, and `note` says so.
  static func destination(output: String?, format: Format, standardOutputIsTerminal: Bool) -> (
    path: String, note: String?
  ) {
    if let output { return (output, nil) }
    guard format == .html && standardOutputIsTerminal else { return ("-", nil) }
    return (
      terminalFallbackFile,
      "flowlens: standard output is a terminal: wrote the HTML report to \(terminalFallbackFile) (-o PATH chooses the file, -o - prints it)"
    )
  }

  @OptionGroup var partial: PartialOption

  func run() throws {
    let loadedInventory = try inventoryOption.loadedForPartial(quiet: input.quiet)
    let inventory = loadedInventory?.inventory
    let given = try PolicyLoader.loadOrExit(path: policy)
    // The inventory fills in what the policy does not say: NAT interfaces, private subnets, `vpc`.
    let loaded = inventory.map { given.configured(from: $0) } ?? given
    var summaryOptions = SummaryOptions(
      sourcePrefixV4: prefixes.sourcePrefix, sourcePrefixV6: prefixes.sourcePrefix6, top: top)
    if let sourceCapacity { summaryOptions.sourceCapacity = sourceCapacity }
    let options = ReportOptions(
      summary: summaryOptions, heatmapInterfaces: top, heatmapPorts: top,
      findingsPerRule: findingsPerRule == 0 ? nil : findingsPerRule,
      auditTableCapacity: sourceCapacity ?? AuditAggregator.defaultTableCapacity)
    let (run, aggregator) = try InputRun.readInParallel(
      input, filter: try input.filters.compiled(policy: loaded),
      factory: { files in
        ReportAggregator.workerFactory(
          policy: loaded, inputFiles: files, inputBytes: InputSizing.estimatedTextBytes(files), options: options,
          keepsExactState: partial.partial != nil)
      })
    if let path = partial.partial {
      var tables = StateWriter()
      aggregator.write(to: &tables)
      var state = run.partialState(
        shape: .report(options), policy: try PartialPolicy.loadOrExit(path: policy), tables: tables)
      state.inventory = loadedInventory?.partial
      try run.finishPartial(state, to: path, input)
      return
    }
    try Self.render(
      aggregator, run: run, policySource: policy ?? "built-in", inventory: inventory, format: format, output: output,
      quiet: input.quiet, strict: input.strict)
  }

  /// Writes the report of a run (or of merged partial results) and ends it.
  static func render(
    _ aggregator: ReportAggregator, run: InputRun, policySource: String, inventory: Inventory? = nil, format: Format,
    output: String?, quiet: Bool, strict: Bool
  ) throws {
    let destination = Self.destination(
      output: output, format: format, standardOutputIsTerminal: Terminal.isStandardOutput)
    var document = ReportDocument(
      policySource: policySource, aggregate: aggregator, counts: run.counts, issues: run.issues)
    document.filter = run.filterSummary
    if let inventory {
      document.attach(inventory)
      document.addConfigurationFindings(inventory)
    }
    let text: String
    switch format {
    case .html: text = ReportHTMLRenderer.render(document)
    case .json: text = try JSONOutput.encode(document)
    }
    OutputFile.writeOrExit(text, to: destination.path, what: "the report", existing: .replace)
    if let note = destination.note { StandardError.write(note + "\n") }
    try run.finish(quiet: quiet, strict: strict)
  }
}
