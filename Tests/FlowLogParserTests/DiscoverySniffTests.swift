import FlowLogParser
import Foundation
import Testing

@Suite("Sniffing at discovery")
struct DiscoverySniffTests {
  @Test("regular files are sniffed once when found; a reader given the verdict reads the same")
  func sniffedAtDiscovery() throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("flowlens-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    let text = Array((defaultHeader + "\n" + v2Line() + "\n").utf8)
    try Data(text).write(to: directory.appendingPathComponent("a.log"))
    try Data(gzip(text)).write(to: directory.appendingPathComponent("b.log"))
    try Data(zstd(Array("{\"version\": 2}".utf8))).write(to: directory.appendingPathComponent("c.zst"))
    let events = #"{"events": [{"message": "\#(v2Line())"}, {"message": "bad"}], "nextToken": "x"}"#
    try Data(events.utf8).write(to: directory.appendingPathComponent("d.json"))
    let payload = #"{"messageType": "DATA_MESSAGE", "logEvents": [{"message": "\#(v2Line())"}]}"#
    try Data(gzip(Array(payload.utf8))).write(to: directory.appendingPathComponent("e.gz"))
    let files = InputDiscovery.expand([directory.path]).files
    #expect(files.map(\.sniff?.format) == [.plain, .gzip, .zstd, .plain, .gzip])
    #expect(files.map(\.isCompressed) == [false, true, true, false, true])
    #expect(files.map(\.sniff?.isRead) == [true, true, false, true, true])
    #expect(files[2].sniff?.rejection?.hasPrefix("zstd-compressed JSON input is not supported; flowlens reads") == true)
    #expect(files[3].sniff?.content == .cloudWatchLogs(.eventListing))
    #expect(files[4].sniff?.content == .cloudWatchLogs(.subscription))
    #expect(InputFile.standardInput.sniff == nil)

    // The same counts and issues with the verdict as when the reader sniffs for itself.
    for file in files {
      var sniffedSink = CollectingSink()
      var sniffedIssues = IssueLog()
      let sniffed = FlowLogReader().read(ReadJob(file), into: &sniffedSink, issues: &sniffedIssues)
      var unsniffed = file
      unsniffed.sniff = nil
      var sink = CollectingSink()
      var issues = IssueLog()
      let counts = FlowLogReader().read(ReadJob(unsniffed), into: &sink, issues: &issues)
      #expect(sniffed == counts)
      #expect(sniffedIssues.examples == issues.examples)
      #expect(sniffedSink.records == sink.records)
    }
  }
}
