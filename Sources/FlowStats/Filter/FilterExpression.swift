import FlowLogParser

/// A parsed `--where` expression: primitives joined by `and`, `or` and `not`. Network names
/// (`net @corporate`) are still names here; ``CompiledFilter`` resolves them against a policy.
public indirect enum FilterExpression: Sendable, Hashable {
  /// A test of one record, written at `column` (1-based; 0 for the bounds ``CompiledFilter``
  /// adds for `--since` and `--until`, which are not in the text).
  case primitive(FilterPrimitive, column: Int)
  /// True when the operand is false.
  case not(FilterExpression)
  /// True when both are.
  case and(FilterExpression, FilterExpression)
  /// True when either is.
  case or(FilterExpression, FilterExpression)

  /// Parses the text of `--where` (see ``FilterParser``).
  public init(parsing text: String) throws(FilterError) {
    self = try FilterParser.parse(text)
  }
}

/// Which address, port or service of a record a primitive looks at.
public enum FilterSide: Sendable, Hashable {
  /// The source (`src host …`).
  case source
  /// The destination (`dst port …`).
  case destination
  /// Either (no `src`/`dst`): true when the source or the destination matches.
  case either
}

/// How `packets` and `bytes` compare with a number.
public enum FilterComparison: String, Sendable, Hashable, CaseIterable {
  case equal = "="
  case notEqual = "!="
  case less = "<"
  case lessOrEqual = "<="
  case greater = ">"
  case greaterOrEqual = ">="

  /// Whether `value` compares so with `operand`.
  @inline(__always)
  func holds(_ value: UInt64, _ operand: UInt64) -> Bool {
    switch self {
    case .equal: value == operand
    case .notEqual: value != operand
    case .less: value < operand
    case .lessOrEqual: value <= operand
    case .greater: value > operand
    case .greaterOrEqual: value >= operand
    }
  }
}

/// One test of the filter grammar.
public enum FilterPrimitive: Sendable, Hashable {
  /// `[src|dst] host ADDR`.
  case host(FilterSide, IPAddress)
  /// `[src|dst] net CIDR`.
  case net(FilterSide, CIDR)
  /// `[src|dst] net @NAME`: a network of the policy.
  case namedNet(FilterSide, String)
  /// `[src|dst] port N` or `port N-M`.
  case port(FilterSide, ClosedRange<UInt16>)
  /// `proto tcp|udp|icmp|icmpv6|N`.
  case proto(UInt8)
  /// `action accept|reject`.
  case action(FlowAction)
  /// `status ok|nodata|skipdata`.
  case status(LogStatus)
  /// `interface ID`: the interface-id, or the resource-id where interface-id is `-`.
  case interface(String)
  /// `account ID`, `vpc ID`, `subnet ID`, `instance ID`, `direction ingress|egress`: a text field
  /// equal to the value.
  case text(FlowField, String)
  /// `[src|dst] service NAME`: pkt-src-aws-service / pkt-dst-aws-service, letter case ignored.
  case service(FilterSide, String)
  /// `packets OP N`, `bytes OP N`.
  case count(FlowField, FilterComparison, UInt64)
  /// `--since T`: the record's `end` is at or after T.
  case endsAtOrAfter(UInt64)
  /// `--until T`: the record's `start` is before T.
  case startsBefore(UInt64)

  /// The fields the test reads: it can be true only for a record whose layout has one of them.
  public var fields: [FlowField] {
    switch self {
    case .host(let side, _), .net(let side, _), .namedNet(let side, _):
      Self.sided(side, .srcaddr, .dstaddr)
    case .port(let side, _): Self.sided(side, .srcport, .dstport)
    case .proto: [.protocol]
    case .action: [.action]
    case .status: [.logStatus]
    case .interface: [.interfaceID, .resourceID]
    case .text(let field, _): [field]
    case .service(let side, _): Self.sided(side, .pktSrcAWSService, .pktDstAWSService)
    case .count(let field, _, _): [field]
    case .endsAtOrAfter: [.end]
    case .startsBefore: [.start]
    }
  }

  private static func sided(_ side: FilterSide, _ source: FlowField, _ destination: FlowField) -> [FlowField] {
    switch side {
    case .source: [source]
    case .destination: [destination]
    case .either: [source, destination]
    }
  }
}
