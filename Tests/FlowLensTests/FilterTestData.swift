import Foundation

/// Flow log records made by the tests of `--where`, `--since` and `--until`, with a reference
/// evaluator of the filter grammar written apart from the code under test: addresses are kept as
/// numbers and spelled by this file (IPv6 compressed or expanded), prefixes are masked here, and a
/// missing value is false here, so a result that agrees with flowlens's is evidence, not an echo.
enum FilterTestData {
  /// An IPv4 or IPv6 address as numbers.
  struct Address: Hashable {
    var isIPv6: Bool
    var high: UInt64 = 0
    var low: UInt64

    static func v4(_ a: UInt64, _ b: UInt64, _ c: UInt64, _ d: UInt64) -> Address {
      Address(isIPv6: false, low: a << 24 | b << 16 | c << 8 | d)
    }

    static func v6(_ groups: [UInt64]) -> Address {
      precondition(groups.count == 8)
      var high: UInt64 = 0
      var low: UInt64 = 0
      for (i, g) in groups.enumerated() {
        if i < 4 { high |= g << UInt64(48 - 16 * i) } else { low |= g << UInt64(48 - 16 * (i - 4)) }
      }
      return Address(isIPv6: true, high: high, low: low)
    }

    var groups: [UInt64] {
      (0..<8).map { (i: Int) -> UInt64 in
        let word: UInt64 = i < 4 ? high : low
        let shift = UInt64(48 - 16 * (i % 4))
        return (word >> shift) & 0xFFFF
      }
    }

    /// Dotted quad, or IPv6 with the longest run of two or more zero groups as `::` (RFC 5952),
    /// or all eight groups zero-padded when `expanded`.
    func text(expanded: Bool = false) -> String {
      if !isIPv6 { return [24, 16, 8, 0].map { String((low >> UInt64($0)) & 0xFF) }.joined(separator: ".") }
      let g = groups
      if expanded { return g.map { String(format: "%04x", $0) }.joined(separator: ":") }
      var best = (start: -1, length: 0)
      var i = 0
      while i < 8 {
        if g[i] == 0 {
          var j = i
          while j < 8 && g[j] == 0 { j += 1 }
          if j - i > best.length && j - i >= 2 { best = (i, j - i) }
          i = j
        } else {
          i += 1
        }
      }
      let hex = g.map { String($0, radix: 16) }
      guard best.start >= 0 else { return hex.joined(separator: ":") }
      let head = hex[..<best.start].joined(separator: ":")
      let tail = hex[(best.start + best.length)...].joined(separator: ":")
      return head + "::" + tail
    }

    /// The first `length` bits kept, the rest cleared.
    func masked(_ length: Int) -> Address {
      if !isIPv6 {
        return Address(isIPv6: false, low: length == 0 ? 0 : low & (0xFFFF_FFFF << UInt64(32 - length)) & 0xFFFF_FFFF)
      }
      func mask(_ bits: Int) -> UInt64 { bits <= 0 ? 0 : bits >= 64 ? .max : ~(UInt64.max >> UInt64(bits)) }
      return Address(isIPv6: true, high: high & mask(length), low: low & mask(length - 64))
    }
  }

  /// A prefix: an address with its host bits cleared, and a length.
  struct Prefix: Hashable {
    var address: Address
    var length: Int
    func contains(_ a: Address) -> Bool { a.isIPv6 == address.isIPv6 && a.masked(length) == address }
    var text: String { "\(address.text())/\(length)" }
  }

  /// The policy networks the tests name with `@corp` and `@lab`.
  static let networks: [String: [Prefix]] = [
    "corp": [
      Prefix(address: .v4(203, 0, 113, 0), length: 24),
      Prefix(address: .v6([0x2001, 0xdb8, 0x100, 0, 0, 0, 0, 0]), length: 48),
    ],
    "lab": [Prefix(address: .v4(10, 0, 2, 0), length: 24), Prefix(address: .v4(198, 51, 100, 0), length: 25)],
  ]

  static let policyYAML = """
    version: 1
    networks:
      corp: [203.0.113.0/24, "2001:db8:100::/48"]
      lab: [10.0.2.0/24, 198.51.100.0/25]
    """

  static let addresses4: [Address] = [
    .v4(10, 0, 1, 5), .v4(10, 0, 1, 9), .v4(10, 0, 2, 7), .v4(203, 0, 113, 10), .v4(203, 0, 113, 77),
    .v4(198, 51, 100, 4), .v4(198, 51, 100, 200), .v4(45, 155, 205, 3), .v4(52, 216, 1, 20),
  ]
  static let addresses6: [Address] = [
    .v6([0x2001, 0xdb8, 0x100, 0, 0, 0, 0, 5]), .v6([0x2001, 0xdb8, 0x100, 0, 0, 0, 1, 5]),
    .v6([0x2600, 0x1f18, 0xabcd, 2, 0, 0, 0, 0x10]), .v6([0xfd00, 0, 0, 0, 0, 0, 0, 1]),
    .v6([0x2001, 0xdb8, 0, 0, 1, 0, 0, 1]), .v6([0x2001, 0xdb8, 0x200, 0, 0, 0, 0, 0x20]),
  ]
  static let ports: [Int] = [22, 443, 3389, 53, 80, 5432, 0, 49152, 60000, 1024, 8080]
  static let protocols: [Int] = [6, 6, 6, 17, 1, 58]
  static let interfaces = ["eni-0a1b2c3d4e5f60718", "eni-0f9e8d7c6b5a43210", "eni-05a5a5a5a5a5a5a5a"]
  static let resources = ["nat-0123456789abcdef0", "tgw-attach-0aa"]
  static let accounts = ["123456789012", "210987654321"]
  static let vpcs = ["vpc-0aaa", "vpc-0bbb"]
  static let subnets = ["subnet-01", "subnet-02", "subnet-03"]
  static let instances = ["i-0abc", "i-0def"]
  static let services = ["S3", "AMAZON", "EC2", "DYNAMODB"]
  static let base: UInt64 = 1_732_579_200  // 2024-11-26T00:00:00Z

  /// One record, every value nil when the record lacks it.
  struct Record: Hashable {
    var version = 5
    var account: String?
    var interface: String?
    var resource: String?
    var src: Address?
    var dst: Address?
    var srcport: Int?
    var dstport: Int?
    var proto: Int?
    var packets: UInt64?
    var bytes: UInt64?
    var start: UInt64?
    var end: UInt64?
    var action: String?
    var status: String?
    var vpc: String?
    var subnet: String?
    var instance: String?
    var direction: String?
    var srcService: String?
    var dstService: String?

    /// The identity compared with `records --format ndjson` output.
    var identity: String {
      func n<T: BinaryInteger>(_ v: T?) -> String { v.map { String($0) } ?? "-" }
      let numbers: [String] = [n(srcport), n(dstport), n(proto), n(packets), n(bytes), n(start), n(end)]
      return (numbers + [action ?? "-", status ?? "-"]).joined(separator: " ")
    }

    /// This record's identity read back from one NDJSON object of `records`.
    static func identity(ofJSON object: [String: Any]) -> String {
      ["srcport", "dstport", "protocol", "packets", "bytes", "start", "end", "action", "log-status"].map {
        switch object[$0] {
        case let n as NSNumber: n.stringValue
        case let s as String: s
        default: "-"
        }
      }.joined(separator: " ")
    }
  }

  /// The full custom layout the tests write in S3 header lines.
  static let customHeader =
    "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status "
    + "vpc-id subnet-id instance-id flow-direction pkt-src-aws-service pkt-dst-aws-service resource-id"

  static func line(_ r: Record, custom: Bool) -> String {
    func s(_ v: String?) -> String { v ?? "-" }
    func n<T: BinaryInteger>(_ v: T?) -> String { v.map { String($0) } ?? "-" }
    let source = r.src.map { $0.text(expanded: $0.low & 1 == 1) }
    var fields: [String] = [String(r.version), s(r.account), s(r.interface), s(source), s(r.dst?.text())]
    fields += [n(r.srcport), n(r.dstport), n(r.proto), n(r.packets), n(r.bytes), n(r.start), n(r.end)]
    fields += [s(r.action), s(r.status)]
    if custom {
      fields += [s(r.vpc), s(r.subnet), s(r.instance), s(r.direction), s(r.srcService), s(r.dstService), s(r.resource)]
    }
    return fields.joined(separator: " ")
  }

  /// `count` random records; those of v2 files lack the custom fields (`custom` false).
  static func records<G: RandomNumberGenerator>(_ count: Int, custom: Bool, using g: inout G) -> [Record] {
    (0..<count).map { _ in
      var r = Record()
      r.version = custom ? 5 : 2
      func maybe<T>(_ value: @autoclosure () -> T, absent: Double = 0.08) -> T? {
        Double.random(in: 0..<1, using: &g) < absent ? nil : value()
      }
      r.account = maybe(accounts.randomElement(using: &g)!)
      let start = base + UInt64.random(in: 0..<3600, using: &g)
      r.start = maybe(start, absent: 0.03)
      r.end = maybe(start + UInt64.random(in: 0...120, using: &g), absent: 0.03)
      let roll = Double.random(in: 0..<1, using: &g)
      if roll < 0.06 {
        r.status = roll < 0.04 ? "NODATA" : "SKIPDATA"
        r.interface = interfaces.randomElement(using: &g)!
        return r
      }
      r.status = maybe("OK", absent: 0.02)
      if Double.random(in: 0..<1, using: &g) < 0.12 && custom {
        r.resource = resources.randomElement(using: &g)!
      } else {
        r.interface = maybe(interfaces.randomElement(using: &g)!)
        if custom { r.resource = maybe(resources.randomElement(using: &g)!, absent: 0.8) }
      }
      let pool = Bool.random(using: &g) ? addresses4 : addresses6
      r.src = maybe(pool.randomElement(using: &g)!)
      r.dst = maybe(pool.randomElement(using: &g)!)
      r.srcport = maybe(ports.randomElement(using: &g)!)
      r.dstport = maybe(ports.randomElement(using: &g)!)
      r.proto = maybe(protocols.randomElement(using: &g)!)
      let packets = UInt64.random(in: 1...100, using: &g)
      r.packets = maybe(packets)
      r.bytes = maybe(packets * UInt64.random(in: 40...1500, using: &g))
      r.action = maybe(Bool.random(using: &g) ? "ACCEPT" : "REJECT")
      if custom {
        r.vpc = maybe(vpcs.randomElement(using: &g)!)
        r.subnet = maybe(subnets.randomElement(using: &g)!)
        r.instance = maybe(instances.randomElement(using: &g)!, absent: 0.3)
        r.direction = maybe(Bool.random(using: &g) ? "ingress" : "egress")
        r.srcService = maybe(services.randomElement(using: &g)!, absent: 0.6)
        r.dstService = maybe(services.randomElement(using: &g)!, absent: 0.6)
      }
      return r
    }
  }
}
