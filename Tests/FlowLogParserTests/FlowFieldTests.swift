import FlowLogParser
import Testing

@Suite("Flow log fields")
struct FlowFieldTests {
  @Test("54 VPC fields (v2-v11) and 18 Transit Gateway-only fields")
  func fieldCounts() {
    #expect(FlowField.allCases.filter { !$0.isTransitGatewayOnly }.count == 54)
    #expect(FlowField.allCases.filter(\.isTransitGatewayOnly).count == 18)
  }

  @Test("every field name looks up its field, with hyphens or underscores", arguments: FlowField.allCases)
  func nameRoundTrip(field: FlowField) {
    #expect(FlowField(name: field.name) == field)
    #expect(FlowField(name: field.name.replacingHyphens()) == field)
  }

  @Test(
    "versions of fields",
    arguments: [
      (FlowField.logStatus, 2), (.pktDstaddr, 3), (.sublocationID, 4), (.trafficPath, 5), (.resourceType, 6),
      (.packetsLostTTLExpired, 6), (.ecsTaskID, 7), (.rejectReason, 8), (.resourceID, 9), (.encryptionStatus, 10),
      (.nextHopInterfaceType, 11), (.instanceTag2, 11),
    ])
  func versions(field: FlowField, version: Int) {
    #expect(field.version == version)
  }

  @Test(
    "names that are not fields", arguments: ["", "src", "Version", "srcaddr ", "log status", "eni-0a1b2c3d", "ingress"])
  func unknownNames(name: String) {
    #expect(FlowField(name: name) == nil)
  }

  @Test("value kinds")
  func kinds() {
    #expect(FlowField.srcport.kind == .integer(max: 65_535))
    #expect(FlowField.protocol.kind == .integer(max: 255))
    #expect(FlowField.bytes.kind == .integer(max: .max))
    #expect(FlowField.start.kind == .timestamp)
    #expect(FlowField.pktSrcaddr.kind == .address)
    #expect(FlowField.accountID.kind == .text)
    #expect(FlowField.action.kind == .action)
    #expect(FlowField.logStatus.kind == .logStatus)
  }
}

extension String {
  func replacingHyphens() -> String { String(map { $0 == "-" ? "_" : $0 }) }
}
