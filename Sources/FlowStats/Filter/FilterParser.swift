import FlowLogParser

/// Parses the `--where` grammar (keywords case-insensitive, as tcpdump and nfdump users expect):
///
/// ```
/// expr      := term ('or' term)*             term := factor ('and' factor)*
/// factor    := 'not' factor | '(' expr ')' | primitive
/// primitive := [src|dst] host ADDR | [src|dst] net CIDR | [src|dst] net @NAME
///            | [src|dst] port N | [src|dst] port N-M | proto tcp|udp|icmp|icmpv6|N
///            | action accept|reject | status ok|nodata|skipdata
///            | interface ID | account ID | vpc ID | subnet ID | instance ID
///            | direction ingress|egress | [src|dst] service NAME
///            | packets OP N | bytes OP N                  (OP: = != < <= > >=)
/// ```
///
/// `&&`, `||` and `!` may stand for `and`, `or` and `not`, and `tcp`, `udp`, `icmp`, `icmpv6` for
/// `proto …`, as in tcpdump. Every error names the column it is at.
public enum FilterParser {
  /// The expression `text` stands for.
  public static func parse(_ text: String) throws(FilterError) -> FilterExpression {
    var parser = Parser(tokens: FilterToken.tokens(of: text), end: text.count + 1)
    guard !parser.tokens.isEmpty else { throw FilterError(column: 1, "the expression is empty") }
    let expression = try parser.expression()
    if let extra = parser.peek {
      throw FilterError(
        column: extra.column, "expected 'and', 'or' or the end of the expression, found \(quoted(extra))")
    }
    return expression
  }

  static func quoted(_ token: FilterToken?) -> String {
    token.map { "\"\($0.text)\"" } ?? "the end of the expression"
  }
}

private struct Parser {
  let tokens: [FilterToken]
  /// The column just past the expression, for errors at its end.
  let end: Int
  var index = 0

  init(tokens: [FilterToken], end: Int) {
    self.tokens = tokens
    self.end = end
  }

  var peek: FilterToken? { index < tokens.count ? tokens[index] : nil }

  mutating func next() -> FilterToken? {
    guard let token = peek else { return nil }
    index += 1
    return token
  }

  func failure(_ expected: String, at token: FilterToken?) -> FilterError {
    FilterError(column: token?.column ?? end, "expected \(expected), found \(FilterParser.quoted(token))")
  }

  /// Whether the next token is the keyword `word` (or one of its symbol spellings); consumes it.
  mutating func accept(_ word: String, symbol: String? = nil) -> Bool {
    guard let token = peek else { return false }
    let hit =
      (token.kind == .word && token.keyword == word) || (symbol != nil && token.kind == .symbol && token.text == symbol)
    if hit { index += 1 }
    return hit
  }

  mutating func expression() throws(FilterError) -> FilterExpression {
    var result = try term()
    while accept("or", symbol: "||") { result = .or(result, try term()) }
    return result
  }

  mutating func term() throws(FilterError) -> FilterExpression {
    var result = try factor()
    while accept("and", symbol: "&&") { result = .and(result, try factor()) }
    return result
  }

  mutating func factor() throws(FilterError) -> FilterExpression {
    if accept("not", symbol: "!") { return .not(try factor()) }
    guard let token = peek else { throw failure("a test such as 'host 10.0.0.1' or 'port 22'", at: nil) }
    if token.kind == .open {
      index += 1
      let inner = try expression()
      guard let close = peek, close.kind == .close else {
        throw failure("')' to close the '(' at column \(token.column)", at: peek)
      }
      index += 1
      return inner
    }
    return .primitive(try primitive(), column: token.column)
  }

  mutating func primitive() throws(FilterError) -> FilterPrimitive {
    guard let first = next() else { throw failure("a test", at: nil) }
    guard first.kind == .word else { throw failure("a test such as 'host 10.0.0.1' or 'port 22'", at: first) }
    var side = FilterSide.either
    var keywordToken = first
    switch first.keyword {
    case "src", "dst":
      side = first.keyword == "src" ? .source : .destination
      guard let k = peek, k.kind == .word, ["host", "net", "port", "service"].contains(k.keyword) else {
        throw failure("'host', 'net', 'port' or 'service' after '\(first.text)'", at: peek)
      }
      index += 1
      keywordToken = k
    default: break
    }
    let keyword = keywordToken.keyword
    switch keyword {
    case "host":
      let value = try word("an IPv4 or IPv6 address after 'host'")
      if value.text.contains("/") {
        throw FilterError(column: value.column, "a host is one address; for a prefix write 'net \(value.text)'")
      }
      guard let address = IPAddress(text: value.text) else {
        throw FilterError(column: value.column, "expected an IPv4 or IPv6 address, found \(FilterParser.quoted(value))")
      }
      return .host(side, address)
    case "net":
      let value = try word("a CIDR prefix or @NAME after 'net'")
      if value.text.hasPrefix("@") {
        let name = String(value.text.dropFirst())
        guard !name.isEmpty else { throw FilterError(column: value.column, "expected a network name after '@'") }
        return .namedNet(side, name)
      }
      guard let cidr = CIDR(value.text) else {
        throw FilterError(
          column: value.column,
          "expected a CIDR prefix such as 10.0.0.0/8 or @NAME, found \(FilterParser.quoted(value))")
      }
      guard CIDR(value.text, strict: true) != nil else {
        throw FilterError(column: value.column, "\(value.text) has host bits set; did you mean \(cidr)?")
      }
      return .net(side, cidr)
    case "port":
      let value = try word("a port number or range after 'port'")
      return .port(side, try portRange(value))
    case "service":
      let value = try word("an AWS service name (such as S3 or AMAZON) after 'service'")
      return .service(side, value.text)
    case "proto":
      let value = try word("a protocol (tcp, udp, icmp, icmpv6 or 0-255) after 'proto'")
      guard let number = Self.protocolNumber(value.text) else {
        throw FilterError(
          column: value.column,
          "expected a protocol (tcp, udp, icmp, icmpv6 or 0-255), found \(FilterParser.quoted(value))")
      }
      return .proto(number)
    case "tcp", "udp", "icmp", "icmpv6":
      return .proto(Self.protocolNumber(keyword)!)
    case "action":
      let value = try word("accept or reject after 'action'")
      switch value.keyword {
      case "accept": return .action(.accept)
      case "reject": return .action(.reject)
      default: throw failure("accept or reject", at: value)
      }
    case "status":
      let value = try word("ok, nodata or skipdata after 'status'")
      switch value.keyword {
      case "ok": return .status(.ok)
      case "nodata": return .status(.nodata)
      case "skipdata": return .status(.skipdata)
      default: throw failure("ok, nodata or skipdata", at: value)
      }
    case "direction":
      let value = try word("ingress or egress after 'direction'")
      guard value.keyword == "ingress" || value.keyword == "egress" else {
        throw failure("ingress or egress", at: value)
      }
      return .text(.flowDirection, value.keyword)
    case "interface":
      return .interface(try word("an interface id (eni-…) after 'interface'").text)
    case "account", "vpc", "subnet", "instance":
      let field: FlowField =
        switch keyword {
        case "account": .accountID
        case "vpc": .vpcID
        case "subnet": .subnetID
        default: .instanceID
        }
      return .text(field, try word("an id after '\(keywordToken.text)'").text)
    case "packets", "bytes":
      guard let op = peek, op.kind == .symbol, let comparison = Self.comparison(op.text) else {
        throw failure("a comparison (=, !=, <, <=, >, >=) after '\(keywordToken.text)'", at: peek)
      }
      index += 1
      let value = try word("a number after '\(keywordToken.text) \(op.text)'")
      guard value.text.allSatisfy({ $0.isASCII && $0.isNumber }), let number = UInt64(value.text) else {
        throw FilterError(column: value.column, "expected a whole number, found \(FilterParser.quoted(value))")
      }
      return .count(keyword == "packets" ? .packets : .bytes, comparison, number)
    default:
      throw FilterError(
        column: keywordToken.column,
        "expected a test (host, net, port, proto, action, status, interface, account, vpc, subnet, instance, "
          + "direction, service, packets, bytes), found \(FilterParser.quoted(keywordToken))")
    }
  }

  /// The next token, which must be a word (a value).
  mutating func word(_ expected: String) throws(FilterError) -> FilterToken {
    guard let token = peek, token.kind == .word else { throw failure(expected, at: peek) }
    index += 1
    return token
  }

  func portRange(_ token: FilterToken) throws(FilterError) -> ClosedRange<UInt16> {
    let parts = token.text.split(separator: "-", omittingEmptySubsequences: false)
    var numbers: [UInt16] = []
    var column = token.column
    for part in parts {
      guard parts.count <= 2, !part.isEmpty, part.count <= 5, part.allSatisfy({ $0.isASCII && $0.isNumber }),
        let n = UInt32(part), n <= 65_535
      else {
        throw FilterError(
          column: column, "expected a port number (0-65535) or a range N-M, found \(FilterParser.quoted(token))")
      }
      numbers.append(UInt16(n))
      column += part.count + 1
    }
    guard numbers.first! <= numbers.last! else {
      throw FilterError(column: token.column, "the port range \(token.text) ends before it starts")
    }
    return numbers.first!...numbers.last!
  }

  static func protocolNumber(_ text: String) -> UInt8? {
    switch text.lowercased() {
    case "tcp": 6
    case "udp": 17
    case "icmp": 1
    case "icmpv6", "ipv6-icmp": 58
    default: text.allSatisfy({ $0.isASCII && $0.isNumber }) && text.count <= 3 ? UInt8(text) : nil
    }
  }

  static func comparison(_ text: String) -> FilterComparison? {
    text == "==" ? .equal : FilterComparison(rawValue: text)
  }
}
