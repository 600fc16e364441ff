import FlowLogParser
import FlowStats
import Testing

@Suite("Audit: private-egress-path")
struct PrivateEgressDetectorTests {
  @Test("private-egress-path: a private subnet using an internet gateway route")
  func privateEgress() throws {
    var policy = Policy.builtIn
    policy.detectors.privateEgress.subnetIDs = ["subnet-app"]
    policy.detectors.privateEgress.addresses = AddressSet(["10.0.3.0/24"].compactMap { CIDR($0) })
    let text = """
      \(NATEndpointDetectorTests.v11Header)
      11 eni-app 10.0.2.9 93.184.216.34 40000 443 6 10 1000 1700000000 1700000060 ACCEPT OK egress 8 - - subnet-app
      11 eni-app 10.0.2.9 10.0.5.5 40000 443 6 10 1000 1700000000 1700000060 ACCEPT OK egress 1 - - subnet-app
      11 eni-pub 10.0.1.9 93.184.216.34 40000 443 6 10 1000 1700000000 1700000060 ACCEPT OK egress 8 - - subnet-pub
      11 eni-db 10.0.3.7 93.184.216.34 40000 443 6 10 1000 1700000000 1700000060 ACCEPT OK egress 2 - - subnet-db

      """
    let findings = audit(text, policy: policy).filter { $0.rule == "private-egress-path" }
    #expect(findings.map(\.interfaceID) == ["eni-app", "eni-db"])
    #expect(findings.map(\.source) == ["10.0.2.9", "10.0.3.7"])
    #expect(findings.allSatisfy { $0.severity == .high && $0.records == 1 })
    // Without private subnets in the policy the detector has nothing to check.
    #expect(audit(text).filter { $0.rule == "private-egress-path" }.isEmpty)
  }
}

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
