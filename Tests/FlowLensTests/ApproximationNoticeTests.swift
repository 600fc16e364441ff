import Foundation
import Testing

/// Where a bounded table passed its capacity, every output format says so, with the bound; where
/// none did, none says so.
@Suite("Approximate tables are stated in every output")
struct ApproximationNoticeTests {
  /// 40 sources, each in its own /24 and each ACCEPTed on port 22 from the internet: 40 keys in
  /// the source-prefix table and in the audit's allow-list table.
  static let log: Data = {
    var text = ""
    for i in 0..<40 {
      text += "2 123456789012 eni-a 11.\(i).1.7 10.0.0.2 40000 22 6 1 60 1700000000 1700000060 ACCEPT OK\n"
    }
    return Data(text.utf8)
  }()

  static let cases: [[String]] = [
    ["summary"], ["summary", "--format", "json"], ["summary", "--format", "csv"], ["summary", "--format", "markdown"],
    ["audit"], ["audit", "--format", "json"], ["audit", "--format", "markdown"], ["audit", "--format", "ndjson"],
    ["report", "--format", "json"], ["report", "--format", "html"],
  ]

  /// What an output says about approximation: the JSON key, a CSV row, or the sentence.
  static func statesApproximation(_ output: CLI.Output, format: String) -> Bool {
    switch format {
    case "json": return output.stdout.contains("\"approximate\"") && output.stdout.contains("\"maximum_error\"")
    case "csv": return output.stdout.split(separator: "\n").contains { $0.hasPrefix("approximate,by_source_cidr,,16,") }
    // One finding per line leaves no place in the data: standard error says it.
    case "ndjson":
      return output.stderr.contains("Approximate: the allow_list table") && output.stderr.contains("low by up to")
    default: return output.stdout.contains("Approximate: the") && output.stdout.contains("low by up to")
    }
  }

  @Test("past --source-capacity: approximate, with the bound", arguments: cases)
  func capped(arguments: [String]) throws {
    let format = arguments.count > 2 ? arguments[2] : (arguments[0] == "report" ? "html" : "text")
    let output = try CLI.run(arguments + ["--source-capacity", "16", "-"], stdin: Self.log)
    #expect(Self.statesApproximation(output, format: format), "\(arguments)\n\(output.stdout)\n\(output.stderr)")
  }

  @Test("within the capacity: nothing says approximate", arguments: cases)
  func exact(arguments: [String]) throws {
    let format = arguments.count > 2 ? arguments[2] : (arguments[0] == "report" ? "html" : "text")
    let output = try CLI.run(arguments + ["-"], stdin: Self.log)
    #expect(!Self.statesApproximation(output, format: format))
    #expect(!output.stdout.contains("pproximate"))
    #expect(!output.stderr.contains("pproximate"))
  }
}
