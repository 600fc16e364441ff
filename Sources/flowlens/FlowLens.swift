import ArgumentParser

/// The `flowlens` command: audits AWS VPC Flow Logs.
@main
struct FlowLens: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "flowlens",
    abstract: "Read, summarise and audit AWS VPC Flow Logs.",
    discussion: """
      INPUT is a file, a directory (walked recursively, e.g. an `aws s3 sync` of AWSLogs/), or `-` \
      for standard input; no INPUT reads standard input. Plain text, gzip and zstd are detected \
      from content. The layout comes from S3 header lines, else --log-format, else the default \
      version 2 format.

      Exit codes: 0 success; 1 `audit` found something at or above --fail-on; 2 usage error, bad \
      policy, input that could not be read, or inputs without a single flow log record (unless \
      --allow-empty; with --strict, also malformed lines). Files in a directory that are plainly \
      not flow logs (images, archives, Parquet, JSON, binary data) are skipped with a note; named \
      explicitly, they are input errors.
      """,
    version: "0.1.0",
    subcommands: [SummaryCommand.self, AuditCommand.self, ReportCommand.self, RecordsCommand.self, PolicyCommand.self])

  /// Runs the command line; usage errors exit with 2 as the documented contract says
  /// (ArgumentParser's own default on Linux is 64).
  static func main() {
    do {
      var command = try parseAsRoot()
      try command.run()
    } catch {
      if exitCode(for: error) == .validationFailure {
        StandardError.write(fullMessage(for: error) + "\n")
        StandardError.write("Usage: see 'flowlens --help'.\n")
        exit(withError: ExitCode(2))
      }
      exit(withError: error)
    }
  }
}
