import ArgumentParser
import FlowLensOutput
import FlowStats

/// `--inventory PATH`: the account's configuration, as AWS CLI `describe-…` JSON output.
struct InventoryOption: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "AWS CLI JSON (describe-network-interfaces, -subnets, -route-tables, -security-groups, -vpcs, "
        + "-vpc-endpoints, -nat-gateways, -network-acls): a file or a directory of .json files.",
      valueName: "path"))
  var inventory: String?

  /// The inventory named, or nil without `--inventory`. Skipped files are noted on standard error
  /// (unless `quiet`); a file that cannot be read or decoded is reported and exits with 2.
  func loaded(quiet: Bool) throws -> Inventory? {
    guard let inventory else { return nil }
    return try Self.load(inventory, quiet: quiet)
  }

  /// The inventory at `path`, or exit 2 with the file and JSON path of what is wrong.
  static func load(_ path: String, quiet: Bool) throws -> Inventory {
    do {
      let result = try InventoryLoader.load(path: path)
      if !quiet {
        for note in result.notes { StandardError.write("flowlens: \(TextEscaping.terminalSafe(note))\n") }
      }
      return result.inventory
    } catch {
      StandardError.write("flowlens: inventory: \(TextEscaping.terminalSafe(error.description))\n")
      throw ExitCode(2)
    }
  }
}
