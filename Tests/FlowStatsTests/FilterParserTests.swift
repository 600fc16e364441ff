import FlowLogParser
import FlowStats
import Testing

@Suite("The --where grammar")
struct FilterParserTests {
  static let errorCases: [(String, Int, String)] = [
    ("", 1, "the expression is empty"),
    ("port", 5, "expected a port number or range after 'port', found the end of the expression"),
    ("src net 10.0.0.0/8 and port ssh", 29, "expected a port number (0-65535) or a range N-M, found \"ssh\""),
    ("port 70000", 6, "expected a port number (0-65535)"),
    ("port 30-20", 6, "the port range 30-20 ends before it starts"),
    ("host 10.0.0.0/8", 6, "a host is one address; for a prefix write 'net 10.0.0.0/8'"),
    ("host 10.0.0.256", 6, "expected an IPv4 or IPv6 address"),
    ("net 10.0.0.5/8", 5, "10.0.0.5/8 has host bits set; did you mean 10.0.0.0/8?"),
    ("net 2001:db8::/129", 5, "expected a CIDR prefix"),
    ("net @", 5, "expected a network name after '@'"),
    ("(port 22", 9, "expected ')' to close the '(' at column 1, found the end of the expression"),
    ("port 22)", 8, "expected 'and', 'or' or the end of the expression, found \")\""),
    ("port 22 port 23", 9, "expected 'and', 'or' or the end of the expression, found \"port\""),
    ("port 22 and", 12, "expected a test such as 'host 10.0.0.1' or 'port 22', found the end of the expression"),
    ("src proto tcp", 5, "expected 'host', 'net', 'port' or 'service' after 'src'"),
    ("proto sctpx", 7, "expected a protocol (tcp, udp, icmp, icmpv6 or 0-255)"),
    ("proto 256", 7, "expected a protocol"),
    ("action allow", 8, "expected accept or reject, found \"allow\""),
    ("status done", 8, "expected ok, nodata or skipdata"),
    ("direction in", 11, "expected ingress or egress"),
    ("bytes 100", 7, "expected a comparison (=, !=, <, <=, >, >=) after 'bytes'"),
    ("packets >= lots", 12, "expected a whole number, found \"lots\""),
    ("bytes => 5", 7, "expected a comparison"),
    ("hots 10.0.0.1", 1, "expected a test (host, net, port"),
    ("not", 4, "expected a test such as 'host 10.0.0.1' or 'port 22', found the end of the expression"),
  ]

  @Test("Mistakes name their column and what was expected", arguments: errorCases)
  func errors(expression: String, column: Int, message: String) {
    #expect(throws: FilterError.self) { try FilterParser.parse(expression) }
    do {
      _ = try FilterParser.parse(expression)
    } catch {
      #expect(error.column == column, "\(expression): \(error)")
      #expect(error.message.hasPrefix(message), "\(expression): \(error)")
    }
  }

  @Test("Precedence: not binds tightest, then and, then or; keywords in any case; tcpdump's symbols")
  func precedence() throws {
    let p1 = FilterExpression.primitive(.port(.either, 22...22), column: 1)
    let parsed = try FilterParser.parse("port 22 or tcp AND NOT action reject")
    guard case .or(let left, let right) = parsed, case .and(let a, .not(let b)) = right else {
      Issue.record("wrong shape: \(parsed)")
      return
    }
    #expect(left == p1)
    #expect(a == .primitive(.proto(6), column: 12))
    #expect(b == .primitive(.action(.reject), column: 24))
    #expect(try FilterParser.parse("port 22 || tcp && ! action reject").withoutColumns == parsed.withoutColumns)
    #expect(try FilterParser.parse("(port 22 or tcp) and not action reject").withoutColumns != parsed.withoutColumns)
  }

  static let primitiveCases: [(String, FilterPrimitive)] = [
    ("host 10.0.0.1", .host(.either, IPAddress(text: "10.0.0.1")!)),
    ("SRC HOST 2001:DB8::1", .host(.source, IPAddress(text: "2001:db8::1")!)),
    ("dst host 2001:0db8:0000:0000:0000:0000:0000:0001", .host(.destination, IPAddress(text: "2001:db8::1")!)),
    ("net 10.0.0.0/8", .net(.either, CIDR("10.0.0.0/8")!)),
    ("dst net 2001:db8::/32", .net(.destination, CIDR("2001:db8::/32")!)),
    ("src net @corporate", .namedNet(.source, "corporate")),
    ("port 443", .port(.either, 443...443)),
    ("dst port 1024-65535", .port(.destination, 1024...65_535)),
    ("proto icmpv6", .proto(58)),
    ("proto 47", .proto(47)),
    ("udp", .proto(17)),
    ("action ACCEPT", .action(.accept)),
    ("status NoData", .status(.nodata)),
    ("interface eni-0123", .interface("eni-0123")),
    ("account 123456789012", .text(.accountID, "123456789012")),
    ("vpc vpc-1", .text(.vpcID, "vpc-1")),
    ("subnet subnet-1", .text(.subnetID, "subnet-1")),
    ("instance i-1", .text(.instanceID, "i-1")),
    ("direction Egress", .text(.flowDirection, "egress")),
    ("dst service s3", .service(.destination, "s3")),
    ("packets>=10", .count(.packets, .greaterOrEqual, 10)),
    ("bytes != 0", .count(.bytes, .notEqual, 0)),
    ("bytes == 5", .count(.bytes, .equal, 5)),
  ]

  @Test("Each primitive parses to its test", arguments: primitiveCases)
  func primitives(text: String, primitive: FilterPrimitive) throws {
    #expect(try FilterParser.parse(text) == .primitive(primitive, column: 1))
  }

  static let timeCases: [(String, UInt64)] = [
    ("2024-11-26T00:10:00Z", 1_732_579_800),
    ("2024-11-26t00:10:00z", 1_732_579_800),
    ("2024-11-26 00:10:00", 1_732_579_800),
    ("2024-11-26T00:10Z", 1_732_579_800),
    ("2024-11-26T02:10:00+02:00", 1_732_579_800),
    ("2024-11-25T19:10:00-0500", 1_732_579_800),
    ("2024-11-26T00:09:59.250Z", 1_732_579_800),
    ("2024-11-26T00:10:00.000Z", 1_732_579_800),
    ("2024-11-26", 1_732_579_200),
    ("2024-02-29", 1_709_164_800),
    ("1970-01-01", 0),
    ("1732579800", 1_732_579_800),
    ("90s", 1_000_000 - 90),
    ("30m", 1_000_000 - 1800),
    ("1h", 1_000_000 - 3600),
    ("7d", 1_000_000 - 604_800),
    ("1w", 1_000_000 - 604_800),
  ]

  @Test("Times: ISO-8601 with or without zone, dates, Unix seconds, spans back from now", arguments: timeCases)
  func times(text: String, seconds: UInt64) throws {
    #expect(try FilterTime.parse(text, now: 1_000_000) == seconds)
  }

  @Test(
    "Bad times are errors",
    arguments: [
      "", "yesterday", "2024-13-01", "2023-02-29", "2024-11-26T24:00:00Z", "5y", "2024-11-26T00:10:00+25:00", "12:00",
    ])
  func badTimes(text: String) {
    #expect(throws: FilterError.self) { try FilterTime.parse(text, now: 1_000_000) }
  }

  @Test("Any soup of tokens parses or fails with a column inside the text; nothing traps")
  func tokenSoup() {
    let pieces = [
      "host", "net", "port", "src", "dst", "and", "or", "not", "(", ")", "!", "&&", "||", "proto", "tcp", "22",
      "10.0.0.1",
      "::1", "10.0.0.0/8", "@x", "@", "bytes", ">=", "<", "=", "packets", "-", "1-2", "65536", "é", "action", "reject",
      "\t", "service", "S3", "interface", "eni-1", "vpc", "\u{0}",
    ]
    var state: UInt64 = 0x5EED
    for _ in 0..<3000 {
      var text = ""
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      for i in 0..<Int(state >> 61) + 1 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        text += (i > 0 && state & 1 == 0 ? " " : "") + pieces[Int(state >> 33) % pieces.count]
      }
      do {
        _ = try FilterParser.parse(text)
      } catch {
        let column = error.column ?? 0
        #expect(column >= 1 && column <= text.count + 1, "\(text): \(error)")
      }
    }
  }

  @Test("A primitive on fields no layout has is false; the expression is constant when it can be told")
  func fieldReasoning() throws {
    let v2 = FlowLayout.defaultV2.fields
    #expect(try FilterParser.parse("vpc vpc-1").constantValue(fieldsSeen: v2) == false)
    #expect(try FilterParser.parse("not vpc vpc-1").constantValue(fieldsSeen: v2) == true)
    #expect(try FilterParser.parse("vpc vpc-1 or port 22").constantValue(fieldsSeen: v2) == nil)
    #expect(try FilterParser.parse("vpc vpc-1 and port 22").constantValue(fieldsSeen: v2) == false)
    #expect(try FilterParser.parse("interface eni-1").constantValue(fieldsSeen: FieldSet([.resourceID])) == nil)
    let missing = try FilterParser.parse("port 22 and (subnet s-1 or service S3)").primitivesWithoutFields(v2)
    #expect(missing.map(\.column) == [14, 28])
  }
}

extension FilterExpression {
  /// The same tree with every column 0, to compare two spellings of one expression.
  fileprivate var withoutColumns: FilterExpression {
    switch self {
    case .primitive(let p, _): .primitive(p, column: 0)
    case .not(let x): .not(x.withoutColumns)
    case .and(let a, let b): .and(a.withoutColumns, b.withoutColumns)
    case .or(let a, let b): .or(a.withoutColumns, b.withoutColumns)
    }
  }
}
