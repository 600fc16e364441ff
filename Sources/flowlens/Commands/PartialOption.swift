import ArgumentParser

/// `--partial FILE`: write the aggregation state instead of the output, for `flowlens merge`.
struct PartialOption: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Write the complete aggregation state to this file ('-': standard output) instead of the output; "
        + "`flowlens merge` combines such partial results of disjoint inputs into this command's output.",
      valueName: "file"))
  var partial: String?

  /// A partial result does not carry the inventory, so `flowlens merge` could neither name
  /// interfaces from it nor configure the detectors the same way: the two are refused together.
  func validate(inventory: String?) throws {
    if partial != nil && inventory != nil {
      throw ValidationError(
        "--partial cannot be combined with --inventory yet: a partial result does not carry the inventory, "
          + "so flowlens merge could not give the output a run with --inventory gives")
    }
  }
}
