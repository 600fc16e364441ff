import Foundation

/// A filter expression as the tests build it: rendered to `--where` text in random spellings,
/// and evaluated over ``FilterTestData/Record`` by rules written here, apart from flowlens.
indirect enum ReferenceFilter {
  enum Side: CaseIterable { case source, destination, either }

  enum Primitive {
    case host(Side, FilterTestData.Address)
    case net(Side, FilterTestData.Prefix)
    case namedNet(Side, String)
    case port(Side, ClosedRange<Int>)
    case proto(Int, spelling: String)
    case action(String)
    case status(String)
    case interface(String)
    case account(String)
    case vpc(String)
    case subnet(String)
    case instance(String)
    case direction(String)
    case service(Side, String)
    case packets(String, UInt64)
    case bytes(String, UInt64)
  }

  case primitive(Primitive)
  case not(ReferenceFilter)
  case and(ReferenceFilter, ReferenceFilter)
  case or(ReferenceFilter, ReferenceFilter)

  // MARK: Evaluation

  func matches(_ r: FilterTestData.Record) -> Bool {
    switch self {
    case .not(let x): return !x.matches(r)
    case .and(let a, let b): return a.matches(r) && b.matches(r)
    case .or(let a, let b): return a.matches(r) || b.matches(r)
    case .primitive(let p): return Self.matches(p, r)
    }
  }

  private static func sided<T>(_ side: Side, _ s: T?, _ d: T?, _ test: (T) -> Bool) -> Bool {
    let sourceHit = s.map(test) ?? false
    let destinationHit = d.map(test) ?? false
    switch side {
    case .source: return sourceHit
    case .destination: return destinationHit
    case .either: return sourceHit || destinationHit
    }
  }

  private static func compare(_ op: String, _ value: UInt64?, _ n: UInt64) -> Bool {
    guard let value else { return false }
    switch op {
    case "=", "==": return value == n
    case "!=": return value != n
    case "<": return value < n
    case "<=": return value <= n
    case ">": return value > n
    default: return value >= n
    }
  }

  private static func matches(_ p: Primitive, _ r: FilterTestData.Record) -> Bool {
    switch p {
    case .host(let side, let a): return sided(side, r.src, r.dst) { $0 == a }
    case .net(let side, let prefix): return sided(side, r.src, r.dst) { prefix.contains($0) }
    case .namedNet(let side, let name):
      let prefixes = FilterTestData.networks[name]!
      return sided(side, r.src, r.dst) { a in prefixes.contains { $0.contains(a) } }
    case .port(let side, let range): return sided(side, r.srcport, r.dstport) { range.contains($0) }
    case .proto(let n, _): return r.proto == n
    case .action(let a): return r.action == a.uppercased()
    case .status(let s): return r.status == s.uppercased()
    case .interface(let id): return (r.interface ?? r.resource) == id
    case .account(let id): return r.account == id
    case .vpc(let id): return r.vpc == id
    case .subnet(let id): return r.subnet == id
    case .instance(let id): return r.instance == id
    case .direction(let d): return r.direction == d.lowercased()
    case .service(let side, let name):
      return sided(side, r.srcService, r.dstService) { $0.uppercased() == name.uppercased() }
    case .packets(let op, let n): return compare(op, r.packets, n)
    case .bytes(let op, let n): return compare(op, r.bytes, n)
    }
  }

  // MARK: Text

  /// The expression as `--where` text: keywords in random case, `&&`/`||`/`!` now and then,
  /// parentheses only where precedence needs them (plus some redundant ones).
  func text<G: RandomNumberGenerator>(using g: inout G) -> String {
    render(parentLevel: 0, using: &g)
  }

  private var level: Int {
    switch self {
    case .or: 1
    case .and: 2
    case .not, .primitive: 3
    }
  }

  private func render<G: RandomNumberGenerator>(parentLevel: Int, using g: inout G) -> String {
    func kw(_ word: String, _ symbol: String) -> String {
      switch Int.random(in: 0..<5, using: &g) {
      case 0: return symbol
      case 1: return word.uppercased()
      default: return word
      }
    }
    let body: String
    switch self {
    case .primitive(let p): body = Self.text(p, using: &g)
    case .not(let x): body = "\(kw("not", "!")) \(x.render(parentLevel: 3, using: &g))"
    case .and(let a, let b):
      body = "\(a.render(parentLevel: 2, using: &g)) \(kw("and", "&&")) \(b.render(parentLevel: 3, using: &g))"
    case .or(let a, let b):
      body = "\(a.render(parentLevel: 1, using: &g)) \(kw("or", "||")) \(b.render(parentLevel: 2, using: &g))"
    }
    let needed = level < parentLevel
    return needed || (level < 3 && Int.random(in: 0..<6, using: &g) == 0) ? "(\(body))" : body
  }

  private static func text<G: RandomNumberGenerator>(_ p: Primitive, using g: inout G) -> String {
    func side(_ s: Side) -> String {
      switch s {
      case .source: Bool.random(using: &g) ? "src " : "SRC "
      case .destination: "dst "
      case .either: ""
      }
    }
    switch p {
    case .host(let s, let a): return "\(side(s))host \(a.text(expanded: Bool.random(using: &g)))"
    case .net(let s, let prefix): return "\(side(s))net \(prefix.text)"
    case .namedNet(let s, let name): return "\(side(s))Net @\(name)"
    case .port(let s, let range):
      return "\(side(s))port \(range.count == 1 ? "\(range.lowerBound)" : "\(range.lowerBound)-\(range.upperBound)")"
    case .proto(_, let spelling): return "proto \(spelling)"
    case .action(let a): return "action \(a)"
    case .status(let s): return "status \(s)"
    case .interface(let id): return "interface \(id)"
    case .account(let id): return "account \(id)"
    case .vpc(let id): return "vpc \(id)"
    case .subnet(let id): return "subnet \(id)"
    case .instance(let id): return "instance \(id)"
    case .direction(let d): return "direction \(d)"
    case .service(let s, let name): return "\(side(s))service \(name)"
    case .packets(let op, let n): return Bool.random(using: &g) ? "packets \(op) \(n)" : "packets\(op)\(n)"
    case .bytes(let op, let n): return "bytes \(op) \(n)"
    }
  }

  // MARK: Random expressions

  static func random<G: RandomNumberGenerator>(depth: Int, using g: inout G) -> ReferenceFilter {
    if depth == 0 || Int.random(in: 0..<3, using: &g) == 0 { return .primitive(randomPrimitive(using: &g)) }
    switch Int.random(in: 0..<5, using: &g) {
    case 0: return .not(random(depth: depth - 1, using: &g))
    case 1, 2: return .and(random(depth: depth - 1, using: &g), random(depth: depth - 1, using: &g))
    default: return .or(random(depth: depth - 1, using: &g), random(depth: depth - 1, using: &g))
    }
  }

  static func randomPrimitive<G: RandomNumberGenerator>(using g: inout G) -> Primitive {
    typealias D = FilterTestData
    let side = Side.allCases.randomElement(using: &g)!
    let ops = ["=", "!=", "<", "<=", ">", ">=", "=="]
    switch Int.random(in: 0..<17, using: &g) {
    case 0, 1:
      let pool = Bool.random(using: &g) ? D.addresses4 : D.addresses6
      return .host(side, pool.randomElement(using: &g)!)
    case 2, 3:
      let a = (Bool.random(using: &g) ? D.addresses4 : D.addresses6).randomElement(using: &g)!
      let length = a.isIPv6 ? Int.random(in: 16...128, using: &g) : Int.random(in: 8...32, using: &g)
      return .net(side, D.Prefix(address: a.masked(length), length: length))
    case 4: return .namedNet(side, Bool.random(using: &g) ? "corp" : "lab")
    case 5, 6:
      let low = D.ports.randomElement(using: &g)!
      if Bool.random(using: &g) { return .port(side, low...low) }
      return .port(side, low...min(65_535, low + Int.random(in: 0...5000, using: &g)))
    case 7:
      let choices: [(Int, String)] = [
        (6, "tcp"), (17, "UDP"), (1, "icmp"), (58, "icmpv6"), (6, "6"), (17, "17"), (47, "47"),
      ]
      let (n, spelling) = choices.randomElement(using: &g)!
      return .proto(n, spelling: spelling)
    case 8: return .action(["accept", "REJECT", "Accept"].randomElement(using: &g)!)
    case 9: return .status(["ok", "NODATA", "skipdata"].randomElement(using: &g)!)
    case 10: return .interface((D.interfaces + D.resources).randomElement(using: &g)!)
    case 11: return .account(D.accounts.randomElement(using: &g)!)
    case 12:
      return Bool.random(using: &g)
        ? .vpc(D.vpcs.randomElement(using: &g)!) : .subnet(D.subnets.randomElement(using: &g)!)
    case 13:
      return Bool.random(using: &g)
        ? .instance(D.instances.randomElement(using: &g)!)
        : .direction(["ingress", "EGRESS"].randomElement(using: &g)!)
    case 14: return .service(side, ["s3", "AMAZON", "Ec2", "KINESIS"].randomElement(using: &g)!)
    case 15: return .packets(ops.randomElement(using: &g)!, UInt64.random(in: 0...100, using: &g))
    default: return .bytes(ops.randomElement(using: &g)!, UInt64.random(in: 0...60_000, using: &g))
    }
  }
}
