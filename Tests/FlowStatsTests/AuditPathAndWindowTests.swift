import FlowLogParser
import FlowStats
import Testing

@Suite("Audit: private-egress-path counts only certain internet gateway paths")
struct PrivateEgressPathTests {
  static let header =
    "version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status "
    + "flow-direction traffic-path pkt-dst-aws-service subnet-id"

  static var policy: Policy {
    var policy = Policy.builtIn
    policy.detectors.privateEgress.subnetIDs = ["subnet-private"]
    return policy
  }

  /// traffic-path codes from the AWS documentation (flowlog-format.md 1.7.5): 2 is "internet gateway
  /// or gateway VPC endpoint", 7 a gateway VPC endpoint and 8 an internet gateway (Nitro). A gateway
  /// endpoint exists only for S3 and DynamoDB; AMAZON is the umbrella range that also holds them.
  @Test(
    "traffic-path and destination service decide whether egress certainly took the internet gateway",
    arguments: [
      (2, "S3", false), (2, "DYNAMODB", false), (2, "AMAZON", false), (2, "-", true), (2, "EC2", true),
      (8, "S3", true), (8, "-", true), (7, "S3", false), (7, "-", false), (1, "-", false),
    ] as [(Int, String, Bool)])
  func pathAndService(path: Int, service: String, counted: Bool) {
    let text = """
      \(Self.header)
      5 eni-app 10.0.2.9 52.216.8.1 40000 443 6 10 1000 1700000000 1700000060 ACCEPT OK egress \(path) \(service) subnet-private

      """
    let findings = audit(text, policy: Self.policy).filter { $0.rule == "private-egress-path" }
    #expect(findings.count == (counted ? 1 : 0))
  }

  @Test("traffic-path 2 without pkt-dst-aws-service in the layout may be a gateway endpoint: not counted")
  func pathTwoWithoutServiceField() {
    let text = """
      version interface-id srcaddr dstaddr srcport dstport protocol action log-status flow-direction traffic-path subnet-id
      5 eni-app 10.0.2.9 52.216.8.1 40000 443 6 ACCEPT OK egress 2 subnet-private
      5 eni-app 10.0.2.9 52.216.8.1 40001 443 6 ACCEPT OK egress 8 subnet-private

      """
    let findings = audit(text, policy: Self.policy).filter { $0.rule == "private-egress-path" }
    #expect(findings.map(\.records) == [1])
    #expect(findings.first?.evidence?.line == 3)
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
    flow("eni-web", "10.0.1.5", "198.51.100.7", 443, 51515, packets: 3, bytes: 180, start: start, end: end, action: "REJECT")
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
