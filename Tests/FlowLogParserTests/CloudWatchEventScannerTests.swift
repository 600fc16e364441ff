import Foundation
import Testing

@testable import FlowLogParser

/// The streaming reader of CloudWatch Logs JSON: messages unescaped exactly as an independent JSON
/// encoder escaped them, whatever the read sizes; the accounting of the reader over it.
@Suite("CloudWatch Logs JSON scanner")
struct CloudWatchEventScannerTests {
  /// What the scanner hands out, as values.
  enum Seen: Equatable {
    case message([UInt8], event: Int)
    case bad(event: Int, kind: ParseIssue.Kind)
    case skipped(String, events: Int)
    case malformed(offset: UInt64)
  }

  static func scan(_ bytes: [UInt8], readSize: Int = .max, maxMessageLength: Int = 1024) throws -> [Seen] {
    let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 4096, alignment: 16)
    defer { buffer.deallocate() }
    var scanner = CloudWatchEventScanner(buffer: buffer, maxMessageLength: maxMessageLength)
    let source = MemorySource(bytes, maxReadSize: readSize)
    var seen: [Seen] = []
    var more = true
    while more {
      more = try scanner.read(from: source)
      while let piece = scanner.nextPiece() {
        switch piece {
        case .message(let message, let event, _): seen.append(.message(Array(message), event: event))
        case .badEvent(let event, _, let kind, _): seen.append(.bad(event: event, kind: kind))
        case .skippedPayload(_, let type, let events): seen.append(.skipped(type, events: events))
        case .malformed(let offset, _): seen.append(.malformed(offset: offset))
        }
      }
    }
    return seen
  }

  /// Strings with what JSON must escape and what it may carry raw: quotes, backslashes, slashes,
  /// control characters, accented letters, CJK, emoji (surrogate pairs when escaped).
  static func randomStrings(count: Int, seed: UInt64) -> [String] {
    var state = seed
    func next() -> UInt64 {
      state ^= state << 13
      state ^= state >> 7
      state ^= state << 17
      return state
    }
    let alphabet: [Character] = Array("abc 012.-\"\\/\u{01}\u{1F}\t\né漢😀\u{7F}{}[],:")
    return (0..<count).map { _ in
      String((0..<Int(next() % 40)).map { _ in alphabet[Int(next() % UInt64(alphabet.count))] })
    }
  }

  /// A JSON string escaping every character outside printable ASCII as `\uXXXX` UTF-16 units: an
  /// encoder written here, independent of the scanner.
  static func asciiJSONString(_ text: String) -> String {
    var out = "\""
    for unit in text.utf16 {
      switch unit {
      case 0x22: out += "\\\""
      case 0x5C: out += "\\\\"
      case 0x20..<0x7F: out.append(Character(Unicode.Scalar(UInt8(unit))))
      default: out += String(format: "\\u%04X", unit)
      }
    }
    return out + "\""
  }

  @Test(
    "messages come out as the encoder put them in, for any read size",
    arguments: [1, 2, 3, 7, 64, Int.max], [UInt64(1), 2, 3])
  func roundTrip(readSize: Int, seed: UInt64) throws {
    let messages = Self.randomStrings(count: 60, seed: seed &* 0x9E37_79B9_7F4A_7C15)
    // Foundation's encoder (raw UTF-8, escaped slashes), then the ASCII-only one, in one text.
    let events = messages.map { ["message": $0, "timestamp": 1] as [String: Any] }
    let foundation = try JSONSerialization.data(withJSONObject: ["events": events, "nextToken": "x"])
    let ascii =
      "{\"messageType\":\"DATA_MESSAGE\",\"logEvents\":["
      + messages.enumerated().map { "{\"id\":\"\($0.offset)\",\"message\":\(Self.asciiJSONString($0.element))}" }
      .joined(separator: ",") + "]}"
    let text = Array(foundation) + Array("\n".utf8) + Array(ascii.utf8)
    let seen = try Self.scan(text, readSize: readSize)
    let expected = (messages + messages).enumerated().map { Seen.message(Array($0.element.utf8), event: $0.offset + 1) }
    #expect(seen == expected)
  }

  @Test("a CONTROL_MESSAGE payload is skipped, its events numbered; a message too long is one bad event")
  func controlAndTooLong() throws {
    let control = #"{"messageType":"CONTROL_MESSAGE","logEvents":[{"message":"CWL CONTROL MESSAGE: check"}]}"#
    let data = #"{"messageType":"DATA_MESSAGE","logEvents":[{"message":"0123456789ab"},{"message":"ok"}]}"#
    let seen = try Self.scan(Array((control + data).utf8), readSize: 5, maxMessageLength: 10)
    #expect(
      seen == [
        .skipped("CONTROL_MESSAGE", events: 1), .bad(event: 2, kind: .lineTooLong),
        .message(Array("ok".utf8), event: 3),
      ])
  }

  @Test("a text cut off anywhere: every complete event before the cut, then the cut event, then the fault")
  func cutAnywhere() throws {
    let text = Array(
      #"{"events": [{"message": "a\"b"}, {"x": [1, {"y": "]"}], "message": "c"}, {"message": "d"}]}"#.utf8)
    let whole = try Self.scan(text)
    #expect(whole.count == 3)
    for cut in 1..<text.count {
      let seen = try Self.scan(Array(text[..<cut]), readSize: 3)
      guard case .malformed(let offset) = seen.last else {
        Issue.record("cut at \(cut): \(seen)")
        continue
      }
      #expect(offset == UInt64(cut), "cut at \(cut)")
      let messages = seen.filter { if case .message = $0 { true } else { false } }
      #expect(Array(whole.prefix(messages.count)) == messages, "cut at \(cut)")
      // An event started and not finished is one malformed line.
      let incomplete = seen.filter { $0 == .bad(event: messages.count + 1, kind: .incompleteLine) }
      #expect(messages.count + incomplete.count + 1 == seen.count, "cut at \(cut): \(seen)")
    }
  }

  @Test("the reader's counts and issues do not depend on the read size", arguments: [1, 3, 17, 4096])
  func readSizes(readSize: Int) throws {
    let odd = #"""
      {"events": [{"message": "\#(v2Line())"}, {"message": "\#(v2Line(eni: #"eni-a\nb"#))"}, {"message": 3}, {"message": "\#(v2Line(action: "REJECT"))"}], "nextToken": null}
      {"messageType": "CONTROL_MESSAGE", "logEvents": [{"message": "CWL CONTROL MESSAGE"}]}
      {"messageType": "DATA_MESSAGE", "logEvents": [{"message": "\#(defaultHeader)"}, {"message": "\#(v2Line())"}
      """#
    for bytes in [Array(odd.utf8), gzip(Array(odd.utf8))] {
      var sink = CollectingSink()
      var issues = IssueLog()
      let reader = FlowLogReader(options: ReaderOptions(bufferSize: 4096))
      let counts = reader.read(MemorySource(bytes, maxReadSize: readSize), name: "cw", into: &sink, issues: &issues)
      #expect(counts.lines == 6)
      #expect(counts.records == 3)
      #expect(counts.headers == 1)
      #expect(counts.malformed == 2)
      #expect(counts.lines == counts.headers + counts.records + counts.filtered + counts.malformed + counts.blank)
      #expect(sink.positions.map(\.line) == [1, 4, 7], "records numbered by their event index")
      #expect(issues.examples.map(\.event) == [2, 3, nil, nil])
      #expect(issues.examples.map(\.kind) == [.controlCharacter, .badEvent, .controlMessage, .badJSON])
      #expect(issues.inputErrors.map(\.location) == ["cw: byte \(odd.utf8.count)"])
    }
  }
}
