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
    try loadResult(path, quiet: quiet).inventory
  }

  /// The inventory named and its fingerprint for a partial result, or nil without `--inventory`.
  func loadedForPartial(quiet: Bool) throws -> (inventory: Inventory, partial: PartialInventory)? {
    guard let inventory else { return nil }
    let result = try Self.loadResult(inventory, quiet: quiet)
    do {
      return (
        result.inventory,
        PartialInventory(
          source: inventory, fingerprint: try PartialInventory.fingerprint(files: result.files))
      )
    } catch {
      StandardError.write("flowlens: inventory: \(TextEscaping.terminalSafe(error.file)): cannot read the file\n")
      throw ExitCode(2)
    }
  }

  /// What ``InventoryLoader`` read at `path`, or exit 2 with the file and JSON path of what is wrong.
  private static func loadResult(_ path: String, quiet: Bool) throws -> InventoryLoader.Result {
    do {
      let result = try InventoryLoader.load(path: path)
      if !quiet {
        for note in result.notes { StandardError.write("flowlens: \(TextEscaping.terminalSafe(note))\n") }
      }
      return result
    } catch {
      StandardError.write("flowlens: inventory: \(TextEscaping.terminalSafe(error.description))\n")
      throw ExitCode(2)
    }
  }
}
