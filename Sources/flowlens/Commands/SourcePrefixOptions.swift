import ArgumentParser

/// How source addresses are grouped into prefixes: shared by `summary` and `report`.
struct SourcePrefixOptions: ParsableArguments {
  @Option(help: "Prefix length that groups IPv4 sources.")
  var sourcePrefix: Int = 24

  @Option(name: .customLong("source-prefix6"), help: "Prefix length that groups IPv6 sources.")
  var sourcePrefix6: Int = 64

  func validate() throws {
    guard (0...32).contains(sourcePrefix) else { throw ValidationError("--source-prefix must be 0-32") }
    guard (0...128).contains(sourcePrefix6) else { throw ValidationError("--source-prefix6 must be 0-128") }
  }
}
