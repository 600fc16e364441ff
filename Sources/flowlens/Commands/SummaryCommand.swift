import ArgumentParser
import FlowLensOutput
import FlowLogParser
import FlowStats

/// `flowlens summary`: totals and the top interfaces, ports and source prefixes.
struct SummaryCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "summary",
    abstract: "Totals, and accept/reject/packets/bytes by interface, destination port and source prefix.",
    discussion: """
      Examples:
        flowlens summary Fixtures/sample/
        flowlens summary --format json --top 5 flows.log.gz | jq .by_port
        zstdcat flows.log.zst | flowlens summary --source-prefix 16 -
        flowlens summary --where 'dst port 22 and action accept' --since 1h AWSLogs/
        flowlens summary --by srcaddr,dstaddr --sort bytes AWSLogs/        (top talkers)
        flowlens summary --by flow-log,account AWSLogs/
        flowlens summary --bucket 5m --format csv AWSLogs/
      """)

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case text, json, csv, markdown
  }

  @OptionGroup var input: InputOptions

  @OptionGroup var networks: NetworkPolicyOption

  @OptionGroup var inventoryOption: InventoryOption

  @Option(help: "Output format: \(Format.allCases.map(\.rawValue).joined(separator: ", ")).")
  var format: Format = .text

  @Option(parsing: .unconditional, help: "Rows per table (0: all).")
  var top: Int = 10

  @OptionGroup var prefixes: SourcePrefixOptions

  @Option(
    parsing: .unconditional,
    help: "Source prefixes counted exactly; past that only the heaviest are kept and the table says it is approximate.")
  var sourceCapacity: Int = 1 << 18

  @OptionGroup var query: SummaryQueryOptions

  func validate() throws {
    guard top >= 0 else { throw ValidationError("--top must be 0 (all rows) or more, not \(top)") }
    guard sourceCapacity >= 16 else {
      throw ValidationError("--source-capacity must be 16 or more, not \(sourceCapacity)")
    }
    if inventoryOption.inventory == nil,
      let kind = query.by.flatMap(\.kinds).first(where: \.needsInventory)
    {
      throw ValidationError(
        "--by \(kind.rawValue) needs --inventory (the interfaces' \(kind.rawValue) is not in flow logs)")
    }
  }

  @OptionGroup var partial: PartialOption

  func run() throws {
    let options = SummaryOptions(
      sourcePrefixV4: prefixes.sourcePrefix, sourcePrefixV6: prefixes.sourcePrefix6, top: top == 0 ? nil : top,
      sourceCapacity: sourceCapacity)
    let loadedInventory = try inventoryOption.loadedForPartial(quiet: input.quiet)
    let inventory = loadedInventory?.inventory
    let policy = try networks.loaded()
    // With an inventory, `--where 'net @vpc'` can name the VPCs' blocks.
    let filter = try input.filters.compiled(policy: inventory.map { policy.configured(from: $0) } ?? policy)
    let join = inventory.map(InventoryJoin.init)
    let (run, aggregator) = try InputRun.readInParallel(input, filter: filter) { files in
      var withQuery = query.options(options, inputs: files)
      withQuery.inventory = join
      return SummaryAggregator(options: withQuery)
    }
    if let path = partial.partial {
      var tables = StateWriter()
      aggregator.write(to: &tables)
      let shape = PartialShape.summary(query.options(options, inputs: []), bucket: query.bucket?.text)
      var state = run.partialState(shape: shape, policy: nil, tables: tables)
      state.inventory = loadedInventory?.partial
      try run.finishPartial(state, to: path, input)
      return
    }
    try Self.render(
      aggregator, run: run, inventory: inventory, format: format, bucket: query.bucket?.text, quiet: input.quiet,
      strict: input.strict)
  }

  /// Prints the summary of a run (or of merged partial results) and ends it.
  static func render(
    _ aggregator: SummaryAggregator, run: InputRun, inventory: Inventory? = nil, format: Format, bucket: String?,
    quiet: Bool, strict: Bool
  ) throws {
    if let timeline = aggregator.timeline, timeline.isTooLong {
      run.reportDiagnostics(quiet: quiet)
      throw SummaryQueryOptions.timelineTooLong(timeline, bucket: bucket)
    }
    var report = SummaryReport(aggregate: aggregator, counts: run.counts, issues: run.issues)
    report.filter = run.filterSummary
    if let inventory { report.attach(inventory) }
    var out = OutputBuffer()
    switch format {
    case .text: out.append(SummaryTextRenderer.render(report))
    case .json: out.append(try JSONOutput.encode(report))
    case .csv: out.append(SummaryCSVRenderer.render(report))
    case .markdown: out.append(MarkdownRenderer.render(report))
    }
    out.flush()
    try run.finish(quiet: quiet, strict: strict)
  }
}
