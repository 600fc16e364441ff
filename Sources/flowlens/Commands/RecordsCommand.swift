import ArgumentParser
import FlowLensOutput
import FlowLogParser

/// `flowlens records`: one decoded record per line.
struct RecordsCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "records",
    abstract: "Print every record decoded, one per line (NDJSON, CSV or OCSF).",
    discussion: """
      Examples:
        flowlens records --where 'action reject and host 10.0.2.30' --since 2024-11-26 AWSLogs/
        flowlens records --format csv --log-format '${srcaddr} ${dstaddr} ${action}' exported.log
        flowlens records --format ocsf AWSLogs/ > network-activity.ndjson

      --format ocsf writes one OCSF \(OCSF.schemaVersion) Network Activity event (class 4001) per \
      record, mapped as Amazon Security Lake maps VPC flow logs; fields OCSF has no place for go to \
      `unmapped`.
      """)

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case ndjson, csv, ocsf
  }

  @OptionGroup var input: InputOptions

  @OptionGroup var networks: NetworkPolicyOption

  @Option(help: "Output format: \(Format.allCases.map(\.rawValue).joined(separator: ", ")).")
  var format: Format = .ndjson

  func run() throws {
    let filter = try input.filters.compiled(policy: networks.loaded())
    let run: InputRun
    switch format {
    case .ndjson:
      var writer = NDJSONRecordWriter()
      run = try InputRun.read(input, filter: filter, into: &writer)
      writer.finish()
    case .csv:
      var writer = CSVRecordWriter()
      run = try InputRun.read(input, filter: filter, into: &writer)
      writer.finish()
    case .ocsf:
      var writer = OCSFNetworkActivityWriter()
      run = try InputRun.read(input, filter: filter, into: &writer)
      writer.finish()
    }
    try run.finish(input)
  }
}
