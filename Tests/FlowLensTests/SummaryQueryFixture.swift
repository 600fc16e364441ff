import Foundation
import Testing

/// Generated flow log records for the `summary --by` / `--bucket` tests, with an independent
/// oracle: the expected rows are computed here from the generated fields, by a dictionary
/// grouping, never by flowlens.
struct SummaryQueryFixture {
  static let fields = [
    "version", "account-id", "interface-id", "srcaddr", "dstaddr", "srcport", "dstport", "protocol", "packets",
    "bytes", "start", "end", "action", "log-status", "vpc-id", "subnet-id", "instance-id", "flow-direction",
    "pkt-src-aws-service", "pkt-dst-aws-service", "traffic-path", "reject-reason", "resource-id",
  ]

  /// One record: its fields (`-` for absent) and the flow log its file belongs to.
  struct Record {
    var values: [String: String]
    var flowLog: String?
    /// The source and destination prefixes (`--source-prefix` 24, `--source-prefix6` 64).
    var srcPrefix: String?
    var dstPrefix: String?
  }

  var records: [Record] = []

  /// `count` records over small pools of values (so that groups repeat), IPv4 and IPv6, some
  /// fields absent, a few NODATA records and records without a start.
  init(count: Int, random: inout SplitMix64) {
    func pick<T>(_ pool: [T]) -> T { pool[Int.random(in: 0..<pool.count, using: &random)] }
    for _ in 0..<count {
      var v: [String: String] = [:]
      let ipv6 = Int.random(in: 0..<3, using: &random) == 0
      func address() -> (String, String) {
        if ipv6 {
          let net = Int.random(in: 1...3, using: &random)
          let host = String(Int.random(in: 1...20, using: &random), radix: 16)
          return ("2001:db8:0:\(net)::\(host)", "2001:db8:0:\(net)::/64")
        }
        let net = pick([1, 2, 3])
        return ("10.0.\(net).\(Int.random(in: 1...30, using: &random))", "10.0.\(net).0/24")
      }
      let (src, srcPrefix) = address()
      let (dst, dstPrefix) = address()
      let nodata = Int.random(in: 0..<25, using: &random) == 0
      v["version"] = "5"
      v["account-id"] = pick(["111111111111", "222222222222", "-"])
      let interface = pick(["eni-aaa", "eni-bbb", "eni-ccc", "-"])
      v["interface-id"] = interface
      v["resource-id"] = interface == "-" ? pick(["nat-111", "tgw-attach-222", "-"]) : "-"
      v["srcaddr"] = nodata ? "-" : pick([src, src, src, "-"])
      v["dstaddr"] = nodata ? "-" : dst
      v["srcport"] = nodata ? "-" : pick(["443", "22", "53", "\(Int.random(in: 30_000...30_010, using: &random))"])
      v["dstport"] = nodata ? "-" : pick(["443", "22", "53", "3389", "-"])
      v["protocol"] = nodata ? "-" : pick(["6", "6", "17", "1"])
      v["packets"] = nodata ? "-" : String(Int.random(in: 1...1_000, using: &random))
      v["bytes"] = nodata ? "-" : String(Int.random(in: 40...1_500_000, using: &random))
      let start = 1_732_579_200 + Int.random(in: 0..<7_200, using: &random)
      let noStart = Int.random(in: 0..<40, using: &random) == 0
      v["start"] = noStart ? "-" : String(start)
      v["end"] = noStart ? "-" : String(start + 60)
      v["action"] = nodata ? "-" : pick(["ACCEPT", "ACCEPT", "REJECT", "-"])
      v["log-status"] = nodata ? pick(["NODATA", "SKIPDATA"]) : "OK"
      v["vpc-id"] = pick(["vpc-1", "vpc-2", "-"])
      v["subnet-id"] = pick(["subnet-1", "subnet-2", "subnet-3", "-"])
      v["instance-id"] = pick(["i-1", "i-2", "-"])
      v["flow-direction"] = pick(["ingress", "egress", "-"])
      v["pkt-src-aws-service"] = pick(["S3", "-", "-"])
      v["pkt-dst-aws-service"] = pick(["DYNAMODB", "EC2", "-", "-"])
      v["traffic-path"] = pick(["1", "2", "8", "-"])
      v["reject-reason"] = pick(["BPA", "-", "-"])
      records.append(
        Record(
          values: v, flowLog: pick(["fl-0aaa111", "fl-0bbb222", nil]),
          srcPrefix: v["srcaddr"] == "-" ? nil : srcPrefix, dstPrefix: v["dstaddr"] == "-" ? nil : dstPrefix))
    }
  }

  /// Writes the records as S3-named objects per flow log (a plain name for records of none),
  /// each flow log's records cut into 1 to 3 files at random places; returns the directory.
  func write(in directory: URL, random: inout SplitMix64) throws {
    let header = Self.fields.joined(separator: " ")
    var shuffled = records
    shuffled.shuffle(using: &random)
    for flowLog in ["fl-0aaa111", "fl-0bbb222", nil] as [String?] {
      let mine = shuffled.filter { $0.flowLog == flowLog }
      let parts = Int.random(in: 1...3, using: &random)
      var cuts = Set<Int>()
      if mine.count > parts {
        while cuts.count < parts - 1 { cuts.insert(Int.random(in: 1..<mine.count, using: &random)) }
      }
      let bounds = [0] + cuts.sorted() + [mine.count]
      for k in 0..<bounds.count - 1 {
        let name =
          flowLog.map { "123456789012_vpcflowlogs_us-east-1_\($0)_20241126T00\(k)5Z_a1b2c3d4.log" } ?? "plain-\(k).log"
        let lines = mine[bounds[k]..<bounds[k + 1]].map { r in Self.fields.map { r.values[$0]! }.joined(separator: " ")
        }
        try Data(([header] + lines).joined(separator: "\n").appending("\n").utf8).write(
          to: directory.appendingPathComponent(name))
      }
    }
  }

  /// The value a KEY has for a record, as the JSON writes it (a String, an Int or nil).
  static func value(of key: String, in record: Record) -> Any? {
    let v = record.values
    func text(_ field: String) -> String? { v[field] == "-" ? nil : v[field] }
    func number(_ field: String) -> Int? { text(field).flatMap { Int($0) } }
    switch key {
    case "interface": return text("interface-id") ?? text("resource-id")
    case "srcaddr": return text("srcaddr")
    case "dstaddr": return text("dstaddr")
    case "src-prefix": return record.srcPrefix
    case "dst-prefix": return record.dstPrefix
    case "srcport": return number("srcport")
    case "dstport": return number("dstport")
    case "protocol": return number("protocol")
    case "action": return text("action")
    case "account": return text("account-id")
    case "vpc": return text("vpc-id")
    case "subnet": return text("subnet-id")
    case "instance": return text("instance-id")
    case "direction": return text("flow-direction")
    case "service": return text("pkt-dst-aws-service") ?? text("pkt-src-aws-service")
    case "traffic-path": return number("traffic-path")
    case "reject-reason": return text("reject-reason")
    case "flow-log": return record.flowLog
    default: fatalError("no key \(key)")
    }
  }

  /// A canonical text of a JSON value, for dictionary keys.
  static func canonical(_ value: Any?) -> String {
    switch value {
    case let number as Int: return "n:\(number)"
    case let text as String: return "s:\(text)"
    case is NSNull, nil: return "null"
    default: return "?\(String(describing: value))"
    }
  }

  /// Counts as the JSON writes them: records, accept, reject, packets, bytes.
  struct Counts: Equatable, CustomStringConvertible {
    var records = 0, accept = 0, reject = 0, packets = 0, bytes = 0
    var description: String { "\(records)/\(accept)/\(reject)/\(packets)/\(bytes)" }
  }

  /// The expected rows of `--by keys` (row columns: `keys` with `protocol` after the first port
  /// KEY when not given): records carrying traffic (log-status OK) grouped by a dictionary.
  func expectedRows(keys: [String]) -> [String: Counts] {
    let columns = Self.columns(keys)
    var rows: [String: Counts] = [:]
    for record in records where record.values["log-status"] == "OK" {
      let key = columns.map { Self.canonical(Self.value(of: $0, in: record)) }.joined(separator: "|")
      var c = rows[key, default: Counts()]
      c.records += 1
      if record.values["action"] == "ACCEPT" { c.accept += 1 }
      if record.values["action"] == "REJECT" { c.reject += 1 }
      c.packets += Int(record.values["packets"]!) ?? 0
      c.bytes += Int(record.values["bytes"]!) ?? 0
      rows[key] = c
    }
    return rows
  }

  /// The row columns of `--by keys`.
  static func columns(_ keys: [String]) -> [String] {
    var columns: [String] = []
    for key in keys {
      columns.append(key)
      if (key == "srcport" || key == "dstport") && !keys.contains("protocol") && !columns.contains("protocol") {
        columns.append("protocol")
      }
    }
    return columns
  }

  /// The rows of one JSON `by` table in the oracle's form.
  static func actualRows(_ table: [String: Any]) throws -> [String: Counts] {
    let keys = try #require(table["keys"] as? [String])
    let rows = try #require(table["rows"] as? [[String: Any]])
    var result: [String: Counts] = [:]
    for row in rows {
      let key = keys.map { canonical(row[$0]) }.joined(separator: "|")
      #expect(result[key] == nil, "row \(key) twice")
      result[key] = Counts(
        records: row["records"] as? Int ?? -1, accept: row["accept"] as? Int ?? -1, reject: row["reject"] as? Int ?? -1,
        packets: row["packets"] as? Int ?? -1, bytes: row["bytes"] as? Int ?? -1)
    }
    return result
  }

  /// The expected timeline of `seconds`-long buckets: (start, counts) from the first bucket with
  /// a record to the last, empty ones included; and the records without a start.
  func expectedTimeline(seconds: Int) -> (buckets: [(Int, Counts)], withoutStart: Int) {
    var buckets: [Int: Counts] = [:]
    var withoutStart = 0
    for record in records where record.values["log-status"] == "OK" {
      guard let start = Int(record.values["start"]!) else {
        withoutStart += 1
        continue
      }
      var c = buckets[start / seconds * seconds, default: Counts()]
      c.records += 1
      if record.values["action"] == "ACCEPT" { c.accept += 1 }
      if record.values["action"] == "REJECT" { c.reject += 1 }
      c.packets += Int(record.values["packets"]!) ?? 0
      c.bytes += Int(record.values["bytes"]!) ?? 0
      buckets[start / seconds * seconds] = c
    }
    guard let first = buckets.keys.min(), let last = buckets.keys.max() else { return ([], withoutStart) }
    return (stride(from: first, through: last, by: seconds).map { ($0, buckets[$0] ?? Counts()) }, withoutStart)
  }
}
