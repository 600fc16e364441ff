import Foundation
import Testing

/// Every command example in README.md, run on the bundled fixtures and compared with the README.
///
/// An example is a fenced block whose first line is `$ flowlens …`:
///
///     ```
///     $ flowlens summary --top 5 Fixtures/sample
///     <the output, exactly>
///     $ echo $?
///     0
///     ```
///
/// Each `$ ` line is a command, run from the package root with the built binary; the lines up to
/// the next `$ ` line (or the closing fence) are its standard output. Commands: `flowlens ARGS`
/// (arguments split at spaces, '…' and "…" quote), optionally piped into `head -N` or `tail -N`,
/// and `echo $?` (the exit status of the command before). Output is compared line by line, with
/// trailing spaces ignored; a line holding only `…` stands for any number of lines (at most one
/// such line per command), so that a long output can be shown by its beginning and end.
///
/// To refresh the examples after an intended change of output, run
///
///     FLOWLENS_UPDATE_README=1 swift test --filter ReadmeExamplesTests
///
/// which rewrites each example's output in README.md from what the binary prints (keeping the
/// lines before and after a `…` as many as they were) and passes; review the diff. Without the
/// variable the test only compares.
@Suite("README examples", .serialized)
struct ReadmeExamplesTests {
  static let readme = CLI.root.appendingPathComponent("README.md")

  /// One `$ ` command of an example and the output written under it.
  struct Command {
    var text: String
    /// 0-based index in README.md of the `$ ` line.
    var line: Int
    var expected: [String]
  }

  /// A fenced block of commands: its lines `start..<end` (inside the fences) in README.md.
  struct Example {
    var start: Int
    var end: Int
    var commands: [Command]
  }

  static func examples(in lines: [String]) -> [Example] {
    var examples: [Example] = []
    var index = 0
    while index < lines.count {
      guard lines[index].hasPrefix("```") else {
        index += 1
        continue
      }
      let start = index + 1
      var end = start
      while end < lines.count && !lines[end].hasPrefix("```") { end += 1 }
      if start < end, lines[start].hasPrefix("$ flowlens ") {
        var commands: [Command] = []
        for i in start..<end {
          if lines[i].hasPrefix("$ ") {
            commands.append(Command(text: String(lines[i].dropFirst(2)), line: i, expected: []))
          } else {
            commands[commands.count - 1].expected.append(lines[i])
          }
        }
        examples.append(Example(start: start, end: end, commands: commands))
      }
      index = end + 1
    }
    return examples
  }

  /// Splits at spaces; single and double quotes group.
  static func words(_ text: String) -> [String] {
    var words: [String] = []
    var current = ""
    var quote: Character?
    var inWord = false
    for c in text {
      if let q = quote {
        if c == q { quote = nil } else { current.append(c) }
      } else if c == "'" || c == "\"" {
        quote = c
        inWord = true
      } else if c == " " {
        if inWord { words.append(current) }
        current = ""
        inWord = false
      } else {
        current.append(c)
        inWord = true
      }
    }
    if inWord { words.append(current) }
    return words
  }

  /// The lines of `text`, without the empty one after a final newline, trailing spaces dropped.
  static func lines(_ text: String) -> [String] {
    var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    if lines.last == "" { lines.removeLast() }
    return lines.map(trimmed)
  }

  static func trimmed(_ line: String) -> String {
    var line = Substring(line)
    while let last = line.last, last == " " || last == "\t" || last == "\r" { line.removeLast() }
    return String(line)
  }

  enum Failure: Error, CustomStringConvertible {
    case unsupported(String)
    var description: String {
      switch self {
      case .unsupported(let command): "unsupported command in a README example: \(command)"
      }
    }
  }

  /// Runs `command`; returns the lines it prints, and sets `status` for a following `echo $?`.
  static func run(_ command: String, status: inout Int32) throws -> [String] {
    if command == "echo $?" { return [String(status)] }
    let stages = command.components(separatedBy: " | ")
    let arguments = words(stages[0])
    guard arguments.first == "flowlens", stages.count <= 2 else { throw Failure.unsupported(command) }
    let output = try CLI.run(Array(arguments.dropFirst()))
    status = output.status
    let lines = lines(output.stdout)
    guard stages.count == 2 else { return lines }
    let filter = words(stages[1])
    let count: Int?
    switch filter.count {
    case 2 where filter[1].hasPrefix("-"): count = Int(filter[1].dropFirst())
    case 3 where filter[1] == "-n": count = Int(filter[2])
    default: count = nil
    }
    guard let count, count >= 0 else { throw Failure.unsupported(command) }
    switch filter[0] {
    case "head": return Array(lines.prefix(count))
    case "tail": return Array(lines.suffix(count))
    default: throw Failure.unsupported(command)
    }
  }

  /// Whether `actual` is what `expected` shows: equal, but for one `…` line that stands for any
  /// number of lines.
  static func matches(_ expected: [String], _ actual: [String]) -> Bool {
    let expected = expected.map(trimmed)
    guard let gap = expected.firstIndex(of: "…") else { return expected == actual }
    let head = expected[..<gap]
    let tail = expected[(gap + 1)...]
    return actual.count >= head.count + tail.count && Array(actual.prefix(head.count)) == Array(head)
      && Array(actual.suffix(tail.count)) == Array(tail)
  }

  /// `actual` written the way `expected` was: with as many lines before and after its `…`.
  static func refreshed(_ expected: [String], _ actual: [String]) -> [String] {
    guard let gap = expected.firstIndex(of: "…") else { return actual }
    let head = gap
    let tail = expected.count - gap - 1
    guard actual.count > head + tail else { return actual }
    return Array(actual.prefix(head)) + ["…"] + Array(actual.suffix(tail))
  }

  @Test("the parser finds the README's examples and their commands")
  func parser() throws {
    let sample = [
      "text", "```", "$ flowlens summary 'a b' x", "out 1", "", "$ echo $?", "0", "```", "```sh",
      "flowlens not an example",
      "```",
    ]
    let examples = Self.examples(in: sample)
    #expect(examples.count == 1)
    #expect(examples.first?.commands.map(\.text) == ["flowlens summary 'a b' x", "echo $?"])
    #expect(examples.first?.commands.first?.expected == ["out 1", ""])
    #expect(Self.words("flowlens summary 'a b' \"c\" d") == ["flowlens", "summary", "a b", "c", "d"])
    #expect(Self.matches(["a", "…", "z"], ["a", "b", "c", "z"]) && Self.matches(["a", "…", "z"], ["a", "z"]))
    #expect(!Self.matches(["a", "…", "z"], ["a", "b"]) && !Self.matches(["a", "b"], ["a", "b", "c"]))
    #expect(Self.refreshed(["a", "…", "z"], ["1", "2", "3", "4"]) == ["1", "…", "4"])

    let readme = try String(contentsOf: Self.readme, encoding: .utf8)
    let found = Self.examples(in: readme.components(separatedBy: "\n"))
    // The summary, records and audit examples at least: an example lost from the README fails here.
    #expect(found.count >= 3)
    #expect(found.flatMap(\.commands).filter { $0.text.hasPrefix("flowlens ") }.count >= 3)
  }

  @Test("every command example in README.md prints what the README shows")
  func examples() throws {
    let update = ProcessInfo.processInfo.environment["FLOWLENS_UPDATE_README"] == "1"
    let text = try String(contentsOf: Self.readme, encoding: .utf8)
    var lines = text.components(separatedBy: "\n")
    let examples = Self.examples(in: lines)
    #expect(!examples.isEmpty)
    // Rewritten from the last example up, so that earlier line numbers stay valid.
    for example in examples.reversed() {
      var status: Int32 = 0
      var body: [String] = []
      for command in example.commands {
        let actual = try Self.run(command.text, status: &status)
        if update {
          body.append("$ " + command.text)
          body += Self.refreshed(command.expected.map(Self.trimmed), actual)
        } else {
          #expect(
            Self.matches(command.expected, actual),
            """
            README.md:\(command.line + 1): `\(command.text)` printed
            \(actual.joined(separator: "\n"))
            but the README shows
            \(command.expected.joined(separator: "\n"))
            (FLOWLENS_UPDATE_README=1 swift test --filter ReadmeExamplesTests rewrites the README from the output)
            """)
        }
      }
      if update { lines.replaceSubrange(example.start..<example.end, with: body) }
    }
    if update {
      let updated = lines.joined(separator: "\n")
      if updated != text { try updated.write(to: Self.readme, atomically: true, encoding: .utf8) }
    }
  }
}
