import ArgumentParser
import FlowStats

/// `--policy` for commands that use a policy only for its named networks (`--where 'net @NAME'`):
/// `summary` and `records`. `audit` and `report` have their own `--policy`, which does this too.
struct NetworkPolicyOption: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Policy file (YAML) whose networks --where can name as @NAME. Default: the built-in policy (@private).",
      valueName: "file"))
  var policy: String?

  /// The policy named, or the built-in one; a bad file exits with 2.
  func loaded() throws -> Policy { try PolicyLoader.loadOrExit(path: policy) }
}
