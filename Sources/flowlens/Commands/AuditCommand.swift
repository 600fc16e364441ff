import ArgumentParser
import FlowLensOutput
import FlowLogParser
import FlowStats

/// `flowlens audit`: traffic that contradicts least privilege, checked against a policy.
struct AuditCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "audit",
    abstract: "Find traffic that contradicts a least-privilege policy.",
    discussion: """
      Without --policy, the built-in policy applies: admin ports (22, 3389, 5985, 5986, 23) and \
      database ports (3306, 5432, 1433, 1521, 27017, 6379, 9200, 11211, 5439) accepted only from \
      private (RFC 1918, RFC 4193) sources, plus the detectors for network ACLs that drop replies, \
      port scans, NAT traffic a gateway endpoint should carry, and SKIPDATA gaps. \
      `flowlens policy init` writes that policy as a file to start from.

      Exit codes: 0 no finding at or above --fail-on; 1 a finding at or above --fail-on; 2 usage, \
      policy or input errors, or no flow log record in the inputs at all (--allow-empty: 0).

      Examples:
        flowlens audit AWSLogs/
        flowlens audit --policy policy.yaml --fail-on high --format json AWSLogs/ > findings.json
        flowlens audit --format ocsf AWSLogs/ > detection-findings.ndjson

      --format ocsf writes each finding as an OCSF \(OCSF.schemaVersion) Detection Finding (class \
      2004), one per line, in the order of --format ndjson.
      """)

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case text, json, ndjson, markdown, ocsf
  }

  @OptionGroup var input: InputOptions

  @Option(help: "Policy file (YAML). Default: the built-in policy.")
  var policy: String?

  @OptionGroup var inventoryOption: InventoryOption

  @Option(help: "Output format: \(Format.allCases.map(\.rawValue).joined(separator: ", ")).")
  var format: Format = .text

  @Option(help: ArgumentHelp("Exit with 1 when a finding is at or above this severity.", valueName: "severity"))
  var failOn: Severity?

  @Option(
    parsing: .unconditional,
    help: "List at most this many findings per rule, the heaviest by records; the rest are counted. 0 lists all.")
  var findingsPerRule: Int = 1_000

  @Option(
    parsing: .unconditional,
    help:
      "Groups each detector table keeps exactly; past that only the heaviest are kept and the output says it is approximate."
  )
  var sourceCapacity: Int = AuditAggregator.defaultTableCapacity

  func validate() throws {
    guard findingsPerRule >= 0 else {
      throw ValidationError("--findings-per-rule must be 0 (all) or more, not \(findingsPerRule)")
    }
    guard sourceCapacity >= 16 else {
      throw ValidationError("--source-capacity must be 16 or more, not \(sourceCapacity)")
    }
  }

  @OptionGroup var partial: PartialOption

  func run() throws {
    let loadedInventory = try inventoryOption.loadedForPartial(quiet: input.quiet)
    let inventory = loadedInventory?.inventory
    let given = try PolicyLoader.loadOrExit(path: policy)
    // The inventory fills in what the policy does not say: NAT interfaces, the `vpc` network.
    let loaded = inventory.map { given.configured(from: $0) } ?? given
    let run: InputRun
    var aggregator: AuditAggregator
    (run, aggregator) = try InputRun.readInParallel(input, filter: try input.filters.compiled(policy: loaded)) {
      files in
      AuditAggregator.workerFactory(
        policy: loaded, inputNames: files.map(\.path), inputBytes: InputSizing.estimatedTextBytes(files),
        tableCapacity: sourceCapacity, keepsExactState: partial.partial != nil)
    }
    aggregator.settle()
    KeptUntilExit.keep(aggregator)
    let perRule = findingsPerRule == 0 ? nil : findingsPerRule
    if let path = partial.partial {
      var tables = StateWriter()
      aggregator.write(to: &tables)
      var state = run.partialState(
        shape: .audit(tableCapacity: sourceCapacity, findingsPerRule: perRule),
        policy: try PartialPolicy.loadOrExit(path: policy), tables: tables)
      state.inventory = loadedInventory?.partial
      try run.finishPartial(state, to: path, input)
      return
    }
    try Self.render(
      aggregator, run: run, policySource: policy ?? "built-in", inventory: inventory, findingsPerRule: perRule,
      format: format, failOn: failOn, quiet: input.quiet, strict: input.strict)
  }

  /// Prints the findings of a run (or of merged partial results) and ends it.
  static func render(
    _ aggregator: AuditAggregator, run: InputRun, policySource: String, inventory: Inventory? = nil,
    findingsPerRule: Int?, format: Format, failOn: Severity?, quiet: Bool, strict: Bool
  ) throws {
    var report = AuditReport(
      policySource: policySource, aggregate: aggregator, counts: run.counts, issues: run.issues,
      findingsPerRule: findingsPerRule)
    report.filter = run.filterSummary
    if let inventory {
      report.attach(inventory)
      report.addConfigurationFindings(inventory)
    }
    var out = OutputBuffer()
    switch format {
    case .text: out.append(AuditTextRenderer.render(report))
    case .json: out.append(try JSONOutput.encode(report))
    case .ndjson, .ocsf:
      if format == .ocsf {
        out.append(
          try OCSFDetectionFindingRenderer.render(
            report.findings, productVersion: FlowLens.configuration.version))
      } else {
        for finding in report.findings { out.append(try JSONOutput.encodeLine(finding)) }
      }
      // One finding per line leaves no place for these; standard error says them instead.
      if !quiet {
        if let filter = report.filter {
          StandardError.write(
            "flowlens: filter: \(TextEscaping.terminalSafe(FlowLensOutput.Format.filterNote(filter)))\n")
        }
        for note in AuditTextRenderer.notes(report) { StandardError.write("flowlens: \(note)\n") }
        for omitted in report.omittedFindings ?? [] {
          StandardError.write(
            "flowlens: \(Quantity.count(omitted.count)) more \(omitted.rule) \(Quantity.noun(omitted.count, "finding")) "
              + "(\(Quantity.counted(omitted.records, "record"))) not listed; --findings-per-rule 0 lists all\n")
        }
      }
    case .markdown: out.append(MarkdownRenderer.render(report))
    }
    out.flush()
    try run.finish(quiet: quiet, strict: strict, thresholdMet: failOn.map { report.count(atLeast: $0) > 0 } ?? false)
  }
}
