import FlowLogParser
import Testing

@Suite("Layouts")
struct FlowLayoutTests {
  @Test(
    "format strings in every accepted spelling",
    arguments: [
      "${version} ${srcaddr} ${dstaddr} ${action}",
      "version srcaddr dstaddr action",
      "version,srcaddr,dstaddr,action",
      "  ${version}   ${srcaddr} ${dstaddr}\t${action} ",
      "${version} srcaddr ${dstaddr} action",
    ])
  func formatStrings(format: String) throws {
    let layout = try FlowLayout(format: format)
    #expect(layout.columns == [.field(.version), .field(.srcaddr), .field(.dstaddr), .field(.action)])
  }

  @Test("underscores as Parquet and Athena spell names")
  func underscores() throws {
    let layout = try FlowLayout(format: "account_id log_status pkt_src_aws_service instance_tag_2")
    #expect(
      layout.columns == [.field(.accountID), .field(.logStatus), .field(.pktSrcAWSService), .field(.instanceTag2)])
  }

  @Test("the default format string gives the default layout")
  func defaultFormat() throws {
    let format = FlowLayout.defaultV2.columns.map { "${\($0.name)}" }.joined(separator: " ")
    #expect(try FlowLayout(format: format) == .defaultV2)
    #expect(FlowLayout.defaultV2.description == defaultHeader)
  }

  @Test("all 54 VPC fields in alphabetical order make a layout")
  func alphabetical() throws {
    let names = FlowField.allCases.filter { !$0.isTransitGatewayOnly }.map(\.name).sorted()
    let layout = try FlowLayout(format: names.joined(separator: " "))
    #expect(layout.columns.count == 54)
    #expect(layout.columns.first == .field(.accountID))
  }

  @Test(
    "bad format strings name the problem",
    arguments: [
      ("${version} ${srcadr}", LayoutError.unknownField("${srcadr}")),
      ("version srcaddr version", .duplicateField("version")),
      ("srcaddr src_addr", .unknownField("src_addr")),
      ("   ", .empty),
    ])
  func badFormats(format: String, error: LayoutError) {
    #expect(throws: error) { try FlowLayout(format: format) }
  }

  @Test("header lines are recognised; records are not")
  func headerDetection() throws {
    func header(_ line: String) throws -> FlowLayout? {
      try Array(line.utf8).withUnsafeBytes { try FlowLayout(headerLine: $0) }
    }
    #expect(try header(defaultHeader) == .defaultV2)
    #expect(
      try header("flow-direction traffic-path srcaddr dstaddr srcport dstport encryption-status")?.columns.count == 7)
    #expect(try header(v2Line()) == nil)
    #expect(try header("eni-0a1b2c3d ingress 10.0.0.1") == nil)
    #expect(try header("version Srcaddr") == nil)
    let unknown = try #require(try header("version srcaddr future-field-v12"))
    #expect(unknown.unknownNames == ["future-field-v12"])
    #expect(throws: LayoutError.duplicateField("srcaddr")) { try header("version srcaddr srcaddr") }
  }
}
