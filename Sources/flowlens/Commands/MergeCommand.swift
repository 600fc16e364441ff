import ArgumentParser
import FlowLensOutput
import FlowLogParser
import FlowStats

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// `flowlens merge`: combines partial results (`--partial`) into the output of the command that
/// made them, exactly as one run over all their inputs prints it.
struct MergeCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "merge",
    abstract: "Combine partial results (summary/audit/report --partial) into that command's output.",
    discussion: """
      Each STATE is a file written by `summary`, `audit` or `report` with --partial (or '-': \
      standard input, which holds one state; no STATE reads standard input). The partials must \
      be of disjoint inputs and made by the same command with the same options, policy and filter \
      (otherwise exit 2, naming the difference). Partials made with --inventory are merged with \
      --inventory naming the same inventory (its files' contents are checked against the \
      partials' fingerprint), which the output then uses as a run with --inventory does. They merge in any order and grouping, and the \
      output is what the command prints for one run over all their inputs: the same bytes below \
      the tables' capacities; past them, within the bounds the output states. --partial writes \
      the merged state instead, to merge again.

      Examples:
        flowlens summary --partial a.state AWSLogs/2024/11/26/
        flowlens summary --partial b.state AWSLogs/2024/11/27/
        flowlens merge --format json a.state b.state
        flowlens audit --partial - day1/ | flowlens merge --fail-on high
      """)

  @Argument(help: "Partial state files, or '-' for standard input. None: standard input.")
  var states: [String] = []

  @Option(
    help: ArgumentHelp(
      "Output format, as the command that made the partials takes it (summary: text, json, csv, markdown; audit: "
        + "text, json, ndjson, markdown, ocsf; report: html, json). Default: that command's.",
      valueName: "format"))
  var format: String?

  @Option(
    name: .shortAndLong,
    help: ArgumentHelp("report: write the report to this file ('-': standard output).", valueName: "path"))
  var output: String?

  @Option(help: ArgumentHelp("audit: exit with 1 when a finding is at or above this severity.", valueName: "severity"))
  var failOn: Severity?

  @Flag(help: "Exit with 2 when any line of any partial's input was malformed.")
  var strict = false

  @Flag(help: "Exit with 0 when the partials hold no flow log record at all (by default that is an error, exit 2).")
  var allowEmpty = false

  @Flag(name: .shortAndLong, help: "Print no per-line diagnostics on standard error; only input errors.")
  var quiet = false

  @OptionGroup var partial: PartialOption

  @OptionGroup var inventoryOption: InventoryOption

  func run() throws {
    let names = states.isEmpty ? ["-"] : states
    if states.isEmpty && Terminal.isStandardInput {
      StandardError.write(
        "flowlens: reading a partial state from standard input (give STATE files to read those instead)\n")
    }
    guard names.filter({ $0 == "-" }).count <= 1 else { throw fail("standard input ('-') can be given once") }
    var decoded: [PartialState] = []
    for name in names {
      let bytes: [UInt8]
      do {
        bytes = try Self.readAll(name)
      } catch {
        throw fail("\(TextEscaping.terminalSafe(name)): cannot read: \(error.reason)")
      }
      do {
        decoded.append(try PartialState(decoding: bytes))
      } catch {
        throw fail("\(TextEscaping.terminalSafe(name == "-" ? "standard input" : name)): \(error)")
      }
    }
    let shown = names.map { TextEscaping.terminalSafe($0 == "-" ? "standard input" : $0) }
    do {
      let merge = try PartialMerge(states: decoded, names: shown)
      try render(merge)
    } catch let error as PartialMergeError {
      throw fail(error.message)
    }
  }

  /// Renders the merge with the command's own render; a ``PartialMergeError`` when the partials
  /// do not merge, else what the render throws (its exit code).
  private func render(_ merge: PartialMerge) throws {
    let run = InputRun(merged: merge, allowEmpty: allowEmpty)
    let inventory = try checkedInventory(merge)
    let parsed = try merge.policy.map { policy throws(PartialMergeError) in
      do {
        return try policy.parsed()
      } catch {
        throw PartialMergeError("the partials' policy (\(policy.source)) no longer parses: \(error)")
      }
    }
    // As the partial runs did: the inventory fills in what the policy does not say.
    let policy = parsed.map { given in inventory.map { given.configured(from: $0) } ?? given }
    switch merge.shape {
    case .summary(_, let bucket):
      let aggregator = try merge.summary()
      if let path = partial.partial {
        return try writePartial(merge, run: run, path: path) { aggregator.write(to: &$0) }
      }
      try SummaryCommand.render(
        aggregator, run: run, inventory: inventory,
        format: try format(SummaryCommand.Format.self, merge, default: .text), bucket: bucket,
        quiet: quiet, strict: strict)
    case .audit(_, let perRule):
      let aggregator = try merge.audit(policy: policy ?? .builtIn)
      if let path = partial.partial {
        return try writePartial(merge, run: run, path: path) { aggregator.write(to: &$0) }
      }
      try AuditCommand.render(
        aggregator, run: run, policySource: merge.policy?.source ?? "built-in", inventory: inventory,
        findingsPerRule: perRule,
        format: try format(AuditCommand.Format.self, merge, default: .text), failOn: failOn, quiet: quiet,
        strict: strict)
    case .report:
      let aggregator = try merge.report(policy: policy ?? .builtIn)
      if let path = partial.partial {
        return try writePartial(merge, run: run, path: path) { aggregator.write(to: &$0) }
      }
      try ReportCommand.render(
        aggregator, run: run, policySource: merge.policy?.source ?? "built-in", inventory: inventory,
        format: try format(ReportCommand.Format.self, merge, default: .html), output: output, quiet: quiet,
        strict: strict)
    }
  }

  /// Writes the merged state, to be merged again.
  private func writePartial(
    _ merge: PartialMerge, run: InputRun, path: String, _ write: (inout StateWriter) -> Void
  ) throws {
    var tables = StateWriter()
    write(&tables)
    var state = run.partialState(
      shape: merge.shape, policy: merge.policy, tables: tables, estimatedTextBytes: merge.estimatedTextBytes)
    state.filter = merge.filter
    state.inventory = merge.inventory
    OutputFile.writeOrExit(bytes: state.encoded(), to: path, what: "the partial state", existing: .replace)
    var ending = run
    ending.allowEmpty = true
    try ending.finish(quiet: quiet, strict: strict)
  }

  /// The inventory of `--inventory`, which must be the one the partials were made with (nil when
  /// they were made without); otherwise a ``PartialMergeError`` saying what to give.
  private func checkedInventory(_ merge: PartialMerge) throws -> Inventory? {
    let made = merge.inventory
    guard let given = try inventoryOption.loadedForPartial(quiet: quiet) else {
      if let made {
        throw PartialMergeError(
          "the partials were made with --inventory \(TextEscaping.terminalSafe(made.source)) (fingerprint "
            + "\(made.fingerprint)): give flowlens merge --inventory with the same inventory")
      }
      return nil
    }
    guard let made else {
      throw PartialMergeError(
        "the partials were made without --inventory: merge them without it (or make them with it)")
    }
    guard made.fingerprint == given.partial.fingerprint else {
      throw PartialMergeError(
        "--inventory \(TextEscaping.terminalSafe(given.partial.source)) (fingerprint \(given.partial.fingerprint)) "
          + "is not the inventory the partials were made with (\(TextEscaping.terminalSafe(made.source)), "
          + "fingerprint \(made.fingerprint))")
    }
    return given.inventory
  }

  private func format<Format: RawRepresentable & CaseIterable>(
    _ type: Format.Type, _ merge: PartialMerge, default fallback: Format
  ) throws(PartialMergeError) -> Format where Format.RawValue == String {
    guard let format else { return fallback }
    guard let parsed = Format(rawValue: format) else {
      throw PartialMergeError(
        "--format \(format) is not a format of \(merge.shape.command.name) (\(Format.allCases.map(\.rawValue).joined(separator: ", ")))"
      )
    }
    return parsed
  }

  private func fail(_ message: String) -> ExitCode {
    StandardError.write("flowlens: \(message)\n")
    return ExitCode(2)
  }

  /// Why a state could not be read.
  struct ReadError: Error {
    var reason: String
  }

  /// Every byte of file `name` (`-`: standard input).
  static func readAll(_ name: String) throws(ReadError) -> [UInt8] {
    let fd = name == "-" ? STDIN_FILENO : open(name, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw ReadError(reason: String(cString: strerror(errno))) }
    defer { if name != "-" { close(fd) } }
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
      let n = chunk.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
      if n < 0 {
        if errno == EINTR { continue }
        throw ReadError(reason: String(cString: strerror(errno)))
      }
      if n == 0 { return bytes }
      bytes.append(contentsOf: chunk[0..<n])
    }
  }
}
