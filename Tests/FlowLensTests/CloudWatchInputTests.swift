import Foundation
import Testing

/// CloudWatch Logs JSON — a subscription payload, a Firehose object, `aws logs filter-log-events`
/// and `get-log-events` output — read by every command like the same records as text. The
/// fixtures come from Fixtures/make-cloudwatch-fixtures.py, which also wrote what the odd ones hold
/// (Fixtures/cloudwatch-expected.json): the oracle here is that file and the text of records.log,
/// never flowlens itself.
@Suite("CloudWatch Logs JSON inputs")
struct CloudWatchInputTests {
  static let directory = "Fixtures/cloudwatch"
  static let text = "\(directory)/records.log"
  /// Every JSON form holding exactly the records of records.log, in the same order.
  static let forms = [
    "subscription-payload.gz", "firehose-object.gz", "filter-log-events.json", "get-log-events.json",
  ]

  static func expected() throws -> [String: Any] {
    let url = CLI.root.appendingPathComponent("Fixtures/cloudwatch-expected.json")
    return try #require(JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
  }

  /// The record lines of records.log, read here.
  static func textRecords() throws -> [String] {
    let url = CLI.root.appendingPathComponent(text)
    return try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
  }

  /// A JSON report with the input's name replaced by `name` and the byte counts of the inputs left
  /// out: what legitimately differs between the same records as text and as JSON.
  static func comparable(_ output: CLI.Output, input: String, as name: String) throws -> String {
    let renamed = output.stdout.replacingOccurrences(of: "\"\(input)\"", with: "\"\(name)\"")
    var json = try #require(JSONSerialization.jsonObject(with: Data(renamed.utf8)) as? [String: Any])
    if var inputs = json["inputs"] as? [String: Any] {
      inputs["bytes"] = nil
      inputs["decoded_bytes"] = nil
      json["inputs"] = inputs
    }
    let data = try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys, .prettyPrinted])
    return String(decoding: data, as: UTF8.self)
  }

  @Test(
    "each form gives the summary, audit and records of the same records as text",
    arguments: forms, [["summary", "--format", "json"], ["audit", "--format", "json"], ["records"]])
  func sameAsText(form: String, command: [String]) throws {
    let json = "\(Self.directory)/\(form)"
    let fromText = try CLI.run(command + [Self.text])
    let fromJSON = try CLI.run(command + [json])
    #expect(fromJSON.status == 0, "\(fromJSON.stderr)")
    #expect(fromJSON.stderr.isEmpty, "\(fromJSON.stderr)")
    #expect(fromText.status == 0)
    if command[0] == "records" {
      #expect(fromJSON.stdout == fromText.stdout)
    } else {
      #expect(
        try Self.comparable(fromJSON, input: json, as: "x") == Self.comparable(fromText, input: Self.text, as: "x"))
    }
  }

  @Test("each form holds the generator's records: the count, and each record's addresses and action in order")
  func recordsMatchTheOracle() throws {
    let lines = try Self.textRecords()
    #expect(lines.count == (try Self.expected()["records"] as? Int))
    for form in Self.forms {
      let output = try CLI.run(["records", "\(Self.directory)/\(form)"])
      let records = output.stdout.split(separator: "\n").map {
        (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] ?? [:]
      }
      #expect(records.count == lines.count, "\(form)")
      for (record, line) in zip(records, lines) {
        let fields = line.split(separator: " ").map(String.init)
        let expected = [fields[3], fields[4], fields[12], fields[13]]
        let got = ["srcaddr", "dstaddr", "action", "log-status"].map { (record[$0] as? String) ?? "-" }
        #expect(got == expected, "\(form): \(line)")
      }
    }
  }

  @Test("--where applies to JSON inputs as to text: the same records kept and turned away")
  func filterApplies() throws {
    let rejects = try Self.textRecords().filter { $0.split(separator: " ")[12] == "REJECT" }.count
    for form in Self.forms {
      let json = "\(Self.directory)/\(form)"
      let output = try CLI.run(["summary", "--format", "json", "--where", "action reject", json])
      let text = try CLI.run(["summary", "--format", "json", "--where", "action reject", Self.text])
      #expect(output.status == 0, "\(output.stderr)")
      #expect(try Self.comparable(output, input: json, as: "x") == Self.comparable(text, input: Self.text, as: "x"))
      let records = try #require(try output.json()["records"] as? [String: Any])
      #expect(records["total"] as? Int == rejects, "\(form)")
      let records2 = try CLI.run(["records", "--where", "action reject", json]).stdout
      #expect(records2.split(separator: "\n").count == rejects, "\(form)")
    }
  }

  @Test("a directory of text and every JSON form: all read, other JSON skipped; the same for any --jobs and order")
  func mixedDirectory() throws {
    let root = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    for name in Self.forms + ["records.log"] {
      try FileManager.default.copyItem(
        at: CLI.root.appendingPathComponent("\(Self.directory)/\(name)"), to: root.appendingPathComponent(name))
    }
    try Data(#"{"Records": [{"eventName": "ConsoleLogin"}]}"#.utf8).write(to: root.appendingPathComponent("trail.json"))
    let perFile = try Self.textRecords().count
    var outputs: Set<String> = []
    for jobs in ["1", "2", "3"] {
      for command in [["summary", "--format", "json"], ["audit", "--format", "json"]] {
        let output = try CLI.run(command + ["--jobs", jobs, root.path])
        #expect(output.status == 0, "\(output.stderr)")
        #expect(output.stderr.contains("trail.json: skipped: JSON input is not supported"), "\(output.stderr)")
        let records = try #require(try output.json()["records"] as? [String: Any])
        #expect(records["total"] as? Int == perFile * 5)
        #expect(records["malformed"] as? Int == 0)
        #expect((try output.json()["inputs"] as? [String: Any])?["files"] as? Int == 5)
        outputs.insert(command[0] + output.stdout)
      }
    }
    #expect(outputs.count == 2, "one summary and one audit, whatever the jobs")
    // The files named one by one, in two orders: one summary, one audit again.
    let named = (Self.forms + ["records.log"]).map { root.appendingPathComponent($0).path }
    var namedOutputs: Set<String> = []
    for command in [["summary", "--format", "json"], ["audit", "--format", "json"]] {
      for (jobs, order) in [("1", named), ("3", named), ("1", named.reversed()), ("3", named.reversed())] {
        let output = try CLI.run(command + ["--jobs", jobs] + order)
        #expect(output.status == 0, "\(output.stderr)")
        // The evidence of a finding is its first record in input order: the order shows there only.
        let evidence = try NSRegularExpression(pattern: #""file" : "[^"]*""#)
        let text = evidence.stringByReplacingMatches(
          in: output.stdout, range: NSRange(output.stdout.startIndex..., in: output.stdout), withTemplate: "")
        namedOutputs.insert(command[0] + text)
      }
    }
    #expect(namedOutputs.count == 2, "one summary and one audit, whatever the jobs and the order")
  }

  @Test("a custom layout: from --log-format, or from a header line among the events, as in text")
  func customLayout() throws {
    let root = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let lines = try String(
      contentsOf: CLI.root.appendingPathComponent("Fixtures/sample/custom-v5.log"), encoding: .utf8
    ).split(separator: "\n").map(String.init)
    func listing(_ messages: [String]) throws -> String {
      let events = messages.enumerated().map { ["timestamp": $0.offset, "message": $0.element] as [String: Any] }
      let path = root.appendingPathComponent("listing-\(messages.count).json").path
      try JSONSerialization.data(withJSONObject: ["events": events, "nextToken": "t"]).write(
        to: URL(fileURLWithPath: path))
      return path
    }
    let expected = try CLI.run(["records", "Fixtures/sample/custom-v5.log"])
    #expect(expected.status == 0)
    let withHeader = try CLI.run(["records", try listing(lines)])
    #expect(withHeader.status == 0, "\(withHeader.stderr)")
    #expect(withHeader.stdout == expected.stdout)
    let withOption = try CLI.run(["records", "--log-format", lines[0], try listing(Array(lines.dropFirst()))])
    #expect(withOption.status == 0, "\(withOption.stderr)")
    #expect(withOption.stdout == expected.stdout)
  }

  @Test("odd messages: escapes and unicode unescaped, each bad event one malformed line named by its index")
  func oddMessages() throws {
    let expected = try #require(try Self.expected()["odd_messages"] as? [String: Any])
    let path = "\(Self.directory)/odd-messages.json"
    let summary = try CLI.run(["summary", "--format", "json", path])
    #expect(summary.status == 0)
    let json = try summary.json()
    let records = try #require(json["records"] as? [String: Any])
    let malformed = try #require(expected["malformed"] as? [String: String])
    let good = try #require(expected["records"] as? [Int])
    #expect(records["total"] as? Int == good.count)
    #expect(records["malformed"] as? Int == malformed.count)
    #expect((json["inputs"] as? [String: Any])?["lines"] as? Int == expected["events"] as? Int)
    let issues = try #require(json["issues"] as? [[String: Any]])
    var found: [String: String] = [:]
    for issue in issues {
      #expect(issue["line"] == nil, "an event, not a line: \(issue)")
      #expect(issue["file"] as? String == path)
      if let event = issue["event"] as? Int { found[String(event)] = issue["kind"] as? String }
    }
    #expect(found == malformed)
    for (event, _) in malformed {
      #expect(summary.stderr.contains("flowlens: \(path): event \(event): "), "\(summary.stderr)")
    }

    let lines = try CLI.run(["records", path]).stdout.split(separator: "\n")
    let decoded = lines.map { (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any] ?? [:] }
    #expect(decoded.count == good.count)
    let plain = try #require(expected["record_1_equals"] as? String)
    let plainRecord = try CLI.run(["records"], stdin: Data((plain + "\n").utf8)).stdout
    #expect(lines.first.map { String($0) + "\n" } == plainRecord)
    #expect(decoded.dropFirst().first?["interface-id"] as? String == expected["record_3_interface_id"] as? String)
    #expect(decoded.last?["interface-id"] as? String == expected["record_7_interface_id"] as? String)
  }

  @Test("a CONTROL_MESSAGE payload is skipped with a note, not malformed; in a Firehose object the data still counts")
  func controlMessage() throws {
    let root = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let control = try Data(contentsOf: CLI.root.appendingPathComponent("\(Self.directory)/control-message.gz"))
    let data = try Data(contentsOf: CLI.root.appendingPathComponent("\(Self.directory)/subscription-payload.gz"))
    let firehose = root.appendingPathComponent("firehose-object")
    try (control + data + control).write(to: firehose)

    let output = try CLI.run(["summary", "--format", "json", firehose.path])
    #expect(output.status == 0, "\(output.stderr)")
    let json = try output.json()
    let records = try #require(json["records"] as? [String: Any])
    #expect(records["total"] as? Int == (try Self.textRecords().count))
    #expect(records["malformed"] as? Int == 0)
    let counts = try #require(json["issue_counts"] as? [[String: Any]])
    #expect(counts.count == 1)
    #expect(counts.first?["kind"] as? String == "control_message")
    #expect(counts.first?["count"] as? Int == 2)
    #expect(output.stderr.contains("CONTROL_MESSAGE payload skipped (1 log event)"), "\(output.stderr)")
    #expect(!output.stderr.contains("malformed"))

    let alone = try CLI.run(["summary", "\(Self.directory)/control-message.gz"])
    #expect(alone.status == 2, "no records at all is not a clean run")
    #expect(alone.stderr.contains("no flow log records in the input"), "\(alone.stderr)")
    #expect(try CLI.run(["summary", "--allow-empty", "\(Self.directory)/control-message.gz"]).status == 0)
  }

  @Test("truncated JSON: an error naming the file and offset; the events before it counted", arguments: ["1", "3"])
  func truncated(jobs: String) throws {
    let expected = try #require(try Self.expected()["truncated"] as? [String: Any])
    let complete = try #require(expected["complete_events"] as? Int)
    let offset = try #require(expected["offset"] as? Int)
    let cut = try #require(expected["cut_event"] as? Int)
    let path = "\(Self.directory)/truncated.json"
    for command in ["summary", "audit", "records"] {
      let output = try CLI.run([command, "--jobs", jobs, path])
      #expect(output.status == 2, "\(command)")
      #expect(output.stderr.contains("flowlens: \(path): byte \(offset): CloudWatch Logs JSON: "), "\(output.stderr)")
      #expect(output.stderr.contains("truncated"), "\(output.stderr)")
      #expect(output.stderr.contains("flowlens: \(path): event \(cut): log event cut off"), "\(output.stderr)")
    }
    let summary = try #require(try CLI.run(["summary", "--format", "json", path]).json()["records"] as? [String: Any])
    #expect(summary["total"] as? Int == complete)
    #expect(summary["malformed"] as? Int == 1)
    let textRecords = try CLI.run(["records", Self.text]).stdout.split(separator: "\n")
    let jsonRecords = try CLI.run(["records", path]).stdout.split(separator: "\n")
    #expect(jsonRecords == Array(textRecords.prefix(complete)))
  }

  @Test("a Firehose object cut off inside a gzip member: a stream error; the complete events before it counted")
  func truncatedFirehose() throws {
    let root = try CLI.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: root) }
    let whole = try Data(contentsOf: CLI.root.appendingPathComponent("\(Self.directory)/firehose-object.gz"))
    let cut = root.appendingPathComponent("firehose-object.gz")
    try whole.prefix(whole.count * 2 / 3).write(to: cut)
    let output = try CLI.run(["records", cut.path])
    #expect(output.status == 2)
    #expect(output.stderr.contains("flowlens: \(cut.path): byte "), "\(output.stderr)")
    let textRecords = try CLI.run(["records", Self.text]).stdout.split(separator: "\n")
    let jsonRecords = output.stdout.split(separator: "\n")
    #expect(!jsonRecords.isEmpty && jsonRecords.count < textRecords.count)
    #expect(jsonRecords == Array(textRecords.prefix(jsonRecords.count)))
  }

  @Test(
    "JSON that is not of these forms: an input error at a byte offset",
    arguments: [
      (#"{"events": [1, 2], "nextToken": "a"}"#, "expected a log event object"),
      (#"{"messageType": "DATA_MESSAGE", "logEvents": {"message": "x"}}"#, "logEvents is not an array"),
      (#"{"events": [], "nextToken": "a"} {"other": true}"#, "a JSON object without logEvents or events"),
      (#"{"events": [], "nextToken": "a"} ["#, "expected a JSON object"),
    ])
  func notTheseShapes(text: String, words: String) throws {
    let output = try CLI.run(["summary", "--allow-empty", "-"], stdin: Data(text.utf8))
    #expect(output.status == 2)
    #expect(output.stderr.contains("flowlens: -: byte "), "\(output.stderr)")
    #expect(output.stderr.contains(words), "\(output.stderr)")
  }
}
