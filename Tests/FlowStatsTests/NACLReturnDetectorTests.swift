import FlowLogParser
import FlowStats
import Foundation
import Testing

@Suite("Audit: nacl-return-blocked")
struct NACLReturnDetectorTests {
  /// The AWS example: inbound ping accepted, the reply rejected by a stateless network ACL.
  static let acceptedPing =
    "2 123456789010 eni-1235b8ca123456789 203.0.113.12 172.31.16.139 0 0 1 4 336 1432917027 1432917142 ACCEPT OK"
  static let rejectedReply =
    "2 123456789010 eni-1235b8ca123456789 172.31.16.139 203.0.113.12 0 0 1 4 336 1432917094 1432917142 REJECT OK"

  @Test("nacl-return-blocked: the AWS ping example, in either order", arguments: [false, true])
  func naclReturn(reversed: Bool) throws {
    let lines = reversed ? [Self.rejectedReply, Self.acceptedPing] : [Self.acceptedPing, Self.rejectedReply]
    let findings = audit(lines.joined(separator: "\n")).filter { $0.rule == "nacl-return-blocked" }
    #expect(findings.count == 1)
    let f = try #require(findings.first)
    #expect(f.interfaceID == "eni-1235b8ca123456789")
    #expect(f.source == "203.0.113.12")
    #expect(f.port == 0)
    #expect(f.protocol == 1)
    #expect(f.action == "REJECT")
    #expect(f.records == 1)
    #expect(f.packets == 4)
    #expect(f.bytes == 336)
    #expect(f.severity == .medium)
    #expect(f.evidence?.line == (reversed ? 1 : 2))
  }

  @Test("no nacl-return-blocked when both directions are accepted, on another interface, or far apart in time")
  func naclReturnNegatives() {
    let bothAccepted = [Self.acceptedPing, Self.rejectedReply.replacingOccurrences(of: "REJECT", with: "ACCEPT")]
    let otherInterface = [
      Self.acceptedPing, Self.rejectedReply.replacingOccurrences(of: "eni-1235b8ca123456789", with: "eni-other"),
    ]
    let later = [
      Self.acceptedPing,
      Self.rejectedReply.replacingOccurrences(of: "1432917094 1432917142", with: "1432927094 1432927142"),
    ]
    for lines in [bothAccepted, otherInterface, later] {
      #expect(audit(lines.joined(separator: "\n")).filter { $0.rule == "nacl-return-blocked" }.isEmpty)
    }
  }

  @Test("nacl-return-blocked for TCP replies to ephemeral ports")
  func naclReturnTCP() throws {
    let text = [
      flow("eni-web", "198.51.100.7", "10.0.1.5", 51515, 443),
      flow("eni-web", "10.0.1.5", "198.51.100.7", 443, 51515, packets: 3, bytes: 180, action: "REJECT"),
    ].joined(separator: "\n")
    let f = try #require(audit(text).first { $0.rule == "nacl-return-blocked" })
    #expect(f.source == "198.51.100.7")
    #expect(f.port == 443)
    #expect(f.protocol == 6)
  }
}

@Suite("Audit: nacl-return-blocked matches a reply in the request's window, as documented")
struct NACLReturnWindowTests {
  /// A multiple of 600 (the default window_seconds): the start of an epoch-aligned window.
  static let boundary = 1_700_000_400

  static func request(start: Int, end: Int) -> String {
    flow("eni-web", "198.51.100.7", "10.0.1.5", 51515, 443, start: start, end: end)
  }

  static func reply(start: Int, end: Int) -> String {
    flow(
      "eni-web", "10.0.1.5", "198.51.100.7", 443, 51515, packets: 3, bytes: 180, start: start, end: end,
      action: "REJECT")
  }

  static func naclFindings(_ lines: [String], policy: Policy = .builtIn) -> [Finding] {
    audit(lines.joined(separator: "\n"), policy: policy).filter { $0.rule == "nacl-return-blocked" }
  }

  @Test(
    "a request ending just before a window boundary and replies one second either side of it",
    arguments: [
      (-1, -1, true),  // same window as the request
      (0, 0, false),  // the next window, one second later
      (-1, 0, true),  // a reply that spans the boundary shares the request's window
      (1, 1, false), (599, 599, false), (600, 600, false), (-600, -600, true), (-601, -601, false),
    ] as [(Int, Int, Bool)])
  func requestBeforeBoundary(replyStart: Int, replyEnd: Int, matched: Bool) {
    let b = Self.boundary
    let lines = [Self.request(start: b - 30, end: b - 20), Self.reply(start: b + replyStart, end: b + replyEnd)]
    #expect(Self.naclFindings(lines).count == (matched ? 1 : 0))
    #expect(Self.naclFindings(lines.reversed()).count == (matched ? 1 : 0))
  }

  @Test(
    "a request starting on a window boundary and replies one second either side of it",
    arguments: [(-1, false), (0, true), (599, true), (600, false)] as [(Int, Bool)])
  func requestAfterBoundary(replyAt: Int, matched: Bool) {
    let b = Self.boundary
    let lines = [Self.request(start: b, end: b + 10), Self.reply(start: b + replyAt, end: b + replyAt)]
    #expect(Self.naclFindings(lines).count == (matched ? 1 : 0))
  }

  @Test("only the replies in a request's window count, not every reply of the same flow")
  func repliesCountedOneByOne() throws {
    let b = Self.boundary
    let lines = [
      Self.request(start: b + 10, end: b + 20),
      Self.reply(start: b + 30, end: b + 40),  // matched
      Self.reply(start: b + 1_800, end: b + 1_810),  // three windows later: no request there
    ]
    let f = try #require(Self.naclFindings(lines).first)
    #expect(f.records == 1)
    #expect(f.packets == 3)
  }

  @Test("a request record longer than the window is matched in every window it covers")
  func longRequest() {
    var policy = Policy.builtIn
    policy.detectors.naclReturn.windowSeconds = 60
    let b = Self.boundary
    let lines = [Self.request(start: b, end: b + 300), Self.reply(start: b + 150, end: b + 150)]
    #expect(Self.naclFindings(lines, policy: policy).count == 1)
  }
}
