import Foundation
import Testing

/// `--partial` and `flowlens merge`, end to end: the inputs split at random into partials, merged
/// in random trees and orders, print the same bytes as one run over all the inputs (the oracle: a
/// run that never writes or reads a state).
@Suite("flowlens --partial and merge", .serialized)
struct PartialMergeTests {
  typealias Fixture = SummaryQueryFixture

  /// The sample's files and two generated dumps (each 1 to 3 files per flow log).
  static func inputs(seed: UInt64) throws -> (files: [String], directories: [URL]) {
    var directories: [URL] = []
    var files: [String] = []
    for offset: UInt64 in [0, 1] {
      var random = SplitMix64(state: seed &+ offset)
      let fixture = Fixture(count: 300, random: &random)
      let directory = try CLI.temporaryDirectory()
      try fixture.write(in: directory, random: &random)
      directories.append(directory)
      files += try FileManager.default.contentsOfDirectory(atPath: directory.path).map {
        directory.appendingPathComponent($0).path
      }
    }
    let sample = CLI.root.appendingPathComponent("Fixtures/sample")
    let walker = FileManager.default.enumerator(atPath: sample.path)
    while let name = walker?.nextObject() as? String {
      var isDirectory: ObjCBool = false
      let path = sample.appendingPathComponent(name).path
      if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
        files.append(path)
      }
    }
    // In the order of a directory walk (names sorted at each level), the order a merge lists them.
    let sorted = files.sorted {
      $0.split(separator: "/", omittingEmptySubsequences: false).lexicographicallyPrecedes(
        $1.split(separator: "/", omittingEmptySubsequences: false))
    }
    return (sorted, directories)
  }

  /// The files cut into `groups` non-empty groups at random.
  static func split(_ files: [String], groups: Int, random: inout SplitMix64) -> [[String]] {
    var shuffled = files
    shuffled.shuffle(using: &random)
    var result = Array(repeating: [String](), count: groups)
    for (index, file) in shuffled.enumerated() {
      result[index < groups ? index : Int.random(in: 0..<groups, using: &random)].append(file)
    }
    return result
  }

  /// Merges `states` in a random tree (merges of merges, some through standard input) and
  /// returns the final merge's output in `format`.
  static func mergeTree(
    _ states: [URL], in directory: URL, format: String, common: [String] = [], random: inout SplitMix64
  ) throws -> CLI.Output {
    var pending = states
    var made = 0
    let leave = Int.random(in: 1...3, using: &random)
    while pending.count > leave {
      pending.shuffle(using: &random)
      let take = Int.random(in: 2...min(4, pending.count), using: &random)
      let chosen = Array(pending.prefix(take))
      pending.removeFirst(take)
      made += 1
      let merged = directory.appendingPathComponent("merge-\(made).state")
      let output = try mergeRun(chosen, extra: common + ["--partial", merged.path], random: &random)
      #expect(output.status == 0, "\(output.stderr)")
      pending.append(merged)
    }
    pending.shuffle(using: &random)
    return try mergeRun(pending, extra: common + ["--format", format], random: &random)
  }

  /// `flowlens merge` of `states`, one of them (at random) given on standard input.
  static func mergeRun(_ states: [URL], extra: [String], random: inout SplitMix64) throws -> CLI.Output {
    if Bool.random(using: &random) {
      let piped = Int.random(in: 0..<states.count, using: &random)
      let arguments = states.enumerated().map { $0.offset == piped ? "-" : $0.element.path }
      return try CLI.run(["merge"] + extra + arguments, stdin: try Data(contentsOf: states[piped]))
    }
    return try CLI.run(["merge"] + extra + states.map(\.path))
  }

  struct Case: CustomTestStringConvertible, Sendable {
    var command: String
    var options: [String]
    var testDescription: String { ([command] + options).joined(separator: " ") }
  }

  static let cases = [
    Case(command: "summary", options: []),
    Case(
      command: "summary", options: ["--by", "flow-log,srcaddr", "--by", "interface", "--bucket", "5m", "--top", "0"]),
    Case(
      command: "summary",
      options: ["--where", "action reject or dst port 443", "--by", "dstport,account", "--sort", "bytes", "--top", "4"]),
    Case(command: "audit", options: []),
    Case(command: "audit", options: ["--findings-per-rule", "2", "--where", "not dst port 53"]),
    Case(command: "report", options: []),
    Case(command: "report", options: ["--top", "5", "--findings-per-rule", "1", "--since", "2024-11-26T00:05:00Z"]),
  ]

  @Test("1-16 partials merged in random trees and orders print one run's JSON", arguments: cases)
  func randomSplits(_ testCase: Case) throws {
    for trial: UInt64 in 0..<3 {
      var random = SplitMix64(state: 0x5EED + trial &* 7919)
      let (files, directories) = try Self.inputs(seed: 40 + trial)
      let work = try CLI.temporaryDirectory()
      defer {
        for directory in directories + [work] { try? FileManager.default.removeItem(at: directory) }
      }
      let single = try CLI.run([testCase.command, "--format", "json"] + testCase.options + files)
      #expect(single.status == 0, "\(single.stderr)")
      let groups = Self.split(
        files, groups: Int.random(in: 1...min(16, files.count), using: &random), random: &random)
      var states: [URL] = []
      for (index, group) in groups.enumerated() {
        let state = work.appendingPathComponent("part-\(index).state")
        let jobs = ["--jobs", String(Int.random(in: 1...3, using: &random))]
        let output = try CLI.run(
          [testCase.command, "--partial", state.path] + jobs + testCase.options + group.sorted())
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stdout.isEmpty)
        states.append(state)
      }
      let merged = try Self.mergeTree(states, in: work, format: "json", random: &random)
      #expect(merged.status == 0, "\(merged.stderr)")
      #expect(merged.stdout == single.stdout, "trial \(trial): \(groups.count) partials")
    }
  }

  @Test("text output and --partial - to standard output match too")
  func textThroughStandardOutput() throws {
    let (files, directories) = try Self.inputs(seed: 3)
    defer { for directory in directories { try? FileManager.default.removeItem(at: directory) } }
    for command in ["summary", "audit"] {
      let single = try CLI.run([command] + files)
      let half = files.count / 2
      let work = try CLI.temporaryDirectory()
      defer { try? FileManager.default.removeItem(at: work) }
      let state = work.appendingPathComponent("first.state")
      #expect(FileManager.default.createFile(atPath: state.path, contents: nil))
      let first = try CLI.run(
        [command, "--partial", "-"] + files[..<half], stdout: try FileHandle(forWritingTo: state))
      #expect(first.status == 0, "\(first.stderr)")
      let second = work.appendingPathComponent("second.state")
      #expect(try CLI.run([command, "--partial", second.path] + files[half...]).status == 0)
      let merged = try CLI.run(["merge", second.path, state.path])
      #expect(merged.status == single.status)
      #expect(merged.stdout == single.stdout)
    }
  }

  @Test("past the capacity the merge says it is approximate, and every row is within the bound")
  func aboveCapacity() throws {
    let (files, directories) = try Self.inputs(seed: 11)
    defer { for directory in directories { try? FileManager.default.removeItem(at: directory) } }
    let work = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: work) }
    let options = ["--source-prefix", "32", "--source-prefix6", "128", "--source-capacity", "16", "--top", "0"]
    var states: [String] = []
    var random = SplitMix64(state: 99)
    for (index, group) in Self.split(files, groups: 5, random: &random).enumerated() {
      let state = work.appendingPathComponent("\(index).state").path
      #expect(try CLI.run(["summary", "--partial", state] + options + group).status == 0)
      states.append(state)
    }
    let merged = try CLI.run(["merge", "--format", "json"] + states)
    #expect(merged.status == 0, "\(merged.stderr)")
    let json = try merged.json()
    let approximate = try #require(json["approximate"] as? [String: Any], "the merge says it is approximate")
    let bound = try #require(approximate["maximum_error"] as? Int)
    #expect(approximate["table"] as? String == "by_source_cidr")
    // The oracle: records carrying traffic per source address, from `records --format ndjson`.
    let records = try CLI.run(["records", "--format", "ndjson"] + files)
    var truth: [String: Int] = [:]
    for line in records.stdout.split(separator: "\n") {
      let record = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      guard let action = record["action"] as? String, action == "ACCEPT" || action == "REJECT",
        let source = record["srcaddr"] as? String
      else { continue }
      truth[source.contains(":") ? "\(source)/128" : "\(source)/32", default: 0] += 1
    }
    let rows = try #require(json["by_source_cidr"] as? [[String: Any]])
    #expect(rows.count == 16)
    for row in rows {
      let cidr = try #require(row["cidr"] as? String)
      let counted = (row["accept"] as? Int ?? 0) + (row["reject"] as? Int ?? 0)
      let actual = truth[cidr, default: 0]
      #expect(
        counted <= actual && actual <= counted + bound, "\(cidr): \(counted) counted, \(actual) true, bound \(bound)")
    }
    let kept = Set(rows.compactMap { $0["cidr"] as? String })
    for (cidr, count) in truth where !kept.contains(cidr) {
      #expect(count <= bound, "\(cidr) not kept with \(count) records, more than the bound \(bound)")
    }
  }

  @Test(
    "partials made with different options, policies or filters do not merge: exit 2 naming the difference",
    arguments: [
      (["summary", "--top", "3"], ["summary", "--top", "5"], "--top (5 vs 3)"),
      (["summary", "--by", "srcaddr"], ["summary"], "--by"),
      (["summary"], ["audit"], "command (audit vs summary)"),
      (["audit"], ["audit", "--where", "action reject"], "--where"),
      (["audit", "--source-capacity", "64"], ["audit"], "--source-capacity"),
      (["report"], ["report", "--top", "4"], "--top"),
    ])
  func mismatch(first: [String], second: [String], difference: String) throws {
    let work = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: work) }
    let sample = CLI.root.appendingPathComponent("Fixtures/sample/custom-v5.log").path
    let a = work.appendingPathComponent("a.state").path
    let b = work.appendingPathComponent("b.state").path
    #expect(try CLI.run(first + ["--partial", a, sample]).status == 0)
    #expect(try CLI.run(second + ["--partial", b, try CLI.sampleGzipObject().path]).status == 0)
    let merged = try CLI.run(["merge", a, b])
    #expect(merged.status == 2)
    #expect(merged.stdout.isEmpty)
    #expect(merged.stderr.contains(difference), "\(merged.stderr)")
    #expect(merged.stderr.contains("b.state"), "\(merged.stderr)")
  }

  @Test("a different policy file is a different fingerprint")
  func policyMismatch() throws {
    let work = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: work) }
    let policy = work.appendingPathComponent("policy.yaml")
    #expect(try CLI.run(["policy", "init", "-o", policy.path]).status == 0)
    let sample = CLI.root.appendingPathComponent("Fixtures/sample/custom-v5.log").path
    let a = work.appendingPathComponent("a.state").path
    let b = work.appendingPathComponent("b.state").path
    #expect(try CLI.run(["audit", "--policy", policy.path, "--partial", a, sample]).status == 0)
    var text = try String(contentsOf: policy, encoding: .utf8)
    text += "\n# edited\n"
    try text.write(to: policy, atomically: true, encoding: .utf8)
    #expect(try CLI.run(["audit", "--policy", policy.path, "--partial", b, sample]).status == 0)
    let merged = try CLI.run(["merge", a, b])
    #expect(merged.status == 2)
    #expect(merged.stderr.contains("policy fingerprint"), "\(merged.stderr)")
  }

  static let inventoryCases = [
    Case(command: "summary", options: ["--by", "vpc,subnet", "--by", "interface-type,dstport"]),
    Case(command: "summary", options: ["--where", "net @vpc", "--by", "security-group"]),
    Case(command: "audit", options: []),
    Case(command: "report", options: ["--top", "5"]),
  ]

  @Test(
    "partials made with --inventory, merged with --inventory (a copy elsewhere), print one --inventory run's JSON",
    arguments: inventoryCases)
  func randomSplitsWithInventory(_ testCase: Case) throws {
    let inventory = CLI.root.appendingPathComponent("Fixtures/inventory").path
    for trial: UInt64 in 0..<2 {
      var random = SplitMix64(state: 0x1A7E + trial &* 104_729)
      let (files, directories) = try Self.inputs(seed: 90 + trial)
      let work = try CLI.temporaryDirectory()
      defer {
        for directory in directories + [work] { try? FileManager.default.removeItem(at: directory) }
      }
      // The merge is given the same files under another path: the fingerprint is of the contents.
      let copy = work.appendingPathComponent("inventory-copy")
      try FileManager.default.copyItem(atPath: inventory, toPath: copy.path)
      let single = try CLI.run(
        [testCase.command, "--format", "json", "--inventory", inventory] + testCase.options + files)
      #expect(single.status == 0, "\(single.stderr)")
      let groups = Self.split(
        files, groups: Int.random(in: 1...min(16, files.count), using: &random), random: &random)
      var states: [URL] = []
      for (index, group) in groups.enumerated() {
        let state = work.appendingPathComponent("part-\(index).state")
        let output = try CLI.run(
          [testCase.command, "--partial", state.path, "--inventory", inventory] + testCase.options + group.sorted())
        #expect(output.status == 0, "\(output.stderr)")
        states.append(state)
      }
      let merged = try Self.mergeTree(
        states, in: work, format: "json", common: ["--inventory", copy.path], random: &random)
      #expect(merged.status == 0, "\(merged.stderr)")
      #expect(merged.stdout == single.stdout, "trial \(trial): \(groups.count) partials")
    }
  }

  @Test(
    "the inventory of a merge must be the partials' own",
    arguments: [
      (["--inventory", "Fixtures/inventory"], [String](), "were made with --inventory Fixtures/inventory"),
      (
        ["--inventory", "Fixtures/inventory"], ["--inventory", "Fixtures/inventory/123456789012-us-east-1"],
        "is not the inventory the partials were made with"
      ),
      ([], ["--inventory", "Fixtures/inventory"], "were made without --inventory"),
    ])
  func inventoryMismatch(partial: [String], merge: [String], message: String) throws {
    let work = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: work) }
    let state = work.appendingPathComponent("a.state").path
    #expect(try CLI.run(["audit", "--partial", state] + partial + ["Fixtures/sample"]).status == 0)
    let merged = try CLI.run(["merge"] + merge + [state])
    #expect(merged.status == 2)
    #expect(merged.stderr.contains(message), "\(merged.stderr)")
    #expect(merged.stdout.isEmpty)
  }

  @Test("a partial with an inventory and one without do not merge")
  func inventoryAndNone() throws {
    let work = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: work) }
    let a = work.appendingPathComponent("a.state").path
    let b = work.appendingPathComponent("b.state").path
    let sample = "Fixtures/sample/custom-v5.log"
    #expect(try CLI.run(["summary", "--partial", a, "--inventory", "Fixtures/inventory", sample]).status == 0)
    #expect(try CLI.run(["summary", "--partial", b, "Fixtures/sample/AWSLogs"]).status == 0)
    let merged = try CLI.run(["merge", "--inventory", "Fixtures/inventory", a, b])
    #expect(merged.status == 2)
    #expect(merged.stderr.contains("differ in --inventory"), "\(merged.stderr)")
  }
}
