import FlowLogParser
import Testing

@Suite("Reading lines")
struct FlowLogReaderTests {
  static let chunkSizes = [1, 3, 7, 64, 4096, Int.max]

  @Test("every non-empty line is a header, a record or malformed, at any read size", arguments: chunkSizes)
  func accounting(chunk: Int) {
    let text =
      [
        defaultHeader, v2Line(), "", v2Line(action: "REJECT"), "   ", "garbage", v2Line(packets: "x"), v2Line(),
      ].joined(separator: "\n") + "\n"
    let result = readAll(text, chunk: chunk)
    let c = result.counts
    #expect(c.lines == 8)
    #expect(c.headers == 1)
    #expect(c.records == 3)
    #expect(c.malformed == 2)
    #expect(c.blank == 2)
    #expect(c.lines == c.headers + c.records + c.malformed + c.blank)
    #expect(result.sink.positions.map(\.line) == [2, 4, 8])
    #expect(result.issues.examples.map(\.line) == [6, 7])
    #expect(result.issues.examples.map(\.kind) == [.fieldCount, .badInteger])
  }

  @Test("CRLF, trailing spaces and a missing final newline", arguments: chunkSizes)
  func lineEndings(chunk: Int) {
    let text = defaultHeader + "\r\n" + v2Line() + "  \r\n" + v2Line(action: "REJECT")
    let result = readAll(text, chunk: chunk)
    #expect(result.counts.records == 2)
    #expect(result.counts.malformed == 0)
    #expect(result.records.last?["log-status"] == "OK")
    #expect(result.records.last?["action"] == "REJECT")
  }

  @Test("empty input")
  func empty() {
    let result = readAll("")
    #expect(result.counts.lines == 0)
    #expect(result.counts.records == 0)
    #expect(result.issues.counts.isEmpty)
  }

  @Test("a header mid-stream switches the layout from there on")
  func headerSwitch() {
    let text = """
      \(defaultHeader)
      \(v2Line())
      srcaddr dstaddr action
      10.0.0.1 10.0.0.2 REJECT
      \(v2Line())
      version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status
      \(v2Line())

      """
    let result = readAll(text)
    #expect(result.counts.headers == 3)
    #expect(result.counts.records == 3)
    #expect(result.counts.malformed == 1)
    #expect(result.records[1] == ["srcaddr": "10.0.0.1", "dstaddr": "10.0.0.2", "action": "REJECT"])
    #expect(result.issues.examples.first?.line == 5)
    #expect(result.issues.examples.first?.reason == "expected 3 fields, found 14")
    #expect(result.sink.layouts.count == 4)  // start of input + three headers
  }

  @Test("--log-format applies to input without a header; a header in the input wins")
  func explicitLayout() throws {
    let layout = try FlowLayout(format: "${action} ${srcaddr} ${dstport}")
    let options = ReaderOptions(layout: layout)
    let plain = readAll("ACCEPT 10.0.0.1 22\nREJECT 10.0.0.9 3389\n", options: options)
    #expect(plain.counts.records == 2)
    #expect(plain.records[1]["dstport"] == "3389")
    let withHeader = readAll("srcaddr action\n10.0.0.1 ACCEPT\n", options: options)
    #expect(withHeader.counts.records == 1)
    #expect(withHeader.records[0] == ["srcaddr": "10.0.0.1", "action": "ACCEPT"])
  }

  @Test("the layout is never guessed from the token count")
  func noGuessing() {
    // 29 tokens under the default layout: malformed, not decoded as some v5 layout.
    let v5 = (0..<29).map { _ in "1" }.joined(separator: " ")
    let result = readAll(v5 + "\n")
    #expect(result.counts.malformed == 1)
    #expect(result.issues.examples.first?.reason == "expected 14 fields, found 29")
  }

  @Test("CloudWatch Logs export timestamps are stripped")
  func cloudWatchExport() {
    let text = """
      2018-09-22T20:28:14.000Z \(v2Line())
      2018-09-22T20:28:15Z \(v2Line(action: "REJECT"))
      2018-09-22T20:28:16.123+00:00 \(v2Line())

      """
    let result = readAll(text)
    #expect(result.counts.records == 3)
    #expect(result.counts.malformed == 0)
    #expect(result.records.map { $0["version"] } == ["2", "2", "2"])
    #expect(result.records[1]["action"] == "REJECT")
  }

  @Test("a header with an unknown field keeps its column and says so")
  func unknownHeaderField() {
    let text = "srcaddr future-field action\n10.0.0.1 whatever ACCEPT\n"
    let result = readAll(text)
    #expect(result.counts.headers == 1)
    #expect(result.counts.records == 1)
    #expect(result.records[0] == ["srcaddr": "10.0.0.1", "action": "ACCEPT"])
    #expect(result.issues.examples.map(\.kind) == [.unknownHeaderField])
    #expect(result.issues.malformedLines == 0)
  }

  @Test("a header naming a field twice is malformed and the layout stays")
  func duplicateHeader() {
    let text = "srcaddr action\nsrcaddr srcaddr\n10.0.0.1 ACCEPT\n"
    let result = readAll(text)
    #expect(result.counts.headers == 1)
    #expect(result.counts.malformed == 1)
    #expect(result.counts.records == 1)
    #expect(result.issues.examples.first?.kind == .badHeader)
  }

  @Test("lines over the limit are malformed and never buffered whole", arguments: [1, 100, 4096, Int.max])
  func longLines(chunk: Int) {
    let long = String(repeating: "x", count: 10_000)
    let text = [v2Line(), long, v2Line(), long + " " + long, v2Line()].joined(separator: "\n")
    let result = readAll(text, options: ReaderOptions(maxLineLength: 1000, bufferSize: 4096), chunk: chunk)
    #expect(result.counts.records == 3)
    #expect(result.counts.malformed == 2)
    #expect(result.counts.lines == 5)
    #expect(result.issues.examples.map(\.kind) == [.lineTooLong, .lineTooLong])
    #expect(result.issues.examples.map(\.line) == [2, 4])
    #expect(result.sink.positions.map(\.line) == [1, 3, 5])
  }

  @Test("a long line with no newline at all", arguments: [7, Int.max])
  func runawayLine(chunk: Int) {
    let text = v2Line() + "\n" + String(repeating: "y", count: 50_000)
    let result = readAll(text, options: ReaderOptions(maxLineLength: 1000, bufferSize: 4096), chunk: chunk)
    #expect(result.counts.records == 1)
    #expect(result.counts.malformed == 1)
    #expect(result.counts.lines == 2)
  }

  @Test("byte offsets of issues are where the line starts")
  func offsets() {
    let first = v2Line() + "\n"
    let result = readAll(first + "bad line\n")
    #expect(result.issues.examples.first?.offset == UInt64(first.utf8.count))
    #expect(result.counts.decodedBytes == UInt64(first.utf8.count + 9))
  }

  @Test("NUL bytes and invalid UTF-8 are malformed or kept, never a crash")
  func hostileBytes() {
    var bytes = Array((v2Line() + "\n").utf8)
    bytes += [0, 0, 0, 0x0A]
    bytes += Array("2 123456789012 eni-\u{FF} 10.0.0.1 10.0.0.2 1 2 6 1 1 1 2 ACCEPT OK\n".utf8)
    bytes += [0x32, 0x20, 0xFF, 0xFE, 0x0A]
    let result = readAll(bytes)
    #expect(result.counts.records == 2)
    #expect(result.counts.malformed == 2)
  }
}
