import ArgumentParser
import FlowLogParser
import FlowStats

import Foundation

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
      """)

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case text, json, ndjson, markdown
  }

  @OptionGroup var input: InputOptions

  @Option(help: "Policy file (YAML). Default: the built-in policy.")
  var policy: String?

  @Option(help: "Output format: \(Format.allCases.map(\.rawValue).joined(separator: ", ")).")
  var format: Format = .text

  @Option(
    help: ArgumentHelp(
      "Exit with 1 when a finding is at or above this severity: info, low, medium, high, critical.",
      valueName: "severity"))
  var failOn: String?

  @Option(
    parsing: .unconditional,
    help: "List at most this many findings per rule, the heaviest by records; the rest are counted. 0 lists all.")
  var findingsPerRule: Int = 1_000

  @Option(
    parsing: .unconditional,
    help: "Groups each detector table keeps exactly; past that only the heaviest are kept and the output says it is approximate.")
  var sourceCapacity: Int = AuditAggregator.defaultTableCapacity

  func validate() throws {
    guard findingsPerRule >= 0 else {
      throw ValidationError("--findings-per-rule must be 0 (all) or more, not \(findingsPerRule)")
    }
    guard sourceCapacity >= 16 else { throw ValidationError("--source-capacity must be 16 or more, not \(sourceCapacity)") }
    if let failOn, Severity(name: failOn) == nil {
      throw ValidationError("--fail-on: '\(failOn)' is not one of info, low, medium, high, critical")
    }
  }

  func run() throws {
    let loaded = try Self.loadPolicy(path: policy)
    let (run, aggregator) = InputRun.readInParallel(input) { files in
      AuditAggregator.workerFactory(
        policy: loaded, inputNames: files.map(\.path), inputBytes: Self.estimatedTextBytes(files),
        tableCapacity: sourceCapacity)
    }
    let report = AuditReport(
      policySource: policy ?? "built-in", aggregate: aggregator, counts: run.counts, issues: run.issues,
      findingsPerRule: findingsPerRule == 0 ? nil : findingsPerRule)
    var out = OutputBuffer()
    switch format {
    case .text: out.append(AuditTextRenderer.render(report))
    case .json: out.append(try JSONOutput.encode(report))
    case .ndjson:
      for finding in report.findings { out.append(try JSONOutput.encodeLine(finding)) }
      // One finding per line leaves no place for these; standard error says them instead.
      if !input.quiet {
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
    run.reportDiagnostics(quiet: input.quiet)
    let code = run.exitCode(strict: input.strict)
    if code != .success { throw code }
    if let failOn, let threshold = Severity(name: failOn), report.count(atLeast: threshold) > 0 {
      throw ExitCode(1)
    }
  }

  /// The text size of the inputs, for sizing the detectors' bounded state: compressed files (as
  /// sniffed at discovery) count ten times their size (flow logs compress about 4-20 times),
  /// standard input as 1 GB.
  static func estimatedTextBytes(_ files: [InputFile]) -> UInt64 {
    files.reduce(0) { total, file in
      if file.isStandardInput { return total + (1 << 30) }
      return total + file.size * (file.isCompressed ? 10 : 1)
    }
  }

  /// The policy in the file at `path`, or the built-in policy when `path` is nil. A file that
  /// cannot be read or parsed is reported on standard error and exits with 2.
  static func loadPolicy(path: String?) throws -> Policy {
    guard let path else { return .builtIn }
    let text: String
    do {
      text = try String(contentsOfFile: path, encoding: .utf8)
    } catch {
      StandardError.write("flowlens: \(path): cannot read the policy file\n")
      throw ExitCode(2)
    }
    do {
      return try PolicyParser.parse(text, file: path)
    } catch {
      StandardError.write("flowlens: \(error.description)\n")
      throw ExitCode(2)
    }
  }
}

/// `flowlens policy`: work with policy files.
struct PolicyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "policy", abstract: "Write or check policy files.",
    subcommands: [Init.self, Check.self])

  /// `flowlens policy init`: the built-in policy as a commented file to start from.
  struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write the built-in policy as a commented YAML file.",
      discussion: "Example: flowlens policy init -o policy.yaml")

    @Option(
      name: .shortAndLong,
      help: ArgumentHelp(
        "Write to this file instead of standard output ('-': standard output). Never overwrites a file.",
        valueName: "path"))
    var output: String?

    func run() throws {
      OutputFile.writeOrExit(PolicyTemplate.yaml, to: output ?? "-", what: "the policy", existing: .keep)
    }
  }

  /// `flowlens policy check`: parse a policy file and report its errors.
  struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check a policy file and summarise it.")

    @Argument(help: "The policy file.")
    var file: String

    func run() throws {
      guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
        StandardError.write("flowlens: \(file): cannot read the policy file\n")
        throw ExitCode(2)
      }
      do {
        let policy = try PolicyParser.parse(text, file: file)
        var out = OutputBuffer()
        out.append(
          "\(file): OK: \(Quantity.counted(policy.networks.count, "network")), \(Quantity.counted(policy.rules.count, "rule"))\n")
        for rule in policy.rules {
          let ports = rule.ports.map { $0.count == 1 ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }
          let sources = rule.allowFromText.isEmpty ? "no source (allow_from is empty)" : rule.allowFromText.joined(separator: ", ")
          out.append("  \(rule.id): \(rule.protocol) \(ports.joined(separator: ",")) only from \(sources) [\(rule.severity)]\n")
        }
        out.flush()
      } catch {
        StandardError.write("flowlens: \(error.description)\n")
        throw ExitCode(2)
      }
    }
  }
}
