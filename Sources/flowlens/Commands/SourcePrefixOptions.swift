import ArgumentParser

/// How source addresses are grouped into prefixes: shared by `summary` and `report`.
struct SourcePrefixOptions: ParsableArguments {
  @Option(parsing: .unconditional, help: "Prefix length that groups IPv4 sources (0-32).")
  var sourcePrefix: Int = 24

  @Option(
    name: .customLong("source-prefix6"), parsing: .unconditional,
    help: "Prefix length that groups IPv6 sources (0-128).")
  var sourcePrefix6: Int = 64

  func validate() throws {
    guard (0...32).contains(sourcePrefix) else {
      throw ValidationError("--source-prefix must be a whole number from 0 to 32, not \(sourcePrefix)")
    }
    guard (0...128).contains(sourcePrefix6) else {
      throw ValidationError("--source-prefix6 must be a whole number from 0 to 128, not \(sourcePrefix6)")
    }
  }
}
