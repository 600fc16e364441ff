import Foundation
import Testing

/// `flowlens suggest` past `--source-capacity`: a rule used by more distinct sources than the
/// capacity lists them per prefix, coarser step by step, with exact counts. The listed sources
/// and the proposal are computed here from the generated records (the first step of the ladder
/// IPv4 /32, /24, /16, /8, /0 and IPv6 /128, /64, /48, /32, /16, /0 at which the sources fall in
/// at most the capacity's prefixes), and every output must be the same bytes for any --jobs and
/// any split of the input into files.
@Suite("suggest past --source-capacity")
struct SuggestSourceCapacityTests {
  typealias Random = SplitMix64

  static let capacity = 16
  static let ipv4Lengths = [32, 24, 16, 8, 0]
  static let ipv6Lengths = [128, 64, 48, 32, 16, 0]

  /// An IPv4 source as its four octets.
  struct V4: Hashable {
    var octets: [Int]
    func prefix(_ length: Int) -> String {
      let value = octets.reduce(0) { $0 << 8 | $1 }
      let masked = length == 0 ? 0 : value & ~((1 << (32 - length)) - 1)
      let text = (0..<4).map { String((masked >> (24 - 8 * $0)) & 0xFF) }.joined(separator: ".")
      return length == 32 ? text : "\(text)/\(length)"
    }
    var numeric: Int { octets.reduce(0) { $0 << 8 | $1 } }
  }

  /// An IPv6 source `2001:db8:A:B::C` (A one of 100 and 200, B 1-9, C 1-99, written as hex).
  struct V6: Hashable {
    var a: Int
    var b: Int
    var c: Int
    var text: String { "2001:db8:\(a):\(b)::\(c)" }
    func prefix(_ length: Int) -> String {
      switch length {
      case 128: text
      case 64: "2001:db8:\(a):\(b)::/64"
      case 48: "2001:db8:\(a)::/48"
      case 32: "2001:db8::/32"
      case 16: "2001::/16"
      default: "::/0"
      }
    }
  }

  /// The first step at which `keys` at each step's length number at most the capacity.
  static func step<T>(_ sources: [T], lengths: [Int], _ prefix: (T, Int) -> String) -> Int {
    for step in 0..<6 {
      let length = lengths[min(step, lengths.count - 1)]
      if Set(sources.map { prefix($0, length) }).count <= capacity { return step }
    }
    return 5
  }

  @Test(
    "listed sources and proposals are exact prefixes, byte-identical for --jobs 1/2/3 and random splits",
    arguments: [1, 2, 3, 4, 5, 6] as [UInt64])
  func pastCapacity(seed: UInt64) throws {
    var random = Random(state: seed &* 7919)
    // IPv4 sources spread over 1-3 /16s, 1-12 /24s each: past the capacity of 16 addresses, and
    // then sometimes within 16 /24s, sometimes only within 16 /16s.
    let sixteens = Int.random(in: 1...3, using: &random)
    let twentyFours = Int.random(in: 1...12, using: &random)
    var v4: [V4: Int] = [:]
    var v6: [V6: Int] = [:]
    var lines: [String] = []
    let t0: UInt64 = 1_700_000_000
    for _ in 0..<700 {
      let start = t0 + UInt64.random(in: 0..<(8 * 86_400), using: &random)
      let sport = Int.random(in: 32768...60999, using: &random)
      if Int.random(in: 0..<3, using: &random) == 0 {
        let source = V6(
          a: Bool.random(using: &random) ? 100 : 200, b: Int.random(in: 1...9, using: &random),
          c: Int.random(in: 1...99, using: &random))
        v6[source, default: 0] += 1
        lines.append(
          "2 111122223333 eni-web1 \(source.text) 2001:db8:aaaa:1::10 \(sport) 22 6 3 300 \(start) \(start + 5) ACCEPT OK"
        )
      } else {
        let source = V4(octets: [
          198, 51 + Int.random(in: 0..<sixteens, using: &random), Int.random(in: 0..<twentyFours, using: &random),
          Int.random(in: 1...40, using: &random),
        ])
        v4[source, default: 0] += 1
        let (eni, address) = Bool.random(using: &random) ? ("eni-web1", "10.1.0.10") : ("eni-web2", "10.1.0.20")
        lines.append(
          "2 111122223333 \(eni) \(source.prefix(32)) \(address) \(sport) 22 6 3 300 \(start) \(start + 5) ACCEPT OK")
      }
    }
    var scenario = SuggestCommandTests.Scenario(count: 0, random: &random)
    scenario.lines = lines
    let directory = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }

    var outputs: [String: String] = [:]
    for round in 0..<3 {
      // A fresh random split into 1-6 files each round, in a random order.
      let split = directory.appendingPathComponent("split-\(round)")
      let (inventory, logs) = try scenario.write(
        to: split, files: Int.random(in: 1...6, using: &random), random: &random)
      for jobs in ["1", "2", "3"] {
        for format in ["json", "text", "aws-cli"] {
          let result = try CLI.run(
            [
              "suggest", "--inventory", inventory, "--source-capacity", String(Self.capacity), "--format", format,
              "--jobs", jobs,
            ] + logs.shuffled(using: &random))
          #expect(result.status == 0, "\(result.stderr)")
          if let first = outputs[format] {
            #expect(result.stdout == first, "round \(round) --jobs \(jobs) --format \(format)")
          } else {
            outputs[format] = result.stdout
          }
        }
      }
    }

    let json = try #require(JSONSerialization.jsonObject(with: Data(outputs["json"]!.utf8)) as? [String: Any])
    // IPv4: the sources at the first step that fits, and the /24 cover (or coarser) as proposal.
    let v4Step = Self.step(Array(v4.keys), lengths: Self.ipv4Lengths) { $0.prefix($1) }
    let v4Length = Self.ipv4Lengths[v4Step]
    var v4Expected: [String: Int] = [:]
    for (source, records) in v4 { v4Expected[source.prefix(v4Length), default: 0] += records }
    let ssh = try SuggestCommandTests.rule(json, "sg-web", "tcp", 22, "0.0.0.0/0")
    #expect(observed(ssh) == v4Expected)
    #expect(ssh["records"] as? Int == v4.values.reduce(0, +))
    let proposalLength = min(24, v4Length)
    let cover = Set(v4.keys.map { $0.prefix(proposalLength) })
    let coverSorted = v4.keys.sorted { $0.numeric < $1.numeric }.map { $0.prefix(proposalLength) }
      .reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
    if v4Step == 0 {
      Issue.record("the generated IPv4 sources should pass the capacity")
    } else {
      let aggregated = try #require(ssh["observed_sources_aggregated"] as? [String: Any])
      #expect(aggregated["ipv4_prefix_length"] as? Int == v4Length)
      #expect(aggregated["more_distinct_sources_than"] as? Int == Self.capacity)
    }
    if proposalLength > 0 && cover.count <= 16 {
      #expect(ssh["status"] as? String == "wider-than-used")
      #expect(ssh["proposed"] as? [String] == coverSorted)
    } else {
      #expect(ssh["status"] as? String == "used")
      #expect(ssh["proposed"] as? [String] == ["0.0.0.0/0"])
    }
    // IPv6: the same, with the /48 cover.
    let v6Step = Self.step(Array(v6.keys), lengths: Self.ipv6Lengths) { $0.prefix($1) }
    var v6Expected: [String: Int] = [:]
    for (source, records) in v6 { v6Expected[source.prefix(Self.ipv6Lengths[v6Step]), default: 0] += records }
    let ssh6 = try SuggestCommandTests.rule(json, "sg-web", "tcp", 22, "::/0")
    #expect(observed(ssh6) == v6Expected)
    #expect((ssh6["observed_sources_aggregated"] is NSNull) == (v6Step == 0))
    #expect(ssh6["proposed"] as? [String] == Set(v6.keys.map { $0.prefix(48) }).sorted())

    // Every output says the sources were aggregated, and why.
    #expect(outputs["text"]!.contains("Aggregated: "))
    #expect(outputs["text"]!.contains("more than 16 sources in "))
    #expect(outputs["aws-cli"]!.contains("# Aggregated: "))
  }

  /// A rule's `observed_sources` as address (or prefix) → records.
  func observed(_ rule: [String: Any]) -> [String: Int] {
    (rule["observed_sources"] as? [[String: Any]] ?? []).reduce(into: [String: Int]()) {
      $0[$1["address"] as? String ?? ""] = $1["records"] as? Int
    }
  }
}
