import ArgumentParser
import FlowLogGenerator
import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// `flowlog-gen`: writes synthetic VPC flow logs, and optionally what they contain as JSON.
@main
struct FlowLogGenCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "flowlog-gen",
    abstract: "Write realistic synthetic AWS VPC Flow Logs, deterministically from a seed.",
    discussion: """
      The same seed, layout and size always give the same bytes. --expect writes the totals the
      generator counted while writing (records, accept, reject, nodata, skipdata, packets, bytes,
      headers, lines, interfaces, ...), for checking a parser without trusting it.

      Examples:
        flowlog-gen --records 100000 --seed 1 --layout v2 --header > flows.log
        flowlog-gen --bytes 1G --seed 42 --layout v5 --output flows.log --expect flows.expect.json
        flowlog-gen --scenario spoofed-scan --records 10000000 --header --output spoofed.log
      """)

  enum Scenario: String, ExpressibleByArgument, CaseIterable {
    /// A VPC's day: Zipf traffic over a topology, scanners, NACL trouble, NODATA/SKIPDATA.
    case realistic
    /// Every record from a new source, with one hidden scanner (see SpoofedScanGenerator).
    case spoofedScan = "spoofed-scan"
  }

  enum LayoutOption: String, ExpressibleByArgument, CaseIterable {
    case v2, v5

    var layout: FlowLogGenerator.Layout { self == .v2 ? .v2 : .v5 }
  }

  @Option(help: "Stop after this many records.")
  var records: UInt64?

  @Option(
    help: ArgumentHelp(
      "Stop once this much text is written (whole lines): a number with an optional K, M, G or T suffix (powers of 1024).",
      valueName: "size"),
    transform: FlowLogGenCommand.parseSize)
  var bytes: UInt64?

  @Option(help: "The seed (any 64-bit unsigned integer).")
  var seed: UInt64 = 1

  @Option(
    help: "What the log shows: realistic (a VPC's traffic) or spoofed-scan (every record from a new source, v2 only).")
  var scenario: Scenario = .realistic

  @Option(help: "Columns: v2 (the 14 default fields) or v5 (all 29 fields of versions 2-5).")
  var layout: LayoutOption = .v2

  @Flag(help: "Write an S3-style header line naming the fields first.")
  var header = false

  @Option(name: .shortAndLong, help: "Write the log here instead of standard output.")
  var output: String?

  @Option(help: ArgumentHelp("Write the expected totals as JSON to this file.", valueName: "file.json"))
  var expect: String?

  @Option(help: "Number of interfaces (ENIs).")
  var interfaces: Int = 300

  @Flag(name: .shortAndLong, help: "Do not print the summary line on standard error.")
  var quiet = false

  func validate() throws {
    guard scenario == .realistic || layout == .v2 else {
      throw ValidationError("--scenario spoofed-scan writes v2 only")
    }
    guard records != nil || bytes != nil else {
      throw ValidationError("give --records, --bytes, or both (generation stops at the first limit reached)")
    }
    guard interfaces >= 9 else { throw ValidationError("--interfaces must be at least 9") }
  }

  static func parseSize(_ text: String) throws -> UInt64 {
    var digits = Substring(text.uppercased())
    for suffix in ["IB", "B"] where digits.hasSuffix(suffix) && digits.count > suffix.count {
      digits = digits.dropLast(suffix.count)
      break
    }
    var multiplier: UInt64 = 1
    if let last = digits.last, let index = "KMGT".firstIndex(of: last) {
      multiplier = 1 << (10 * UInt64("KMGT".distance(from: "KMGT".startIndex, to: index) + 1))
      digits = digits.dropLast()
    }
    guard let value = UInt64(digits) else {
      throw ValidationError("'\(text)' is not a size such as 1000, 512K, 100M or 1G")
    }
    let (product, overflow) = value.multipliedReportingOverflow(by: multiplier)
    guard !overflow else { throw ValidationError("'\(text)' is too large") }
    return product
  }

  func run() throws {
    let fd: Int32
    if let output {
      fd = open(output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
      guard fd >= 0 else { throw failure("cannot open \(output): \(String(cString: strerror(errno)))") }
    } else {
      fd = STDOUT_FILENO
    }
    defer { if output != nil { close(fd) } }

    switch scenario {
    case .realistic:
      try generate(FlowLogGenerator(seed: seed, layout: layout.layout, interfaceCount: interfaces), to: fd)
    case .spoofedScan:
      try generate(SpoofedScanGenerator(seed: seed), to: fd)
    }
  }

  private func generate<Generator: FlowLogWriting>(_ generator: Generator, to fd: Int32) throws {
    var generator = generator
    let clock = ContinuousClock()
    let began = clock.now
    let chunk = 4 << 20
    var buffer: [UInt8] = []
    buffer.reserveCapacity(chunk + 4096)
    if header { generator.appendHeader(to: &buffer) }
    let maxRecords = records ?? .max
    let maxBytes = bytes ?? .max
    while generator.expected.records < maxRecords && generator.expected.textBytes < maxBytes {
      // Fill the chunk, stopping exactly at either limit.
      while buffer.count < chunk && generator.expected.records < maxRecords
        && generator.expected.textBytes < maxBytes
      {
        generator.appendRecord(to: &buffer)
      }
      try writeAll(buffer, to: fd)
      buffer.removeAll(keepingCapacity: true)
    }
    try writeAll(buffer, to: fd)
    let elapsed = began.duration(to: clock.now)

    let totals = generator.expected
    if let expect {
      let encoder = JSONEncoder()
      encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
      var data = try encoder.encode(totals)
      data.append(0x0A)
      do {
        try data.write(to: URL(fileURLWithPath: expect))
      } catch {
        throw failure("cannot write \(expect): \(error.localizedDescription)")
      }
    }
    if !quiet {
      let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
      let mb = Double(totals.textBytes) / 1e6
      let rate = String(
        format: "%.2f s: %.0f MB/s, %.2f M records/s", seconds, mb / max(seconds, 1e-9),
        Double(totals.records) / 1e6 / max(seconds, 1e-9))
      let line =
        "flowlog-gen: \(totals.records) records, \(totals.textBytes) bytes (\(layout.rawValue), seed \(seed)) in \(rate)\n"
      writeStandardError(line)
    }
  }

  private func writeAll(_ bytes: [UInt8], to fd: Int32) throws {
    try bytes.withUnsafeBytes { raw in
      var offset = 0
      while offset < raw.count {
        let n = write(fd, raw.baseAddress! + offset, raw.count - offset)
        if n < 0 {
          if errno == EINTR { continue }
          throw failure("write failed: \(String(cString: strerror(errno)))")
        }
        offset += n
      }
    }
  }

  private func failure(_ message: String) -> ExitCode {
    writeStandardError("flowlog-gen: \(message)\n")
    return ExitCode(1)
  }

  private func writeStandardError(_ text: String) {
    var text = text
    text.withUTF8 { bytes in _ = write(STDERR_FILENO, bytes.baseAddress, bytes.count) }
  }
}
