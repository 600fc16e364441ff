import ArgumentParser

/// `--partial FILE`: write the aggregation state instead of the output, for `flowlens merge`.
struct PartialOption: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Write the complete aggregation state to this file ('-': standard output) instead of the output; "
        + "`flowlens merge` combines such partial results of disjoint inputs into this command's output.",
      valueName: "file"))
  var partial: String?
}
