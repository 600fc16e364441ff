import FlowLogParser
import FlowStats
import Testing

@Suite("Audit: nat-endpoint-candidate")
struct NATEndpointDetectorTests {
  static let v11Header =
    "version interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status flow-direction traffic-path pkt-dst-aws-service interface-type subnet-id"

  @Test("nat-endpoint-candidate: S3 through a NAT gateway, with the cost estimate")
  func natEndpoint() throws {
    let text = """
      \(Self.v11Header)
      11 eni-nat 10.0.1.9 52.216.8.1 40000 443 6 1000 2000000000 1700000000 1700000060 ACCEPT OK egress 8 S3 nat_gateway subnet-pub
      11 eni-nat 10.0.1.9 52.216.8.2 40001 443 6 1000 2000000000 1700000000 1700000060 ACCEPT OK egress 8 S3 nat_gateway subnet-pub
      11 eni-app 10.0.2.9 52.216.8.3 40002 443 6 1000 500000000 1700000000 1700000060 ACCEPT OK egress 7 S3 - subnet-app
      11 eni-nat 10.0.1.9 52.94.1.1 40003 443 6 10 1000 1700000000 1700000060 ACCEPT OK egress 8 DYNAMODB nat_gateway subnet-pub
      11 eni-nat 52.216.8.1 10.0.1.9 443 40000 6 1000 2000000000 1700000000 1700000060 ACCEPT OK ingress - - nat_gateway subnet-pub
      11 eni-nat 10.0.1.9 140.82.1.1 40004 443 6 10 1000 1700000000 1700000060 ACCEPT OK egress 8 - nat_gateway subnet-pub

      """
    let findings = audit(text).filter { $0.rule == "nat-endpoint-candidate" }
    #expect(findings.count == 2)
    let s3 = try #require(findings.first { $0.details["service"] == "S3" })
    #expect(s3.interfaceID == "eni-nat")
    #expect(s3.bytes == 4_000_000_000)
    #expect(s3.records == 2)
    #expect(s3.details["estimated_nat_cost_usd"] == .number(0.18))
    #expect(s3.details["via"] == .text("nat-gateway"))
    #expect(s3.severity == .low)
    // One unit system: 4,000,000,000 bytes are 3.73 GiB (2^30 bytes each), as every other size is
    // written; the price stays per GB of 10^9 bytes (4 × 0.045 = $0.18).
    #expect(
      s3.message
        == "3.7 GiB to S3 went through a NAT gateway (about $0.18 of NAT processing at the policy's cost_per_gb of $0.045)"
    )
    let dynamo = try #require(findings.first { $0.details["service"] == "DYNAMODB" })
    // 1,000 bytes are not "0.0 MB": small sizes are written exactly, and a tiny cost is not "$0.0".
    #expect(
      dynamo.message
        == "1000 B to DYNAMODB went through a NAT gateway (less than $0.01 of NAT processing at the policy's cost_per_gb of $0.045)"
    )
  }

  @Test("nat-endpoint-candidate from policy NAT interfaces and destination ranges (no v5+ fields)")
  func natFromPolicy() throws {
    var policy = Policy.builtIn
    policy.detectors.natEndpoint.natInterfaces = ["eni-natgw"]
    policy.detectors.natEndpoint.destinations = AddressSet(["52.216.0.0/15"].compactMap { CIDR($0) })
    let text = [
      flow("eni-natgw", "10.0.1.9", "52.217.4.4", 40000, 443, bytes: 5_000_000),
      flow("eni-natgw", "10.0.1.9", "93.184.216.34", 40001, 443, bytes: 5_000_000),
      flow("eni-other", "10.0.1.9", "52.217.4.4", 40002, 443, bytes: 5_000_000),
    ].joined(separator: "\n")
    let findings = audit(text, policy: policy).filter { $0.rule == "nat-endpoint-candidate" }
    #expect(findings.map(\.interfaceID) == ["eni-natgw"])
    #expect(findings.first?.bytes == 5_000_000)
  }
}
