import FlowLogParser
import FlowStats
import Testing

/// A default-format line for report tests.
private func line(
  _ eni: String = "eni-0a", src: String = "203.0.113.9", port: Int = 22, proto: Int = 6, start: UInt64,
  action: String = "ACCEPT"
) -> String {
  "2 123456789012 \(eni) \(src) 10.0.0.5 40000 \(port) \(proto) 1 100 \(start) \(start + 30) \(action) OK"
}

/// Reads `lines` into one report aggregator (inputs named as given).
private func aggregate(
  _ lines: [String], options: ReportOptions = ReportOptions(), policy: Policy = .builtIn, name: String = "test.log"
) -> ReportAggregator {
  var aggregator = ReportAggregator(
    policy: policy, inputFiles: [InputFile(path: name, size: 0, foundInDirectory: false)], options: options)
  var issues = IssueLog()
  _ = FlowLogReader().read(
    MemorySource(Array(lines.joined(separator: "\n").utf8)), name: name, into: &aggregator, issues: &issues)
  return aggregator
}

private func document(_ aggregator: ReportAggregator) -> ReportDocument {
  ReportDocument(policySource: "built-in", aggregate: aggregator, counts: InputCounts(), issues: IssueLog())
}

/// A deterministic pseudo-random sequence (SplitMix64), so that failures reproduce.
private struct SplitMix {
  var state: UInt64
  mutating func next(_ bound: UInt64) -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return (z ^ (z >> 31)) % bound
  }
}

@Suite("Report: ACCEPT and REJECT over time")
struct ActionTimelineTests {
  static let t0: UInt64 = 1_732_579_200  // 2024-11-26 00:00:00Z, a multiple of every ladder step up to a day

  @Test(
    "records are counted per minute of their start",
    arguments: [
      ([0, 59], [(0, 2)]),
      ([0, 60, 61, 119, 120], [(0, 1), (60, 3), (120, 1)]),
      ([3_599, 0, 1_800], [(0, 1), (1_800, 1), (3_540, 1)]),
    ] as [([UInt64], [(UInt64, UInt64)])])
  func perMinute(offsets: [UInt64], expected: [(UInt64, UInt64)]) {
    var timeline = ActionTimeline()
    for offset in offsets { timeline.add(start: Self.t0 + offset, action: .accept) }
    #expect(timeline.granularity == 60)
    #expect(timeline.intervals.map(\.start) == expected.map { Self.t0 + $0.0 })
    #expect(timeline.intervals.map(\.counts.accept) == expected.map(\.1))
    #expect(timeline.intervals.allSatisfy { $0.counts.reject == 0 })
  }

  @Test("ACCEPT and REJECT are counted apart; records without start are counted as untimed")
  func actions() {
    let aggregator = aggregate([
      line(start: Self.t0), line(start: Self.t0 + 5, action: "REJECT"), line(start: Self.t0 + 70, action: "REJECT"),
      "2 123456789012 eni-0a - - - - - - - \(Self.t0) \(Self.t0 + 60) - NODATA",
    ])
    #expect(
      aggregator.timeline.intervals.map(\.counts) == [
        ActionCounts(accept: 1, reject: 1), ActionCounts(accept: 0, reject: 1),
      ])
    // A record whose start is `-` still counts, as untimed.
    let untimed = aggregate(["2 123456789012 eni-0a 203.0.113.9 10.0.0.5 1 22 6 1 100 - - REJECT OK"])
    #expect(untimed.timeline.untimed == ActionCounts(accept: 0, reject: 1))
    #expect(untimed.timeline.count == 0)
    #expect(untimed.timeline.series().buckets.isEmpty)
    #expect(untimed.timeline.series().untimed.reject == 1)
  }

  @Test(
    "the chart's bucket size is the first readable size giving at most 120 buckets",
    arguments: [
      (1_200, 60),  // 20 min: 21 one-minute buckets
      (7_140, 60),  // 119 min: 120 buckets
      (7_200, 120),  // 2 h: one-minute buckets would be 121
      (3 * 3_600, 120),  // 91 buckets of 2 min
      (24 * 3_600 - 60, 900),  // a day: 96 buckets of 15 min
      (7 * 86_400, 7_200),  // a week: 85 buckets of 2 h
      (30 * 86_400, 43_200),  // 30 days: 61 buckets of 12 h
      (365 * 86_400, 604_800),  // a year: 53 weekly buckets
    ] as [(UInt64, UInt64)])
  func displaySize(range: UInt64, expected: UInt64) {
    let size = ActionTimeline.displayBucketSize(first: Self.t0, last: Self.t0 + range, granularity: 60, maxBuckets: 120)
    #expect(size == expected)
    let buckets = (Self.t0 + range) / size - Self.t0 / size + 1
    #expect(buckets <= 120)
    if range >= 24 * 60 { #expect(buckets >= 24) }
  }

  @Test("series are dense: empty buckets between records are kept, and counts are summed per bucket")
  func series() {
    var timeline = ActionTimeline()
    for offset: UInt64 in [0, 30, 4 * 3_600] { timeline.add(start: Self.t0 + offset, action: .accept) }
    timeline.add(start: Self.t0 + 100, action: .reject)
    let series = timeline.series(maxBuckets: 120)
    #expect(series.bucketSeconds == 300)  // 4 h of minutes is 241 buckets; 5 minutes gives 49
    #expect(series.buckets.count == 49)
    #expect(series.buckets.first?.counts == ActionCounts(accept: 2, reject: 1))
    #expect(series.buckets.last?.counts == ActionCounts(accept: 1, reject: 0))
    #expect(series.buckets.dropFirst().dropLast().allSatisfy { $0.counts.total == 0 })
    #expect(zip(series.buckets, series.buckets.dropFirst()).allSatisfy { $1.start - $0.start == 300 })
  }

  @Test("past its limit the timeline counts at the next granularity that fits, keeping every record")
  func coarsening() {
    var timeline = ActionTimeline(bucketLimit: 4)
    for minute: UInt64 in 0..<10 { timeline.add(start: Self.t0 + minute * 60, action: .accept) }
    #expect(timeline.granularity == 300)  // ten minutes are two 5-minute intervals
    #expect(timeline.intervals.map(\.counts.accept) == [5, 5])
    for hour: UInt64 in 1..<6 { timeline.add(start: Self.t0 + hour * 3_600, action: .reject) }
    #expect(timeline.granularity == 21_600)  // 7 distinct hours and 7 quarter hours exceed 4
    #expect(timeline.count == 1)
    #expect(timeline.intervals.first?.counts == ActionCounts(accept: 10, reject: 5))
    let series = timeline.series()
    #expect(series.countingSeconds == 21_600)
    #expect(series.bucketSeconds % 21_600 == 0)
  }

  @Test(
    "merging partial timelines gives the whole, in any order and grouping, whatever the limit",
    arguments: [1 << 17, 8, 3])
  func merge(limit: Int) {
    var random = SplitMix(state: UInt64(limit))
    let records = (0..<600).map { _ in
      (start: Self.t0 + random.next(12 * 3_600), action: random.next(4) == 0 ? FlowAction.reject : .accept)
    }
    func timeline(_ slice: ArraySlice<(start: UInt64, action: FlowAction)>) -> ActionTimeline {
      var timeline = ActionTimeline(bucketLimit: limit)
      for record in slice { timeline.add(start: record.start, action: record.action) }
      return timeline
    }
    let whole = timeline(records[...])
    let parts = [records[0..<50], records[50..<400], records[400...]].map(timeline)
    var leftFirst = parts[0]
    leftFirst.merge(parts[1])
    leftFirst.merge(parts[2])
    var tail = parts[2]
    tail.merge(parts[1])
    var rightFirst = tail
    rightFirst.merge(parts[0])
    for merged in [leftFirst, rightFirst] {
      #expect(merged.level == whole.level)
      #expect(merged.intervals.map(\.start) == whole.intervals.map(\.start))
      #expect(merged.intervals.map(\.counts) == whole.intervals.map(\.counts))
      #expect(merged.series() == whole.series())
    }
    #expect(whole.count <= limit)
    #expect(whole.intervals.reduce(0) { $0 + $1.counts.total } == 600)
  }
}

@Suite("Report: REJECT matrix")
struct RejectMatrixTests {
  @Test(
    "ports fold into ranges level by level; ports below 1024 stay exact until the last level",
    arguments: [
      (22, 1, 22, 22), (3389, 0, 3389, 3389), (3389, 1, 3376, 3391), (3389, 2, 3328, 3583), (3389, 3, 1024, 4095),
      (50_000, 3, 49_152, 53_247), (50_000, 4, 1024, 65_535), (22, 4, 22, 22), (22, 5, 0, 65_535),
      (1024, 1, 1024, 1039),
    ] as [(UInt16, Int, UInt16, UInt16)])
  func portRanges(port: UInt16, level: Int, start: UInt16, end: UInt16) {
    #expect(RejectMatrix.portRangeStart(port, level: level) == start)
    #expect(RejectMatrix.portRangeEnd(start: start, level: level) == end)
    // Each level only merges ranges of the level before.
    if level > 0 {
      let previous = RejectMatrix.portRangeStart(port, level: level - 1)
      #expect(RejectMatrix.portRangeStart(previous, level: level) == start)
    }
  }

  @Test("only REJECT records with an interface, port and protocol are counted, per cell")
  func counting() {
    let t: UInt64 = 1_732_579_200
    let aggregator = aggregate([
      line("eni-a", port: 22, start: t, action: "REJECT"), line("eni-a", port: 22, start: t, action: "REJECT"),
      line("eni-a", port: 22, proto: 17, start: t, action: "REJECT"),
      line("eni-b", port: 3389, start: t, action: "REJECT"),
      line("eni-a", port: 22, start: t, action: "ACCEPT"),
    ])
    let cells = aggregator.rejects.entries.map { "\($0.interface) \($0.portStart)/\($0.protocolNumber)=\($0.rejects)" }
    #expect(Set(cells) == ["eni-a 22/6=2", "eni-a 22/17=1", "eni-b 3389/6=1"])
    #expect(aggregator.rejects.level == 0)
  }

  @Test("the heat map shows the busiest interfaces, and their most rejected destinations, with exact cells")
  func heatmap() {
    let t: UInt64 = 1_732_579_200
    var lines: [String] = []
    // eni-c: 6 rejects, eni-a: 4, eni-b: 4 (ties by id), eni-d: 1 (left out with rows = 3).
    for (eni, port, n) in [
      ("eni-c", 22, 5), ("eni-c", 445, 1), ("eni-a", 3389, 3), ("eni-a", 23, 1), ("eni-b", 23, 4), ("eni-d", 8080, 1),
    ] {
      lines += Array(repeating: line(eni, port: port, start: t, action: "REJECT"), count: n)
    }
    let options = ReportOptions(heatmapInterfaces: 3, heatmapPorts: 3)
    let map = document(aggregate(lines, options: options)).rejectHeatmap
    #expect(map.rows.map(\.interfaceID) == ["eni-c", "eni-a", "eni-b"])
    #expect(map.rows.map(\.rejects) == [6, 4, 4])
    #expect(map.columns.map(\.port) == [22, 23, 3389])  // 445 (1) loses to 23 (5) and 3389 (3); 8080 is eni-d's
    #expect(map.columns.map(\.rejects) == [5, 5, 3])
    #expect(map.rows.map(\.cells) == [[5, 0, 0], [0, 1, 3], [0, 4, 0]])
    #expect(map.interfaceCount == 4)
    #expect(map.columnCount == 5)
  }

  @Test(
    "past its cell limit the matrix folds ports, and merged parts fold exactly as the whole",
    arguments: [1 << 18, 40, 6])
  func foldAndMerge(limit: Int) {
    var random = SplitMix(state: 7 + UInt64(limit))
    let t: UInt64 = 1_732_579_200
    let lines = (0..<500).map { _ in
      let port = random.next(3) == 0 ? [22, 3389, 445][Int(random.next(3))] : Int(1024 + random.next(64_000))
      return line("eni-\(random.next(5))", port: port, start: t, action: "REJECT")
    }
    let options = ReportOptions(matrixCellLimit: limit)
    let whole = aggregate(lines, options: options)
    var merged = aggregate(Array(lines[300...]), options: options)
    merged.merge(aggregate(Array(lines[..<120]), options: options))
    merged.merge(aggregate(Array(lines[120..<300]), options: options))
    #expect(merged.rejects.level == whole.rejects.level)
    #expect(Set(merged.rejects.entries.map { "\($0)" }) == Set(whole.rejects.entries.map { "\($0)" }))
    #expect(whole.rejects.entries.reduce(0) { $0 + $1.rejects } == 500)
    if limit >= 1 << 18 {
      #expect(whole.rejects.level == 0)
    } else {
      #expect(whole.rejects.level > 0)
      #expect(whole.rejects.count <= limit || whole.rejects.level == RejectMatrix.lastLevel)
    }
    #expect(document(merged).rejectHeatmap == document(whole).rejectHeatmap)
  }
}

@Suite("Report: the document")
struct ReportDocumentTests {
  @Test("a report of inputs read apart and merged in any order equals the report of reading them together")
  func mergeEqualsWhole() {
    let log = GeneratedLog(seed: 11, count: 4000)
    let lines = log.text.split(separator: "\n").dropFirst().map(String.init)
    let files = [lines[..<1500], lines[1500..<2600], lines[2600...]].enumerated().map { index, part in
      (file: InputFile(path: "part\(index).log", size: 0, foundInDirectory: false), text: part.joined(separator: "\n"))
    }
    let inputFiles = files.map(\.file)
    func read(_ indices: [Int]) -> ReportAggregator {
      var aggregator = ReportAggregator(policy: .builtIn, inputFiles: inputFiles)
      var issues = IssueLog()
      for index in indices {
        _ = FlowLogReader().read(
          MemorySource(Array(files[index].text.utf8)), name: inputFiles[index].path, inputIndex: index,
          into: &aggregator, issues: &issues)
      }
      return aggregator
    }
    let whole = document(read([0, 1, 2]))
    var forward = read([0])
    forward.merge(read([1]))
    forward.merge(read([2]))
    var backward = read([2])
    var middle = read([1])
    middle.merge(read([0]))
    backward.merge(middle)
    for merged in [document(forward), document(backward)] {
      #expect(merged.records == whole.records)
      #expect(merged.timeline == whole.timeline)
      #expect(merged.topPorts == whole.topPorts)
      #expect(merged.topRejectedSources == whole.topRejectedSources)
      #expect(merged.rejectHeatmap == whole.rejectHeatmap)
      #expect(merged.findingCounts == whole.findingCounts)
      let sameFindings = merged.findings == whole.findings
      #expect(sameFindings)
    }
    let timelineTotal = whole.timeline.buckets.reduce(into: ActionCounts()) { $0.add($1.counts) }
    #expect(timelineTotal == ActionCounts(accept: log.accept, reject: log.reject))
    #expect(whole.timeline.buckets.count <= 120)
    #expect(whole.topPorts.count <= 12)
    #expect(whole.rejectHeatmap.interfaceCount == log.perInterface.values.filter { $0.reject > 0 }.count)
    #expect(whole.rejectHeatmap.rows.count == 12)
  }

  @Test("rejected sources are ranked by REJECT records, not by all records")
  func rejectedSources() {
    let t: UInt64 = 1_732_579_200
    let lines =
      Array(repeating: line(src: "198.51.100.1", start: t), count: 5) + [
        line(src: "198.51.100.2", start: t, action: "REJECT")
      ]
      + Array(repeating: line(src: "192.0.2.7", start: t, action: "REJECT"), count: 2)
    let report = document(aggregate(lines))
    #expect(report.topRejectedSources.map(\.cidr) == ["192.0.2.0/24", "198.51.100.0/24"])
    #expect(report.topRejectedSources.map(\.reject) == [2, 1])
    #expect(report.topRejectedSources.last?.accept == 5)
    #expect(report.rejectedSourceCount == 2)
    #expect(report.topPorts.first?.port == 22)
  }

  @Test("findings beyond the per-rule limit are counted, not shown", arguments: [1, 2, 100])
  func findingsPerRule(limit: Int) {
    let t: UInt64 = 1_732_579_200
    // Three sources SSH in from the internet: three admin-exposure findings, and one database one.
    let lines =
      ["203.0.113.1", "203.0.113.2", "203.0.113.3"].map { line(src: $0, port: 22, start: t) }
      + [line(src: "203.0.113.4", port: 5432, start: t)]
    let report = document(aggregate(lines, options: ReportOptions(findingsPerRule: limit)))
    let shownAdmin = report.findings.filter { $0.rule == "admin-exposure" }.count
    #expect(shownAdmin == min(3, limit))
    #expect(report.findings.filter { $0.rule == "database-exposure" }.count == 1)
    #expect(report.omittedFindings.map(\.count) == (limit < 3 ? [3 - limit] : []))
    #expect(report.findingCounts.values.reduce(0, +) == 4)
  }
}
