import FlowLogParser

/// A `--where` expression with `--since` and `--until`, compiled once into a flat array of nodes
/// that ``matches(_:)`` walks for each record: a `switch` per node, no allocation, no dynamic
/// dispatch per primitive. Network names are resolved to address sets when compiling.
public final class CompiledFilter: RecordFilter {
  /// The `--where` text as given; nil without `--where`.
  public let expressionText: String?
  /// `--since`, Unix seconds: records whose `end` is at or after it are kept.
  public let since: UInt64?
  /// `--until`, Unix seconds: records whose `start` is before it are kept.
  public let until: UInt64?
  /// The whole test (expression and time bounds) as a tree, for reasoning about fields.
  public let expression: FilterExpression

  private let nodes: [Node]
  private let root: Int
  private let addressSets: [AddressSet]
  private let texts: [[UInt8]]

  private enum Test {
    case address(FilterSide, IPAddress)
    case addressIn(FilterSide, set: Int)
    case port(FilterSide, UInt16, UInt16)
    case integer(FlowField, FilterComparison, UInt64)
    case action(FlowAction)
    case status(LogStatus)
    case interface(text: Int)
    case text(FlowField, text: Int)
    case service(FilterSide, text: Int)
  }

  private enum Node {
    case test(Test)
    case not(Int)
    case and(Int, Int)
    case or(Int, Int)
  }

  /// Compiles `expression` (the parse of `text`) with the time bounds; `@NAME` networks are
  /// looked up in `networks`. Nil parts are left out; at least one must be given.
  /// - Throws: ``FilterError`` for a network name the policy does not define.
  public init(
    expression parsed: FilterExpression?, text: String?, since: UInt64?, until: UInt64?,
    networks: [String: AddressSet]
  ) throws(FilterError) {
    expressionText = text
    self.since = since
    self.until = until
    var whole = parsed
    if let since {
      let bound = FilterExpression.primitive(.endsAtOrAfter(since), column: 0)
      whole = whole.map { .and($0, bound) } ?? bound
    }
    if let until {
      let bound = FilterExpression.primitive(.startsBefore(until), column: 0)
      whole = whole.map { .and($0, bound) } ?? bound
    }
    guard let whole else { preconditionFailure("a filter needs an expression or a time bound") }
    expression = whole
    var builder = Builder(networks: networks)
    root = try builder.add(whole)
    nodes = builder.nodes
    addressSets = builder.addressSets
    texts = builder.texts
  }

  private struct Builder {
    let networks: [String: AddressSet]
    var nodes: [Node] = []
    var addressSets: [AddressSet] = []
    var texts: [[UInt8]] = []

    mutating func add(_ expression: FilterExpression) throws(FilterError) -> Int {
      let node: Node
      switch expression {
      case .not(let x): node = .not(try add(x))
      case .and(let a, let b): node = .and(try add(a), try add(b))
      case .or(let a, let b): node = .or(try add(a), try add(b))
      case .primitive(let primitive, let column): node = .test(try test(primitive, column: column))
      }
      nodes.append(node)
      return nodes.count - 1
    }

    mutating func text(_ value: String) -> Int {
      texts.append(Array(value.utf8))
      return texts.count - 1
    }

    mutating func test(_ primitive: FilterPrimitive, column: Int) throws(FilterError) -> Test {
      switch primitive {
      case .host(let side, let address): return .address(side, address)
      case .net(let side, let cidr):
        addressSets.append(AddressSet([cidr]))
        return .addressIn(side, set: addressSets.count - 1)
      case .namedNet(let side, let name):
        guard let set = networks[name] else {
          let known = networks.keys.sorted().map { "@\($0)" }.joined(separator: ", ")
          throw FilterError(
            column: column,
            "no network named @\(name) in the policy" + (known.isEmpty ? "" : " (it defines \(known))"))
        }
        addressSets.append(set)
        return .addressIn(side, set: addressSets.count - 1)
      case .port(let side, let range): return .port(side, range.lowerBound, range.upperBound)
      case .proto(let number): return .integer(.protocol, .equal, UInt64(number))
      case .action(let action): return .action(action)
      case .status(let status): return .status(status)
      case .interface(let id): return .interface(text: text(id))
      case .text(let field, let value): return .text(field, text: text(value))
      case .service(let side, let name): return .service(side, text: text(name.uppercased()))
      case .count(let field, let comparison, let value): return .integer(field, comparison, value)
      case .endsAtOrAfter(let time): return .integer(.end, .greaterOrEqual, time)
      case .startsBefore(let time): return .integer(.start, .less, time)
      }
    }
  }

  /// Whether `record` passes the expression and the time bounds.
  public func matches(_ record: FlowRecord) -> Bool {
    nodes.withUnsafeBufferPointer { evaluate(root, in: $0, record) }
  }

  private func evaluate(_ index: Int, in nodes: UnsafeBufferPointer<Node>, _ record: FlowRecord) -> Bool {
    switch nodes[index] {
    case .test(let test): evaluate(test, record)
    case .not(let x): !evaluate(x, in: nodes, record)
    case .and(let a, let b): evaluate(a, in: nodes, record) && evaluate(b, in: nodes, record)
    case .or(let a, let b): evaluate(a, in: nodes, record) || evaluate(b, in: nodes, record)
    }
  }

  @inline(__always)
  private func evaluate(_ test: Test, _ record: FlowRecord) -> Bool {
    switch test {
    case .address(let side, let address):
      return Self.either(side, record.address(.srcaddr), record.address(.dstaddr)) { $0 == address }
    case .addressIn(let side, let set):
      return Self.either(side, record.address(.srcaddr), record.address(.dstaddr)) { addressSets[set].contains($0) }
    case .port(let side, let low, let high):
      return Self.either(side, record.integer(.srcport), record.integer(.dstport)) {
        $0 >= UInt64(low) && $0 <= UInt64(high)
      }
    case .integer(let field, let comparison, let value):
      guard let actual = record.integer(field) else { return false }
      return comparison.holds(actual, value)
    case .action(let action): return record.action == action
    case .status(let status): return record.logStatus == status
    case .interface(let text):
      return Self.equal(record.interfaceOrResourceID, texts[text], ignoringCase: false)
    case .text(let field, let text): return Self.equal(record.text(field), texts[text], ignoringCase: false)
    case .service(let side, let text):
      return Self.either(side, record.text(.pktSrcAWSService), record.text(.pktDstAWSService)) {
        Self.equal($0, texts[text], ignoringCase: true)
      }
    }
  }

  /// The test on the source, the destination, or either, as `side` says; an absent value is false.
  @inline(__always)
  private static func either<T>(_ side: FilterSide, _ source: T?, _ destination: T?, _ test: (T) -> Bool) -> Bool {
    switch side {
    case .source: source.map(test) ?? false
    case .destination: destination.map(test) ?? false
    case .either: (source.map(test) ?? false) || (destination.map(test) ?? false)
    }
  }

  /// Whether the bytes equal `value` (upper-case ASCII when `ignoringCase`).
  @inline(__always)
  private static func equal(_ bytes: UnsafeRawBufferPointer?, _ value: [UInt8], ignoringCase: Bool) -> Bool {
    guard let bytes, bytes.count == value.count else { return false }
    for i in 0..<value.count {
      var b = bytes[i]
      if ignoringCase && b &- 0x61 < 26 { b &-= 0x20 }
      if b != value[i] { return false }
    }
    return true
  }
}
