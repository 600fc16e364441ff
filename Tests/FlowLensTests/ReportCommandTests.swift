import Foundation
import Testing

/// Reads pieces of a generated report page the way the tests need them: plain string search over
/// the markup the renderer writes (one element per chart, one `<rect` per bar).
struct ReportPage {
  var html: String

  /// The markup of the `<svg>` element with `id`, or nil.
  func svg(_ id: String) -> Substring? {
    guard let idRange = html.range(of: "id=\"\(id)\"") else { return nil }
    guard let start = html[..<idRange.lowerBound].range(of: "<svg", options: .backwards),
      let end = html[idRange.upperBound...].range(of: "</svg>")
    else { return nil }
    return html[start.lowerBound..<end.upperBound]
  }

  /// How many times `needle` occurs in `text`.
  static func count(_ needle: String, in text: some StringProtocol) -> Int {
    text.components(separatedBy: needle).count - 1
  }

  /// The `data-count` of every `<rect` in `text`, in order, with the rect's class.
  static func rects(in text: some StringProtocol) -> [(kind: String, count: UInt64)] {
    text.components(separatedBy: "<rect").dropFirst().map { piece in
      let tag = piece.prefix { $0 != ">" }
      return (attribute("class", in: tag) ?? "", UInt64(attribute("data-count", in: tag) ?? "") ?? 0)
    }
  }

  static func attribute(_ name: String, in tag: some StringProtocol) -> String? {
    guard let start = tag.range(of: " \(name)=\"") else { return nil }
    return String(tag[start.upperBound...].prefix { $0 != "\"" })
  }
}

/// Records of `flowlens records` (NDJSON), for expectations computed apart from the report code.
struct DecodedRecords {
  var rows: [[String: Any]]

  init(_ ndjson: String) throws {
    rows = try ndjson.split(separator: "\n").map {
      try #require(JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any])
    }
  }

  /// Records with an action, as `summary` counts them (not NODATA or SKIPDATA).
  var traffic: [[String: Any]] {
    rows.filter { row in
      let status = row["log-status"] as? String
      return (row["action"] as? String) != nil && status != "NODATA" && status != "SKIPDATA"
    }
  }

  /// ACCEPT and REJECT records per bucket of `seconds`, keyed by bucket start.
  func buckets(of seconds: Int) -> [Int: (accept: Int, reject: Int)] {
    var result: [Int: (accept: Int, reject: Int)] = [:]
    for row in traffic {
      guard let start = row["start"] as? Int else { continue }
      let key = start / seconds * seconds
      var entry = result[key] ?? (0, 0)
      if row["action"] as? String == "ACCEPT" { entry.accept += 1 } else { entry.reject += 1 }
      result[key] = entry
    }
    return result
  }

  /// The non-zero cells of the REJECT heat map: the `rows` interfaces with the most REJECT
  /// records (ties by id), and among their records the `columns` (port, protocol) with the most
  /// (ties by port, then protocol).
  func heatmapCells(rows rowLimit: Int, columns columnLimit: Int) -> [UInt64] {
    var cells: [String: [String: UInt64]] = [:]
    for row in traffic where row["action"] as? String == "REJECT" {
      guard let eni = (row["interface-id"] as? String) ?? (row["resource-id"] as? String),
        let port = row["dstport"] as? Int, let proto = row["protocol"] as? Int
      else { continue }
      cells[eni, default: [:]]["\(port)/\(proto)", default: 0] += 1
    }
    let totals = cells.mapValues { $0.values.reduce(0, +) }
    let shown = totals.sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }.prefix(rowLimit).map(
      \.key)
    var columnTotals: [String: UInt64] = [:]
    for eni in shown { for (column, n) in cells[eni]! { columnTotals[column, default: 0] += n } }
    func portProto(_ key: String) -> (Int, Int) {
      let parts = key.split(separator: "/").map { Int($0)! }
      return (parts[0], parts[1])
    }
    let columns = columnTotals.sorted {
      $0.value != $1.value ? $0.value > $1.value : portProto($0.key) < portProto($1.key)
    }.prefix(columnLimit).map(\.key)
    return shown.flatMap { eni in columns.compactMap { cells[eni]![$0] } }
  }
}

@Suite("flowlens report")
struct ReportCommandTests {
  static let corporate = ["--policy", "Fixtures/policies/corporate.yaml", "Fixtures/sample"]

  static func temporaryDirectory() throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
      "flowlens-report-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
  }

  @Test("the sample: every chart has the bars the summary, records and audit say it should")
  func sampleCharts() throws {
    let directory = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let file = directory.appendingPathComponent("report.html")
    let run = try CLI.run(["report"] + Self.corporate + ["-o", file.path])
    #expect(run.status == 0)
    #expect(run.stdout.isEmpty)
    let page = ReportPage(html: try String(contentsOf: file, encoding: .utf8))
    for section in ["overview", "inputs", "issues", "timeline", "ports", "rejected-sources", "heatmap", "findings"] {
      #expect(page.html.contains("id=\"\(section)\""), "section \(section)")
    }
    #expect(ReportPage.count("<svg", in: page.html) == 4)

    let summary = try CLI.run(["summary", "--format", "json", "--top", "0", "Fixtures/sample"]).json()
    // Ports: the 12 with the most records; one bar per non-zero action.
    let ports = try #require(summary["by_port"] as? [[String: Int]]).prefix(12)
    let portBars = try #require(page.svg("chart-ports"))
    let portRects = ReportPage.rects(in: portBars)
    #expect(portRects.count == ports.reduce(0) { $0 + ($1["accept"]! > 0 ? 1 : 0) + ($1["reject"]! > 0 ? 1 : 0) })
    #expect(
      portRects.filter { $0.kind == "bar reject" }.map(\.count)
        == ports.compactMap { $0["reject"]! > 0 ? UInt64($0["reject"]!) : nil })

    // Rejected sources: prefixes with REJECT records, most first.
    let sources = try #require(summary["by_source_cidr"] as? [[String: Any]])
    let rejected = sources.compactMap { $0["reject"] as? Int }.filter { $0 > 0 }.sorted(by: >).prefix(12)
    let sourceRects = ReportPage.rects(in: try #require(page.svg("chart-rejected-sources")))
    #expect(sourceRects.map(\.count) == rejected.map(UInt64.init))

    // Over time: 20 minutes of records in one-minute buckets.
    let records = try DecodedRecords(try CLI.run(["records", "Fixtures/sample"]).stdout)
    let timeline = try #require(page.svg("chart-timeline"))
    #expect(timeline.contains("data-bucket-seconds=\"60\""))
    let buckets = records.buckets(of: 60)
    let timelineRects = ReportPage.rects(in: timeline)
    #expect(timelineRects.count == buckets.values.reduce(0) { $0 + ($1.accept > 0 ? 1 : 0) + ($1.reject > 0 ? 1 : 0) })
    #expect(
      timelineRects.filter { $0.kind == "bar accept" }.reduce(0) { $0 + $1.count }
        == UInt64(try #require(summary["records"] as? [String: Int])["accept"]!))
    #expect(
      ReportPage.count("data-buckets=\"\(buckets.keys.max()! / 60 - buckets.keys.min()! / 60 + 1)\"", in: timeline) == 1
    )

    // Heat map: exact cells of the busiest interfaces.
    let heatmap = try #require(page.svg("chart-heatmap"))
    let expectedCells = records.heatmapCells(rows: 12, columns: 12)
    #expect(ReportPage.rects(in: heatmap).map(\.count) == expectedCells)

    // Findings: all of them (fewer than 100 per rule), each with a unique anchor that links to itself.
    let audit = try CLI.run(["audit", "--format", "json"] + Self.corporate).json()
    let findings = try #require(audit["findings"] as? [[String: Any]])
    #expect(ReportPage.count("<article class=\"finding ", in: page.html) == findings.count)
    let anchors = page.html.components(separatedBy: "<article class=\"finding ").dropFirst().compactMap {
      ReportPage.attribute("id", in: $0.prefix { $0 != ">" })
    }
    #expect(Set(anchors).count == findings.count)
    for anchor in anchors { #expect(page.html.contains("href=\"#\(anchor)\"")) }
    for severity in ["high", "medium", "low"] {
      let n = findings.filter { $0["severity"] as? String == severity }.count
      #expect(page.html.contains("id=\"severity-\(severity)\""))
      #expect(ReportPage.count("<article class=\"finding sev-\(severity)\"", in: page.html) == n)
    }
  }

  @Test("the page is self-contained: no script, no external resource, a CSP that forbids both")
  func selfContained() throws {
    let html = try CLI.run(["report"] + Self.corporate).stdout
    #expect(html.hasPrefix("<!DOCTYPE html>"))
    #expect(!html.lowercased().contains("<script"))
    #expect(!html.contains("http://") && !html.contains("https://"))
    #expect(!html.contains(" src=") && !html.contains("<link") && !html.contains("@import") && !html.contains("url("))
    #expect(html.contains("content=\"default-src 'none'; style-src 'unsafe-inline'\""))
    #expect(html.contains("@media print"))
    #expect(html.contains("@media (prefers-color-scheme: dark)"))
  }

  @Test("the report is the same for any number of workers", arguments: ["html", "json"])
  func jobs(format: String) throws {
    let outputs = try [1, 2, 3].map { jobs in
      try CLI.run(["report", "--format", format, "--jobs", String(jobs)] + Self.corporate).stdout
    }
    #expect(!outputs[0].isEmpty)
    #expect(outputs[1] == outputs[0])
    #expect(outputs[2] == outputs[0])
  }

  @Test(
    "log data and policy text are escaped, never markup",
    arguments: [
      (
        "eni-<script>document.title='PWNED'</script>", "eni-&lt;script&gt;document.title=&#39;PWNED&#39;&lt;/script&gt;"
      ),
      ("eni-<svg/onload=document.title='PWNED-SVG'>", "eni-&lt;svg/onload=document.title=&#39;PWNED-SVG&#39;&gt;"),
      ("<b>ssh</b>-<script>", "&lt;b&gt;ssh&lt;/b&gt;-&lt;script&gt;"),
      ("<img src=x onerror=", "&lt;img src=x onerror=&quot;"),
      ("x<script>document.title=", "x&lt;script&gt;document.title="),
      ("<svg onload=document.title='PWNED-FILE'>.log", "&lt;svg onload=document.title=&#39;PWNED-FILE&#39;&gt;.log"),
    ])
  func hostile(raw: String, escaped: String) throws {
    let directory = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    // A file name that is markup, too.
    let input = directory.appendingPathComponent("<svg onload=document.title='PWNED-FILE'>.log")
    try FileManager.default.copyItem(at: CLI.root.appendingPathComponent("Fixtures/hostile/hostile.log"), to: input)
    let run = try CLI.run(["report", "--quiet", "--policy", "Fixtures/policies/hostile.yaml", input.path])
    #expect(run.status == 0)
    let html = run.stdout
    #expect(html.contains(escaped))
    #expect(!html.contains(raw))
    #expect(!html.lowercased().contains("<script"))
    #expect(!html.contains("<svg/") && !html.contains("<svg onload") && !html.contains("<img") && !html.contains("<b>"))
    #expect(ReportPage.count("<svg", in: html) == 4)
    #expect(html.contains("<title>flowlens report: 2024-11-26 00:00:00Z to 2024-11-26 00:22:40Z</title>"))
  }

  @Test("an interface id from --log-format input is escaped in the heat map")
  func logFormatPayload() throws {
    let directory = try Self.temporaryDirectory()
    defer { try? FileManager.default.removeItem(at: directory) }
    let input = directory.appendingPathComponent("custom.log")
    try "eni-<script>alert(1)</script> 203.0.113.5 10.0.0.1 3389 6 1732579200 REJECT\n"
      .write(to: input, atomically: true, encoding: .utf8)
    let run = try CLI.run([
      "report", "--log-format", "${interface-id} ${srcaddr} ${dstaddr} ${dstport} ${protocol} ${start} ${action}",
      input.path,
    ])
    #expect(run.status == 0)
    let heatmap = try #require(ReportPage(html: run.stdout).svg("chart-heatmap"))
    #expect(heatmap.contains("<title>eni-&lt;script&gt;alert(1)&lt;/script&gt;</title>"))
    #expect(ReportPage.rects(in: heatmap).map(\.count) == [1])
    #expect(!run.stdout.lowercased().contains("<script"))
  }

  @Test("no records: the page says so and draws no bars (and the run exits 2 unless --allow-empty)")
  func empty() throws {
    #expect(try CLI.run(["report", "-"], stdin: Data()).status == 2)
    let run = try CLI.run(["report", "--allow-empty", "-"], stdin: Data())
    #expect(run.status == 0)
    #expect(ReportPage.count("<rect", in: run.stdout) == 0)
    #expect(run.stdout.contains("No ACCEPT or REJECT record has a start time."))
    #expect(run.stdout.contains("no findings."))
  }

  @Test("parse issues: malformed lines and unreadable inputs, counted per file and kind, with examples")
  func parseIssues() throws {
    let run = try CLI.run(["report", "--quiet", "Fixtures/hostile", "Fixtures/does-not-exist"])
    #expect(run.status == 2)  // an input could not be read; the page is still written
    let html = run.stdout
    #expect(
      html.contains(
        "<p>2 malformed lines, not counted as records; 1 input could not be read to the end. By file and kind:</p>"))
    for row in [("Fixtures/hostile/hostile.log", "bad_address", 1), ("Fixtures/hostile/hostile.log", "bad_integer", 1)]
    {
      #expect(html.contains("<tr><td><code>\(row.0)</code></td><td>\(row.1)</td><td class=\"num\">\(row.2)</td></tr>"))
    }
    #expect(html.contains("<td><code>Fixtures/does-not-exist</code></td><td>unreadable</td>"))
    #expect(
      html.contains(
        "<li><code>Fixtures/hostile/hostile.log:12</code> <span class=\"note\">[bad_integer]</span> packets: "))
  }

  @Test("usage and output errors exit with 2")
  func errors() throws {
    let unwritable = try CLI.run(["report", "-o", "/nonexistent-dir/report.html", "Fixtures/sample"])
    #expect(unwritable.status == 2)
    #expect(unwritable.stderr.contains("/nonexistent-dir/report.html"))
    #expect(try CLI.run(["report", "--top", "0", "Fixtures/sample"]).status == 2)
    #expect(try CLI.run(["report", "--policy", "/nonexistent.yaml", "Fixtures/sample"]).status == 2)
    #expect(try CLI.run(["report", "Fixtures/does-not-exist"]).status == 2)
  }
}
