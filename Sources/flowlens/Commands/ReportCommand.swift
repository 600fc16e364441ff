import ArgumentParser
import FlowLogParser
import FlowStats

import Foundation

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

  @Option(name: .shortAndLong, help: "Write the report to this file ('-': standard output).")
  var output: String = "-"

  @Option(help: "Output format: \(Format.allCases.map(\.rawValue).joined(separator: ", ")).")
  var format: Format = .html

  @Option(help: "Rows of the port and rejected-source charts, and rows and columns of the heat map.")
  var top: Int = 12

  @Option(help: "Findings shown per rule; the rest are counted (0: all).")
  var findingsPerRule: Int = 100

  @OptionGroup var prefixes: SourcePrefixOptions

  @Option(
    help: """
      Keys counted exactly in the source-prefix table and in each audit table; past that only the \
      heaviest are kept and the report says it is approximate. Default: as summary (262,144) and \
      audit (131,072).
      """)
  var sourceCapacity: Int?

  func validate() throws {
    guard (1...100).contains(top) else { throw ValidationError("--top must be 1-100") }
    if let sourceCapacity, sourceCapacity < 16 { throw ValidationError("--source-capacity must be at least 16") }
    guard findingsPerRule >= 0 else { throw ValidationError("--findings-per-rule must be 0 or more") }
  }

  func run() throws {
    let loaded = try AuditCommand.loadPolicy(path: policy)
    var summaryOptions = SummaryOptions(
      sourcePrefixV4: prefixes.sourcePrefix, sourcePrefixV6: prefixes.sourcePrefix6, top: top)
    if let sourceCapacity { summaryOptions.sourceCapacity = sourceCapacity }
    let options = ReportOptions(
      summary: summaryOptions, heatmapInterfaces: top, heatmapPorts: top,
      findingsPerRule: findingsPerRule == 0 ? nil : findingsPerRule,
      auditTableCapacity: sourceCapacity ?? AuditAggregator.defaultTableCapacity)
    let (run, aggregator) = InputRun.readInParallel(
      input,
      factory: { files in
        ReportAggregator.workerFactory(
          policy: loaded, inputFiles: files, inputBytes: AuditCommand.estimatedTextBytes(files), options: options)
      })
    let document = ReportDocument(
      policySource: policy ?? "built-in", aggregate: aggregator, counts: run.counts, issues: run.issues)
    let text: String
    switch format {
    case .html: text = ReportHTMLRenderer.render(document)
    case .json: text = try JSONOutput.encode(document)
    }
    try write(text)
    run.reportDiagnostics(quiet: input.quiet)
    let code = run.exitCode(strict: input.strict)
    if code != .success { throw code }
  }

  /// Writes to `--output`, replacing the file in one step so that a reader never sees half a report.
  private func write(_ text: String) throws {
    if output == "-" {
      var out = OutputBuffer()
      out.append(text)
      out.flush()
      return
    }
    do {
      try text.write(toFile: output, atomically: true, encoding: .utf8)
    } catch {
      StandardError.write("flowlens: \(output): cannot write the report: \(error.localizedDescription)\n")
      throw ExitCode(2)
    }
  }
}
