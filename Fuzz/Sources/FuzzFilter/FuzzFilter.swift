import FlowLogParser
import FlowStats

/// `--where` over arbitrary text: the parser may reject anything, but never crash or hang, and its
/// errors point inside the text. An expression that parses compiles, and on every record of a
/// small fixed log it and its negation disagree (a filter is a total function of the record).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  let expression: FilterExpression
  do {
    expression = try FilterParser.parse(text)
  } catch {
    if let column = error.column, column < 1 || column > text.count + 1 {
      fatalError("column \(column) outside \(text)")
    }
    return 0
  }
  let networks = ["x": AddressSet([CIDR("10.0.0.0/8")!, CIDR("2001:db8::/32")!])]
  guard let filter = try? CompiledFilter(expression: expression, text: text, since: 5, until: nil, networks: networks),
    let negation = try? CompiledFilter(
      expression: .not(expression), text: nil, since: nil, until: nil, networks: networks),
    let plain = try? CompiledFilter(expression: expression, text: nil, since: nil, until: nil, networks: networks)
  else { return 0 }  // an unknown @NAME
  var sink = Disagreement(plain: plain, negation: negation)
  var issues = IssueLog()
  _ = FlowLogReader(options: ReaderOptions(filter: filter)).read(
    MemorySource(log), name: "fuzz", into: &sink, issues: &issues)
  _ = FlowLogReader().read(MemorySource(log), name: "fuzz", into: &sink, issues: &issues)
  return 0
}

private struct Disagreement: FlowRecordSink {
  let plain: CompiledFilter
  let negation: CompiledFilter
  mutating func consume(_ record: FlowRecord, at position: RecordPosition) {
    if plain.matches(record) == negation.matches(record) { fatalError("a filter and its negation agree") }
  }
}

private let log = Array(
  """
  version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status vpc-id pkt-src-aws-service flow-direction resource-id
  5 1 eni-1 10.0.0.1 203.0.113.9 443 22 6 10 840 10 20 ACCEPT OK vpc-1 S3 ingress -
  5 1 - 2001:db8::1 2001:db8:0:0:1::1 53 53 17 1 80 1 4 REJECT OK - - egress nat-1
  5 1 eni-1 - - - - - - - 1 60 - NODATA - - - -
  2 1 eni-2 10.0.0.2 10.0.0.3 1 2 1 1 1 1 2 ACCEPT OK
  """.utf8)
