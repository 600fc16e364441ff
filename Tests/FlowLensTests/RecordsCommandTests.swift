import Foundation
import Testing

/// One record of the AWS VPC User Guide page "Flow log record examples", with the values the page gives.
struct AWSExample: Decodable, Sendable, CustomTestStringConvertible {
  var id: String
  var section: String
  var fields: String
  var line: String
  var testDescription: String { "\(id) (\(section))" }

  static let all: [AWSExample] = {
    let url = CLI.root.appendingPathComponent("Fixtures/aws-examples/expected.json")
    return (try? JSONDecoder().decode([AWSExample].self, from: Data(contentsOf: url))) ?? []
  }()

  /// The expected values, as JSON objects (numbers stay numbers, `-` is null).
  static func expected(_ id: String) -> [String: Any]? {
    let url = CLI.root.appendingPathComponent("Fixtures/aws-examples/expected.json")
    guard let data = try? Data(contentsOf: url),
      let array = try? JSONSerialization.jsonObject(with: data) as? [[String: Any]]
    else { return nil }
    return array.first { $0["id"] as? String == id }?["expected"] as? [String: Any]
  }
}

@Suite("flowlens records")
struct RecordsCommandTests {
  @Test("the AWS examples fixture is there")
  func fixturePresent() {
    #expect(AWSExample.all.count >= 27)
  }

  /// Each AWS example line, given with --log-format as the page gives its layout, decodes to the
  /// values the page describes.
  @Test("every record of the AWS 'Flow log record examples' page", arguments: AWSExample.all)
  func awsExample(example: AWSExample) throws {
    let format = example.fields.split(separator: " ").map { "${\($0)}" }.joined(separator: " ")
    let output = try CLI.run(["records", "--log-format", format, "-"], stdin: Data((example.line + "\n").utf8))
    #expect(output.status == 0)
    #expect(output.stderr == "")
    let object = try #require(JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
    let expected = try #require(AWSExample.expected(example.id))
    #expect(Set(object.keys) == Set(expected.keys))
    for (key, value) in expected {
      let got = object[key]
      if value is NSNull {
        #expect(got is NSNull, "\(key)")
      } else if let number = value as? NSNumber, !(value is String) {
        #expect((got as? NSNumber) == number, "\(key): \(String(describing: got)) vs \(number)")
      } else {
        #expect(got as? String == value as? String, "\(key)")
      }
    }
  }

  @Test("the same examples with the layout given as an S3 header line instead")
  func awsExamplesWithHeaders() throws {
    var text = ""
    for example in AWSExample.all { text += example.fields + "\n" + example.line + "\n" }
    let output = try CLI.run(["records"], stdin: Data(text.utf8))
    #expect(output.status == 0)
    let lines = output.stdout.split(separator: "\n")
    #expect(lines.count == AWSExample.all.count)
    for (line, example) in zip(lines, AWSExample.all) {
      let object = try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
      #expect(Set(object.keys) == Set(try #require(AWSExample.expected(example.id)).keys))
    }
  }

  @Test("NDJSON escapes log data; CSV neutralises formulas")
  func escaping() throws {
    let log = "interface-id account-id action\neni-\"x\\y =cmd|' ACCEPT\n=HYPERLINK(\"http://e\") -1+2 REJECT\n"
    let ndjson = try CLI.run(["records"], stdin: Data(log.utf8))
    let first = try #require(
      JSONSerialization.jsonObject(with: Data(ndjson.stdout.split(separator: "\n")[0].utf8)) as? [String: String])
    #expect(first["interface-id"] == "eni-\"x\\y")
    #expect(first["account-id"] == "=cmd|'")
    let csv = try CLI.run(["records", "--format", "csv"], stdin: Data(log.utf8))
    #expect(
      csv.stdout
        == "interface-id,account-id,action\n\"eni-\"\"x\\\\y\",'=cmd|',ACCEPT\n\"'=HYPERLINK(\"\"http://e\"\")\",'-1+2,REJECT\n"
    )
  }

  @Test("records from every input kind: plain, gzip directory, standard input")
  func inputs() throws {
    let output = try CLI.run(["records", "Fixtures/sample"])
    #expect(output.status == 0)
    #expect(output.stdout.split(separator: "\n").count == 397)
    let csv = try CLI.run(["records", "--format", "csv", "Fixtures/sample/custom-v5.log"])
    #expect(
      csv.stdout.split(separator: "\n").first
        == "version,interface-id,srcaddr,dstaddr,srcport,dstport,protocol,packets,bytes,start,end,action,log-status,flow-direction,traffic-path,pkt-srcaddr,pkt-dstaddr,pkt-dst-aws-service"
    )
    #expect(csv.stdout.split(separator: "\n").count == 41)
  }
}
