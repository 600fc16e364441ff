import ArgumentParser
import FlowLensOutput
import FlowStats

/// `flowlens policy`: work with policy files.
struct PolicyCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "policy", abstract: "Write or check policy files.",
    discussion: """
      Examples:
        flowlens policy init -o policy.yaml
        flowlens policy check policy.yaml
      """,
    subcommands: [Init.self, Check.self])

  /// `flowlens policy init`: the built-in policy as a commented file to start from.
  struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Write the built-in policy as a commented YAML file.",
      discussion: """
        Examples:
          flowlens policy init -o policy.yaml
          flowlens policy init > policy.yaml
        """)

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
    static let configuration = CommandConfiguration(
      abstract: "Check a policy file and summarise it.",
      discussion: """
        Exit codes: 0 the policy is valid; 2 it cannot be read or has an error.

        Examples:
          flowlens policy check policy.yaml
          flowlens policy init -o policy.yaml && flowlens policy check policy.yaml
        """)

    @Argument(help: "The policy file.")
    var file: String

    func run() throws {
      let policy = try PolicyLoader.loadOrExit(path: file)
      var out = OutputBuffer()
      out.append(
        "\(file): OK: \(Quantity.counted(policy.networks.count, "network")), \(Quantity.counted(policy.rules.count, "rule"))\n"
      )
      for rule in policy.rules {
        let ports = rule.ports.map { $0.count == 1 ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }
        let sources =
          rule.allowFromText.isEmpty ? "no source (allow_from is empty)" : rule.allowFromText.joined(separator: ", ")
        out.append(
          "  \(rule.id): \(rule.protocol) \(ports.joined(separator: ",")) only from \(sources) [\(rule.severity)]\n")
      }
      out.flush()
    }
  }
}
