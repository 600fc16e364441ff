import ArgumentParser
import FlowLogParser
import FlowStats

/// Options shared by every command that reads flow logs.
struct InputOptions: ParsableArguments {
  @Argument(help: "Files, directories or '-' (standard input). None: standard input.")
  var inputs: [String] = []

  // Parsed with `transform`, not an `ExpressibleByArgument` conformance: that has no way to say
  // which field name is wrong, and the message for a bad format names it.
  @Option(
    name: .customLong("log-format"),
    help: ArgumentHelp(
      "Layout of input without a header line: '${version} ${srcaddr} …' or 'version srcaddr …'.",
      valueName: "fields"),
    transform: { format throws(LayoutError) in try FlowLayout(format: format) })
  var logFormat: FlowLayout?

  @Option(parsing: .unconditional, help: "Lines longer than this many bytes are malformed.")
  var maxLineLength: Int = 64 * 1024

  @Flag(help: "Exit with 2 when any line is malformed.")
  var strict = false

  @Flag(help: "Exit with 0 when the inputs hold no flow log record at all (by default that is an error, exit 2).")
  var allowEmpty = false

  @Flag(name: .shortAndLong, help: "Print no per-line diagnostics on standard error; only input errors.")
  var quiet = false

  @Option(parsing: .unconditional, help: "Worker threads (default: the number of cores).")
  var jobs: Int?

  @OptionGroup(title: "Filters") var filters: FilterOptions

  func validate() throws {
    guard maxLineLength >= 64 else {
      throw ValidationError("--max-line-length must be 64 or more, not \(maxLineLength)")
    }
    if let jobs, jobs < 1 { throw ValidationError("--jobs must be 1 or more, not \(jobs)") }
  }

  var workerCount: Int { jobs ?? ParallelReader.processorCount }

  /// The reader options, with `filter` deciding which records reach the sink.
  func readerOptions(filter: CompiledFilter?) -> ReaderOptions {
    ReaderOptions(layout: logFormat, maxLineLength: maxLineLength, filter: filter)
  }
}
