import Foundation
import Testing

@testable import FlowLogParser

@Suite("Planning read jobs")
struct ReadPlanTests {
  @Test(
    "a big plain file is split into pieces numbered on from each other; a hand-made input is sniffed once, for all its jobs"
  )
  func pieces() throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("flowlens-\(UUID().uuidString).log")
    defer { try? FileManager.default.removeItem(at: url) }
    let lines = (0..<3000).map { v2Line(packets: String($0)) }
    try Data((defaultHeader + "\n" + lines.joined(separator: "\n") + "\n").utf8).write(to: url)
    let size = UInt64(try FileManager.default.attributesOfItem(atPath: url.path)[.size] as! Int)
    let reader = ParallelReader(jobs: 4, splitThreshold: 64 << 10, minimumPieceSize: 16 << 10)
    let jobs = reader.plan([InputFile(path: url.path, size: size, foundInDirectory: false)])
    #expect(jobs.count > 1)
    #expect(jobs.allSatisfy { $0.input.sniff?.format == .plain })
    #expect(jobs.map(\.countsAsFile) == [true] + Array(repeating: false, count: jobs.count - 1))
    #expect(jobs.first?.range?.lowerBound == 0 && jobs.last?.range?.upperBound == size)
    // Each piece's first line follows the lines of the pieces before it.
    var total = InputCounts()
    var sink = CollectingSink()
    var issues = IssueLog()
    let fileReader = FlowLogReader()
    for job in jobs {
      #expect(job.firstLineNumber == total.lines + 1)
      total.add(fileReader.read(job, into: &sink, issues: &issues))
    }
    #expect(total.records == 3000 && total.headers == 1 && total.files == 1)
    #expect(sink.positions.map(\.line) == Array(2...3001))
  }
}
