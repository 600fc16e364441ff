import FlowLogParser
import Testing

@Suite("Record decoding")
struct RecordDecoderTests {
  @Test("a default-format record decodes every field")
  func defaultRecord() throws {
    let values = try decode(v2Line()).get()
    #expect(values["version"] == "2")
    #expect(values["account-id"] == "123456789012")
    #expect(values["interface-id"] == "eni-0a1b2c3d4e5f60718")
    #expect(values["srcaddr"] == "10.0.1.5")
    #expect(values["dstaddr"] == "198.51.100.7")
    #expect(values["srcport"] == "49152")
    #expect(values["dstport"] == "443")
    #expect(values["protocol"] == "6")
    #expect(values["packets"] == "10")
    #expect(values["bytes"] == "840")
    #expect(values["start"] == "1700000000")
    #expect(values["end"] == "1700000060")
    #expect(values["action"] == "ACCEPT")
    #expect(values["log-status"] == "OK")
    #expect(values.count == 14)
  }

  @Test("'-' means absent in every position", arguments: 0..<14)
  func dashEverywhere(position: Int) throws {
    var tokens = v2Line().split(separator: " ").map(String.init)
    tokens[position] = "-"
    let values = try decode(tokens.joined(separator: " ")).get()
    let name = FlowLayout.defaultV2.columns[position].name
    #expect(values[name] == nil)
    #expect(values.count == 13)
  }

  @Test("'-' in every field of a layout with every field")
  func dashInEveryField() throws {
    let layout = FlowLayout(fields: FlowField.allCases)
    let line = Array(repeating: "-", count: FlowField.allCases.count).joined(separator: " ")
    #expect(try decode(line, layout: layout).get().isEmpty)
  }

  @Test("NODATA and SKIPDATA records as AWS writes them", arguments: ["NODATA", "SKIPDATA"])
  func noData(status: String) throws {
    let line = "2 123456789010 eni-1235b8ca123456789 - - - - - - - 1431280876 1431280934 - \(status)"
    let values = try decode(line).get()
    #expect(values["log-status"] == status)
    #expect(values["action"] == nil)
    #expect(values["srcaddr"] == nil)
    #expect(values["start"] == "1431280876")
    #expect(values["interface-id"] == "eni-1235b8ca123456789")
  }

  @Test(
    "start and end in milliseconds become seconds",
    arguments: [
      ("1700000000", "1700000000"), ("1700000000123", "1700000000"), ("99999999999", "99999999999"),
      ("100000000000", "100000000"), ("1700000000123456", "1700000000"), ("1700000000123456789", "1700000000"),
      ("143128087280876", "143128087"),  // found by the fuzzer: one division left 143128087280, still "ms"
    ])
  func milliseconds(value: String, seconds: String) throws {
    let values = try decode(v2Line(start: value, end: value)).get()
    #expect(values["start"] == seconds)
    #expect(values["end"] == seconds)
  }

  @Test("account ids stay text: leading zeros and 'unknown'", arguments: ["012345678901", "unknown", "000000000000"])
  func accountIDs(account: String) throws {
    let line = v2Line().replacingOccurrences(of: " 123456789012 ", with: " \(account) ")
    #expect(try decode(line).get()["account-id"] == account)
  }

  @Test(
    "runs of spaces separate tokens; surrounding spaces do not count",
    arguments: [
      "2  123456789012 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1 2 ACCEPT OK",
      "2 123456789012 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1 2 ACCEPT     OK",
    ])
  func spaces(line: String) throws {
    let values = try decode(line).get()
    #expect(values["account-id"] == "123456789012")
    #expect(values["log-status"] == "OK")
  }

  @Test(
    "wrong number of tokens",
    arguments: [
      ("2 123456789012 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1 2 ACCEPT", 13),
      ("2 123456789012 eni-1 10.0.0.1 10.0.0.2 1 2 6 1 1 1 2 ACCEPT OK extra", 15),
      ("2", 1),
      ("2 123456789012 eni-1 10.0.0.1 10.0.0.2 1 2 6 x 1 1 ACCEPT OK", 13),  // bad value and short: count wins
    ])
  func fieldCount(line: String, found: Int) {
    let result = decode(line)
    guard case .failure(let error) = result else {
      Issue.record("decoded \(line)")
      return
    }
    #expect(error.kind == .fieldCount)
    #expect(error.found == found)
    #expect(error.expected == 14)
    let reason = Array(line.utf8).withUnsafeBytes { error.reason(layout: .defaultV2, line: $0) }
    #expect(reason == "expected 14 fields, found \(found)")
  }

  @Test(
    "bad values name the field and the token",
    arguments: [
      (v2Line(srcport: "70000"), RecordError.Kind.outOfRange, "srcport: '70000' is out of range (0-65535)"),
      (v2Line(proto: "256"), .outOfRange, "protocol: '256' is out of range (0-255)"),
      (v2Line(packets: "1e5"), .badInteger, "packets: '1e5' is not an unsigned integer"),
      (v2Line(bytes: "-5"), .badInteger, "bytes: '-5' is not an unsigned integer"),
      (v2Line(bytes: "18446744073709551616"), .badInteger, "bytes: '18446744073709551616' is not an unsigned integer"),
      (
        v2Line(bytes: "123456789012345678901"), .badInteger, "bytes: '123456789012345678901' is not an unsigned integer"
      ),
      (v2Line(src: "10.0.0.256"), .badAddress, "srcaddr: '10.0.0.256' is not an IPv4 or IPv6 address"),
      (v2Line(dst: "2001:db8:::1"), .badAddress, "dstaddr: '2001:db8:::1' is not an IPv4 or IPv6 address"),
      (v2Line(action: "ALLOW"), .badAction, "action: 'ALLOW' is not ACCEPT or REJECT"),
      (v2Line(action: "accept"), .badAction, "action: 'accept' is not ACCEPT or REJECT"),
      (v2Line(status: "FAIL"), .badLogStatus, "log-status: 'FAIL' is not OK, NODATA or SKIPDATA"),
      (v2Line(eni: "eni-\u{1}x"), .controlCharacter, "interface-id: 'eni-\\x01x' contains a control character"),
      (
        v2Line(eni: "eni-0a1b2c3d4e5f\u{0}0718"), .controlCharacter,
        "interface-id: 'eni-0a1b2c3d4e5f\\x000718' contains a control character"
      ),
      (v2Line(eni: "eni-\u{1B}[31m"), .controlCharacter, "interface-id: 'eni-\\x1B[31m' contains a control character"),
      (
        v2Line(eni: "eni-0a1b2c3d4e5f60718\u{7F}"), .controlCharacter,
        "interface-id: 'eni-0a1b2c3d4e5f60718\\x7F' contains a control character"
      ),
      (v2Line(eni: "eni-\tab"), .controlCharacter, "interface-id: 'eni-\\x09ab' contains a control character"),
      (v2Line(eni: "eni-caf\u{E9}"), nil, nil),  // bytes above 0x7F (UTF-8) are text, not control
    ])
  func badValues(line: String, kind: RecordError.Kind?, reason: String?) {
    switch decode(line) {
    case .success:
      #expect(kind == nil)
    case .failure(let error):
      #expect(error.kind == kind)
      let text = Array(line.utf8).withUnsafeBytes { error.reason(layout: .defaultV2, line: $0) }
      #expect(text == reason)
    }
  }

  @Test("the largest 64-bit value is accepted")
  func maxInteger() throws {
    #expect(try decode(v2Line(bytes: "18446744073709551615")).get()["bytes"] == "18446744073709551615")
  }

  @Test("IPv6 records")
  func ipv6() throws {
    let values = try decode(v2Line(src: "2001:DB8:0:0:0:0:0:1", dst: "2600:1f18::12")).get()
    #expect(values["srcaddr"] == "2001:db8::1")
    #expect(values["dstaddr"] == "2600:1f18::12")
  }

  /// One value of each field, by kind, for a layout with every field.
  static func sampleToken(_ field: FlowField) -> (token: String, decoded: String) {
    switch field.kind {
    case .integer(let max):
      return max == 255 ? ("17", "17") : max == 65_535 ? ("8080", "8080") : ("123456789", "123456789")
    case .timestamp: return ("1700000123000", "1700000123")
    case .address: return ("fd00:0:0::0a", "fd00::a")
    case .action: return ("REJECT", "REJECT")
    case .logStatus: return ("SKIPDATA", "SKIPDATA")
    case .text: return ("\(field.name)-value:x/y", "\(field.name)-value:x/y")
    }
  }

  @Test("every field of every version decodes, in table and reversed order", arguments: [false, true])
  func everyField(reversed: Bool) throws {
    let fields = reversed ? Array(FlowField.allCases.reversed()) : FlowField.allCases
    let line = fields.map { Self.sampleToken($0).token }.joined(separator: " ")
    let values = try decode(line, layout: FlowLayout(fields: fields)).get()
    for field in fields {
      #expect(values[field.name] == Self.sampleToken(field).decoded, "\(field.name)")
    }
  }
}

extension String {
  func replacingOccurrences(of target: String, with replacement: String) -> String {
    split(separator: target, omittingEmptySubsequences: false).joined(separator: replacement)
  }
}

@Suite("Integer fields")
struct IntegerFieldTests {
  /// Values of every length from 1 to 20 digits, in the middle of a line (eight bytes at a time)
  /// and as the last field (byte by byte near the end).
  @Test("every length of number decodes exactly", arguments: 1...20)
  func lengths(length: Int) throws {
    let digits = String(String("98765432109876543210".suffix(length)))
    let expected = UInt64(digits).map(String.init) ?? "overflow"
    let layout = try FlowLayout(format: "bytes packets")
    for line in ["\(digits) 7", "7 \(digits)", "\(digits)  7  ", "0\(digits) 7"] {
      let result = decode(line, layout: layout)
      switch result {
      case .success(let values):
        #expect(expected != "overflow" || length < 20)
        let key = line.hasPrefix("7 ") ? "packets" : "bytes"
        #expect(values[key].map { UInt64($0) } == UInt64(digits), "\(line)")
      case .failure(let error):
        // Only 20-digit values above 2^64-1 (and 21 digits with a leading zero) may fail.
        #expect(error.kind == .badInteger, "\(line)")
        #expect(length >= 20, "\(line)")
      }
    }
  }

  @Test(
    "a non-digit anywhere in a long number is caught",
    arguments: ["1234567a90", "12345678x", "1x", "123456789012345:", "99999999.9", "+1234567890"])
  func nonDigits(token: String) throws {
    let layout = try FlowLayout(format: "bytes packets")
    guard case .failure(let error) = decode("\(token) 1", layout: layout) else {
      Issue.record("decoded \(token)")
      return
    }
    #expect(error.kind == .badInteger)
  }

  /// The eight-bytes-at-a-time scan for the end of a text token agrees with a byte-by-byte
  /// reading of the rule: a token is valid iff none of its bytes is below 0x20 or is 0x7F.
  @Test("text tokens: control bytes anywhere, at any length, are found")
  func controlBytesAnywhere() throws {
    var generator = SystemRandomNumberGenerator()
    let decoder = RecordDecoder(layout: .defaultV2)  // records point into its storage: keep it alive
    for _ in 0..<4_000 {
      let length = Int.random(in: 1...40, using: &generator)
      var token: [UInt8] = (0..<length).map { _ in UInt8.random(in: 0x21...0xFF, using: &generator) }
      if Bool.random(using: &generator) {
        token[Int.random(in: 0..<length, using: &generator)] = [0x00, 0x09, 0x0A, 0x0D, 0x1B, 0x1F, 0x7F].randomElement(
          using: &generator)!
      }
      if token == [UInt8(ascii: "-")] { continue }
      let valid = !token.contains { $0 < 0x20 || $0 == 0x7F }
      let prefix = Array("2 123456789012 ".utf8)
      let suffix = Array(" 10.0.1.5 198.51.100.7 49152 443 6 10 840 1700000000 1700000060 ACCEPT OK".utf8)
      let line = prefix + token + suffix
      let result = line.withUnsafeBytes { raw -> RecordError.Kind? in
        switch decoder.decode(raw) {
        case .success(let record):
          #expect(record.interfaceID.map(Array.init) == token)
          return nil
        case .failure(let error): return error.kind
        }
      }
      #expect(result == (valid ? nil : .controlCharacter), "token \(token)")
    }
  }
}
