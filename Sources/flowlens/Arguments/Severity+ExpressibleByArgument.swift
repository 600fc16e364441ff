import ArgumentParser
import FlowStats

// `--fail-on high` is parsed once, by ArgumentParser, which also lists the names in `--help`, in
// the message for a bad value and in shell completions. Severity's raw value is its rank, an
// Int: every requirement is spelled out so that none of ArgumentParser's RawRepresentable
// defaults (which would take and show `0`…`4`) applies.
extension Severity: ExpressibleByArgument {
  public init?(argument: String) { self.init(name: argument) }

  public var defaultValueDescription: String { description }

  public static var allValueStrings: [String] { allCases.map(\.description) }

  public static var allValueDescriptions: [String: String] { [:] }

  public static var defaultCompletionKind: CompletionKind { .list(allValueStrings) }
}
