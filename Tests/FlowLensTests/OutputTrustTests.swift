import FlowStats
import Foundation
import Testing

@testable import FlowLensOutput
@testable import flowlens

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Every command and format whose output goes to standard output.
let everyOutput: [[String]] = [
  ["records", "Fixtures/sample"],
  ["records", "--format", "csv", "Fixtures/sample/custom-v5.log"],
  ["summary", "Fixtures/sample"],
  ["summary", "--format", "json", "Fixtures/sample"],
  ["summary", "--format", "csv", "Fixtures/sample"],
  ["summary", "--format", "markdown", "Fixtures/sample"],
  ["audit", "Fixtures/sample"],
  ["audit", "--format", "json", "Fixtures/sample"],
  ["audit", "--format", "ndjson", "Fixtures/sample"],
  ["audit", "--format", "markdown", "Fixtures/sample"],
  ["report", "Fixtures/sample"],
  ["report", "--format", "json", "Fixtures/sample"],
  ["report", "-o", "-", "Fixtures/sample"],
  ["policy", "init"],
  ["policy", "init", "-o", "-"],
  ["policy", "check", "Fixtures/policies/corporate.yaml"],
  ["--help"],
  ["summary", "--help"],
]

@Suite("Failed writes")
struct FailedWriteTests {
  /// /dev/full accepts the open and fails every write with ENOSPC, as a full disk does.
  @Test("a failed write to standard output ends the run with a message and exit 2", arguments: everyOutput)
  func fullDevice(_ arguments: [String]) throws {
    let full = try #require(FileHandle(forWritingAtPath: "/dev/full"))
    let run = try CLI.run(arguments, stdout: full)
    #expect(run.status == 2)
    #expect(run.stderr.contains("No space left on device"), "\(run.stderr)")
    #expect(run.stderr.contains("standard output"))
    #expect(!run.stderr.contains("Fatal error"))
  }

  /// `-o` to a device goes through the same checked write. The device is reached through a link
  /// so that no version of flowlens can replace the device node itself.
  @Test("a failed write to an -o path ends the run with a message naming the path and exit 2")
  func fullDeviceAsOutputFile() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let link = directory.appendingPathComponent("full.html").path
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "/dev/full")
    for format in ["html", "json"] {
      let run = try CLI.run(["report", "--format", format, "-o", link, "Fixtures/sample"])
      #expect(run.status == 2)
      #expect(
        run.stderr.contains("\(link) (/dev/full): cannot write the report: No space left on device"), "\(run.stderr)")
      #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "/dev/full")
    }
  }

  /// A reader that stops early (`| head`) is not an error: the run ends as other filters end,
  /// killed by SIGPIPE (or with 0), with nothing on standard error and no crash.
  @Test(
    "a closed pipe ends the run quietly",
    arguments: [
      ["records", "Fixtures/sample"], ["summary", "--top", "0", "Fixtures/sample"], ["report", "Fixtures/sample"],
    ])
  func closedPipe(_ arguments: [String]) throws {
    let process = Process()
    process.executableURL = CLI.executable
    process.arguments = arguments
    process.currentDirectoryURL = CLI.root
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    process.standardInput = FileHandle.nullDevice
    try process.run()
    // `records` fills the pipe (its output is larger than the pipe's buffer) and blocks; the
    // others write only at the end. Either way the reader is gone before the output is done.
    _ = try out.fileHandleForReading.read(upToCount: 16)
    try out.fileHandleForReading.close()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    let killedByPipe = process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGPIPE
    let exitedCleanly = process.terminationReason == .exit && process.terminationStatus == 0
    #expect(killedByPipe || exitedCleanly, "\(process.terminationReason) \(process.terminationStatus)")
    #expect(String(decoding: stderr, as: UTF8.self).isEmpty)
  }
}

@Suite("report -o")
struct ReportOutputPathTests {
  static let arguments = ["report", "--format", "json", "--quiet", "Fixtures/sample"]

  /// The report the command prints on standard output, to compare files with.
  static func expectedReport() throws -> String {
    let run = try CLI.run(arguments)
    try #require(run.status == 0)
    return run.stdout
  }

  @Test("a regular file is replaced in one step: a hard link to it keeps the old content; permissions stay")
  func regularFile() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("report.json").path
    let other = directory.appendingPathComponent("old.json").path
    try "old\n".write(toFile: file, atomically: false, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: file)
    try FileManager.default.linkItem(atPath: file, toPath: other)
    let run = try CLI.run(Self.arguments + ["-o", file])
    #expect(run.status == 0)
    #expect(try String(contentsOfFile: file, encoding: .utf8) == Self.expectedReport())
    #expect(try String(contentsOfFile: other, encoding: .utf8) == "old\n")  // a new file, not a rewrite
    #expect(try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int == 0o640)
    // No temporary file is left behind.
    #expect(try Set(FileManager.default.contentsOfDirectory(atPath: directory.path)) == ["report.json", "old.json"])
  }

  @Test("a symbolic link is followed: its target gets the report and the link stays a link")
  func symbolicLink() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    try FileManager.default.createDirectory(
      at: directory.appendingPathComponent("reports"), withIntermediateDirectories: true)
    let target = directory.appendingPathComponent("reports/latest.json").path
    let link = directory.appendingPathComponent("link.json").path
    let dangling = directory.appendingPathComponent("dangling.json").path
    try "old\n".write(toFile: target, atomically: false, encoding: .utf8)
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "reports/latest.json")
    try FileManager.default.createSymbolicLink(atPath: dangling, withDestinationPath: "reports/new.json")
    let expected = try Self.expectedReport()

    #expect(try CLI.run(Self.arguments + ["-o", link]).status == 0)
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "reports/latest.json")
    #expect(try String(contentsOfFile: target, encoding: .utf8) == expected)

    // A link to nothing yet: its target is created.
    #expect(try CLI.run(Self.arguments + ["-o", dangling]).status == 0)
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dangling) == "reports/new.json")
    #expect(
      try String(contentsOfFile: directory.appendingPathComponent("reports/new.json").path, encoding: .utf8) == expected
    )
  }

  @Test("a FIFO is written in place: its reader gets the whole report and the FIFO stays")
  func fifo() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let fifo = directory.appendingPathComponent("pipe").path
    #expect(mkfifo(fifo, 0o600) == 0)
    // A reader is there before flowlens opens the FIFO (so that its open does not wait); the
    // report (36 KB) fits the FIFO's buffer, so flowlens never waits for this test to read.
    let reader = open(fifo, O_RDONLY | O_NONBLOCK)
    #expect(reader >= 0)
    defer { close(reader) }
    let run = try CLI.run(Self.arguments + ["-o", fifo])
    var received = [UInt8]()
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let n = read(reader, &buffer, buffer.count)
      if n <= 0 { break }  // end of file: the writer has closed, or there never was one
      received += buffer[..<n]
    }
    #expect(run.status == 0)
    #expect(String(decoding: received, as: UTF8.self) == (try Self.expectedReport()))
    var info = stat()
    #expect(lstat(fifo, &info) == 0 && info.st_mode & S_IFMT == S_IFIFO)
  }

  @Test("-o - and a link to /dev/stdout write to standard output")
  func standardOutput() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let link = directory.appendingPathComponent("out.json").path
    try FileManager.default.createSymbolicLink(atPath: link, withDestinationPath: "/dev/stdout")
    let expected = try Self.expectedReport()
    for path in ["-", link] {
      let run = try CLI.run(Self.arguments + ["-o", path])
      #expect(run.status == 0)
      #expect(run.stdout == expected, "-o \(path)")
    }
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: link) == "/dev/stdout")
  }

  @Test("a directory or a missing directory: a message naming the path and the reason, exit 2")
  func unwritable() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let isDirectory = try CLI.run(Self.arguments + ["-o", directory.path])
    #expect(isDirectory.status == 2)
    #expect(isDirectory.stderr == "flowlens: \(directory.path): cannot write the report: it is a directory\n")
    let missing = directory.appendingPathComponent("no/such/report.json").path
    let noDirectory = try CLI.run(Self.arguments + ["-o", missing])
    #expect(noDirectory.status == 2)
    #expect(noDirectory.stderr.hasPrefix("flowlens: \(missing): cannot write the report: "))
    #expect(noDirectory.stderr.hasSuffix("No such file or directory\n"))
  }

  @Test(
    "without -o, HTML goes to standard output unless that is a terminal",
    arguments: [
      (nil, ReportCommand.Format.html, true, "flowlens-report.html", true),
      (nil, .html, false, "-", false),
      (nil, .json, true, "-", false),
      ("-", .html, true, "-", false),
      ("r.html", .html, true, "r.html", false),
    ] as [(String?, ReportCommand.Format, Bool, String, Bool)])
  func destinationDecision(
    _ output: String?, _ format: ReportCommand.Format, _ terminal: Bool, _ path: String, _ noted: Bool
  ) {
    let destination = ReportCommand.destination(output: output, format: format, standardOutputIsTerminal: terminal)
    #expect(destination.path == path)
    #expect((destination.note != nil) == noted)
  }

  @Test("on a terminal, report without -o writes flowlens-report.html and says so; nothing is printed")
  func terminal() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let terminal = try PseudoTerminal()
    let shown = terminal.startReading()
    let run = try CLI.run(
      ["report", "--quiet", CLI.root.appendingPathComponent("Fixtures/sample").path], stdout: terminal.terminal,
      directory: directory)
    let screen = String(decoding: shown(), as: UTF8.self)
    #expect(run.status == 0)
    #expect(!screen.contains("<html"))
    #expect(run.stderr.contains("standard output is a terminal: wrote the HTML report to flowlens-report.html"))
    let page = try String(contentsOf: directory.appendingPathComponent("flowlens-report.html"), encoding: .utf8)
    #expect(page.hasPrefix("<!DOCTYPE html>"))
  }
}

@Suite("policy init -o")
struct PolicyInitOutputTests {
  @Test("-o - writes the policy to standard output and creates no file named '-'")
  func standardOutput() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let run = try CLI.run(["policy", "init", "-o", "-"], stdout: nil, directory: directory)
    #expect(run.status == 0)
    #expect(run.stdout == PolicyTemplate.yaml)
    #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path).isEmpty)
  }

  @Test("a directory that does not exist: one line naming the path and the reason, exit 2")
  func missingDirectory() throws {
    let run = try CLI.run(["policy", "init", "-o", "/nonexistent/x.yaml"])
    #expect(run.status == 2)
    #expect(run.stderr.split(separator: "\n").count == 1)
    #expect(run.stderr.hasPrefix("flowlens: /nonexistent/x.yaml: cannot write the policy: "))
    #expect(run.stderr.hasSuffix("No such file or directory\n"))
    #expect(!run.stderr.contains("Domain"))
  }

  @Test("a new file gets the policy; an existing one is never overwritten")
  func neverOverwrites() throws {
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("policy.yaml").path
    #expect(try CLI.run(["policy", "init", "-o", file]).status == 0)
    #expect(try String(contentsOfFile: file, encoding: .utf8) == PolicyTemplate.yaml)
    try "mine\n".write(toFile: file, atomically: false, encoding: .utf8)
    let again = try CLI.run(["policy", "init", "-o", file])
    #expect(again.status == 2)
    #expect(again.stderr == "flowlens: \(file): cannot write the policy: it already exists; not overwritten\n")
    #expect(try String(contentsOfFile: file, encoding: .utf8) == "mine\n")
  }
}

@Suite("Usage errors")
struct UsageErrorTests {
  @Test(
    "a usage error: the reason, the command's usage once, exit 2",
    arguments: [
      (["summary", "--bogus"], "Error: Unknown option '--bogus'"),
      (["bogus"], "Error: 2 unexpected arguments: 'bogus'"),
      (["summary", "--top", "x"], "Error: The value 'x' is invalid for '--top <top>'"),
      (["summary", "--jobs", "0"], "Error: --jobs must be 1 or more, not 0"),
    ])
  func usageOnce(_ arguments: [String], _ message: String) throws {
    let run = try CLI.run(arguments + ["Fixtures/sample"])
    #expect(run.status == 2)
    #expect(run.stderr.hasPrefix(message), "\(run.stderr)")
    #expect(run.stderr.components(separatedBy: "Usage:").count == 2, "\(run.stderr)")  // exactly one
    #expect(run.stderr.hasSuffix("for more information.\n"))
  }

  @Test(
    "a negative number is a value that is out of range, not a missing value",
    arguments: [
      (["summary", "--top", "-1"], "--top must be 0 (all rows) or more, not -1"),
      (["report", "--top", "-1"], "--top must be a whole number from 1 to 100, not -1"),
      (["audit", "--findings-per-rule", "-5"], "--findings-per-rule must be 0 (all) or more, not -5"),
      (["audit", "--source-capacity", "-1"], "--source-capacity must be 16 or more, not -1"),
      (["summary", "--jobs", "-2"], "--jobs must be 1 or more, not -2"),
      (["summary", "--source-prefix", "-8"], "--source-prefix must be a whole number from 0 to 32, not -8"),
      (["records", "--max-line-length", "-1"], "--max-line-length must be 64 or more, not -1"),
    ])
  func negativeNumbers(_ arguments: [String], _ message: String) throws {
    let run = try CLI.run(arguments + ["Fixtures/sample"])
    #expect(run.status == 2)
    #expect(run.stderr.hasPrefix("Error: \(message)\n"), "\(run.stderr)")
    #expect(!run.stderr.contains("Missing value"))
  }
}

@Suite("Terminal safety")
struct TerminalSafetyTests {
  @Test(
    "characters that act on a terminal are shown as code points",
    arguments: [
      ("eni-\u{202E}gpj.exe", "eni-<U+202E>gpj.exe"),  // right-to-left override
      ("a\u{2066}b\u{2069}c\u{200F}d", "a<U+2066>b<U+2069>c<U+200F>d"),  // isolates, RLM
      ("zero\u{200B}width\u{FEFF}", "zero<U+200B>width<U+FEFF>"),
      ("line\u{2028}sep", "line<U+2028>sep"),
      ("esc\u{1B}[31m\u{07}\r\u{7F}\u{85}", "esc<U+001B>[31m<U+0007><U+000D><U+007F><U+0085>"),
      ("eni-0a1b2c café 東京 <b>", "eni-0a1b2c café 東京 <b>"),  // shown as they are
    ])
  func terminalSafe(_ text: String, _ shown: String) {
    #expect(TextEscaping.terminalSafe(text) == shown)
  }

  /// Log data with a right-to-left override: `summary` and `audit` text show it as `<U+202E>`.
  @Test("bidirectional overrides from log data never reach the terminal")
  func bidiOverride() throws {
    let log =
      "2 123456789012 eni-\u{202E}txt.exe 203.0.113.9 10.0.0.5 50000 22 6 10 840 1732579200 1732579260 ACCEPT OK\n"
    for command in ["summary", "audit"] {
      let run = try CLI.run([command], stdin: Data(log.utf8))
      #expect(!run.stdout.contains("\u{202E}"), "\(command)")
      #expect(run.stdout.contains("eni-<U+202E>txt.exe"), "\(command): \(run.stdout)")
    }
    // JSON keeps the data as it is.
    let json = try CLI.run(["summary", "--format", "json"], stdin: Data(log.utf8))
    #expect(json.stdout.contains("eni-\u{202E}txt.exe"))
  }

  @Test(
    "CSV cells: control characters as \\xHH, backslash doubled, formulas neutralised, commas and quotes quoted",
    arguments: [
      ("eni-\u{1B}[31m\u{07}", "eni-\\x1b[31m\\x07"),
      ("a\tb\nc\rd\u{7F}", "a\\x09b\\x0ac\\x0dd\\x7f"),
      ("a\\x1b", "a\\\\x1b"),  // a literal backslash cannot be taken for an escape
      ("=1+2", "'=1+2"),
      ("\t=1", "\\x09=1"),
      ("a,\"b\"", "\"a,\"\"b\"\"\""),
      ("eni-0a1b", "eni-0a1b"),
    ])
  func csvCell(_ text: String, _ cell: String) {
    #expect(TextEscaping.csvCell(text) == cell)
  }

  @Test("records --format csv writes no raw control byte from log data")
  func csvRecords() throws {
    let log = "interface-id account-id action\neni-\u{1B}]0;pwned\u{07}x 12\u{1B}[2J ACCEPT\neni-plain 123 REJECT\n"
    let run = try CLI.run(["records", "--format", "csv"], stdin: Data(log.utf8))
    #expect(!run.stdout.utf8.contains { $0 < 0x20 && $0 != 0x0A })
    let lines = run.stdout.split(separator: "\n")
    #expect(lines.first == "interface-id,account-id,action")
    #expect(lines.last == "eni-plain,123,REJECT")
    // A line whose identifiers hold control bytes may be rejected as malformed; if it is a
    // record, its cells are escaped.
    if lines.count == 3 {
      #expect(lines[1] == "eni-\\x1b]0;pwned\\x07x,12\\x1b[2J,ACCEPT")
    } else {
      #expect(lines.count == 2)
      #expect(run.stderr.contains("<stdin>:2") || run.stderr.contains(":2:"))
    }
  }
}

@Suite("Standard input on a terminal")
struct StandardInputTerminalTests {
  @Test(
    "with no INPUT, reading a terminal is announced on standard error",
    arguments: [["summary"], ["audit"], ["records"], ["summary", "--quiet"]])
  func announced(_ arguments: [String]) throws {
    let terminal = try PseudoTerminal()
    let process = Process()
    process.executableURL = CLI.executable
    process.arguments = arguments + ["--allow-empty"]  // nothing typed: an empty run, accepted here
    process.currentDirectoryURL = CLI.root
    let out = Pipe()
    let err = Pipe()
    process.standardInput = terminal.terminal
    process.standardOutput = out
    process.standardError = err
    try process.run()
    try terminal.terminal.close()
    terminal.type("\u{4}")  // one Ctrl-D, as a person types it: the end of input
    let stderr = CLI.LockedData()
    let stdout = CLI.LockedData()
    Thread { stderr.set(err.fileHandleForReading.readDataToEndOfFile()) }.start()
    Thread { stdout.set(out.fileHandleForReading.readDataToEndOfFile()) }.start()
    // A run that waits for more after the Ctrl-D would wait forever: end it (SIGKILL, as the test
    // runner's children may block SIGTERM) and fail.
    var waited = 0
    while process.isRunning && waited < 30_000 {
      usleep(10_000)
      waited += 10
    }
    if process.isRunning {
      kill(process.processIdentifier, SIGKILL)
      Issue.record("still reading standard input after Ctrl-D")
    }
    process.waitUntilExit()
    while !stderr.isSet || !stdout.isSet { usleep(1000) }
    let messages = String(decoding: stderr.get(), as: UTF8.self)
    #expect(process.terminationStatus == 0)
    #expect(
      messages.hasPrefix(
        "flowlens: reading flow logs from standard input (Ctrl-D to end; give a file or directory to read that instead)\n"
      ),
      "\(messages)")
    if arguments == ["summary"] {
      #expect(String(decoding: stdout.get(), as: UTF8.self).contains("0 records"))
    }
  }

  @Test("input from a pipe, or named INPUT, is read without the note")
  func notAnnounced() throws {
    let piped = try CLI.run(["summary"], stdin: Data())
    #expect(!piped.stderr.contains("reading flow logs from standard input"))
    #expect(InputRun.standardInputNote(inputs: ["-"], standardInputIsTerminal: true) == nil)
    #expect(InputRun.standardInputNote(inputs: [], standardInputIsTerminal: false) == nil)
    #expect(InputRun.standardInputNote(inputs: [], standardInputIsTerminal: true) != nil)
  }
}
