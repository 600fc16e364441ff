import FlowStats
import Foundation
import Testing

@Suite("Policy loading")
struct PolicyLoaderTests {
  @Test("no path: the built-in policy")
  func builtIn() throws {
    #expect(try PolicyLoader.load(path: nil) == .builtIn)
  }

  @Test("a policy file: the policy parsed from it")
  func file() throws {
    let path = "Fixtures/policies/corporate.yaml"
    let text = try String(contentsOfFile: path, encoding: .utf8)
    #expect(try PolicyLoader.load(path: path) == PolicyParser.parse(text, file: path))
  }

  @Test("a file that cannot be read: unreadable, and the message names it")
  func unreadable() {
    #expect(throws: PolicyLoadError.unreadable(path: "/nonexistent/policy.yaml")) {
      try PolicyLoader.load(path: "/nonexistent/policy.yaml")
    }
    #expect(PolicyLoadError.unreadable(path: "p.yaml").description == "p.yaml: cannot read the policy file")
  }

  @Test("a file that is not a policy: invalid, with the parser's message")
  func invalid() throws {
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("flowlens-\(UUID().uuidString).yaml").path
    try "version: 1\nrules: 3\n".write(toFile: path, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(atPath: path) }
    do {
      _ = try PolicyLoader.load(path: path)
      Issue.record("expected an error")
    } catch {
      guard case .invalid(let parseError) = error else {
        Issue.record("expected .invalid, got \(error)")
        return
      }
      #expect(error.description == parseError.description)
      #expect(error.description.hasPrefix(path))
    }
  }
}
