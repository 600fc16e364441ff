import ArgumentParser
import FlowLensOutput

/// The `flowlens` command: audits AWS VPC Flow Logs.
@main
struct FlowLens: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "flowlens",
    abstract: "Read, summarise and audit AWS VPC Flow Logs.",
    discussion: """
      INPUT is a file, a directory (walked recursively, e.g. an `aws s3 sync` of AWSLogs/), or `-` \
      for standard input; no INPUT reads standard input. Plain text, gzip, zstd and Parquet files \
      are detected from content, and so is CloudWatch Logs JSON (subscription payloads, Firehose \
      objects, `aws logs filter-log-events`/`get-log-events` output): each log event's message is a \
      line. The layout comes from S3 header lines, else --log-format, else the default version 2 format.

      Exit codes: 0 success; 1 `audit` found something at or above --fail-on; 2 usage error, bad \
      policy, input that could not be read, output that could not be written, or inputs without a \
      single flow log record (unless --allow-empty; with --strict, also malformed lines). Files in \
      a directory that are plainly not flow logs (images, archives, other JSON, binary data) are \
      skipped with a note; named explicitly, they are input errors.

      Examples:
        flowlens summary AWSLogs/
        flowlens audit --policy policy.yaml --fail-on high AWSLogs/
        flowlens report AWSLogs/ -o report.html
        zcat flows.log.gz | flowlens records --format csv -
      """,
    version: "0.1.0",
    subcommands: [
      SummaryCommand.self, AuditCommand.self, ReportCommand.self, RecordsCommand.self, SuggestCommand.self,
      MergeCommand.self,
      PolicyCommand.self,
    ])

  /// Runs the command line. Usage errors exit with 2 as the documented contract says
  /// (ArgumentParser's own default on Linux is 64); ArgumentParser's message already ends with the
  /// command's usage and where to find help. Help and version text go through the same checked
  /// write as all other output (ArgumentParser prints them with `print`, which drops errors).
  static func main() {
    do {
      var command = try parseAsRoot()
      try command.run()
    } catch {
      switch exitCode(for: error) {
      case .validationFailure:
        StandardError.write(fullMessage(for: error) + "\n")
        exit(withError: ExitCode(2))
      case .success:
        let text = fullMessage(for: error)
        if !text.isEmpty { OutputBuffer.write(text + "\n") }
        exit(withError: nil)
      default:
        exit(withError: error)
      }
    }
  }
}
