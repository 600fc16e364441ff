import Foundation
import Testing

/// What `policy check` and `audit --policy` say about a policy file a user got wrong.
@Suite("Policy error messages")
struct PolicyMessagesTests {
  static func policyFile(_ text: String) throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("flowlens-policy-\(UUID().uuidString).yaml")
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url
  }

  @Test("a repeated key is named where it repeats, with its key path and where the first one was")
  func duplicateKey() throws {
    let file = try Self.policyFile(
      "version: 1\nnetworks:\n  corporate: [198.51.100.0/24]\n  vpc: [10.0.0.0/16]\n  corporate: [203.0.113.0/24]\n")
    defer { try? FileManager.default.removeItem(at: file) }
    for arguments in [["policy", "check", file.path], ["audit", "--policy", file.path, "Fixtures/sample"]] {
      let output = try CLI.run(arguments)
      #expect(output.status == 2)
      #expect(
        output.stderr
          == "flowlens: \(file.path):5:3: networks.corporate: duplicate key 'corporate' (first at line 3, column 3); "
          + "each key may appear only once in a mapping\n")
    }
  }

  @Test("a CIDR with host bits is refused, naming the key path, the value and the network meant")
  func hostBits() throws {
    let file = try Self.policyFile("version: 1\nrules:\n  - id: admin\n    ports: [22]\n    allow_from: [10.0.0.1/8]\n")
    defer { try? FileManager.default.removeItem(at: file) }
    let output = try CLI.run(["policy", "check", file.path])
    #expect(output.status == 2)
    #expect(output.stderr.hasPrefix("flowlens: \(file.path):5: rules[0].allow_from[0]: '10.0.0.1/8' has host bits set"))
    #expect(output.stderr.contains("did you mean 10.0.0.0/8?"))
  }
}
