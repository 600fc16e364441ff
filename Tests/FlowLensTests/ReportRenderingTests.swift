import FlowLogParser
import FlowStats
import Foundation
import Testing

@testable import FlowLensOutput

@Suite("Report rendering: escaping")
struct MarkupEscapingTests {
  @Test(
    "HTML escaping turns every markup character into a reference",
    arguments: [
      ("eni-0a1b2c3d", "eni-0a1b2c3d"),
      ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
      ("a & b", "a &amp; b"),
      ("\"quoted\" 'single'", "&quot;quoted&quot; &#39;single&#39;"),
      ("&lt;", "&amp;lt;"),
      ("bell\u{07}nul\u{00}", "bell\u{FFFD}nul\u{FFFD}"),
      ("naïve ✓", "naïve ✓"),
    ])
  func html(raw: String, escaped: String) {
    #expect(MarkupEscaping.html(raw) == escaped)
  }

  @Test(
    "Markdown cells show log data literally",
    arguments: [
      ("eni-0a1b2c3d", "eni-0a1b2c3d"),
      ("a|b", "a\\|b"),
      ("*bold* _em_ `code` [link](x) ~~s~~ $x$", "\\*bold\\* \\_em\\_ \\`code\\` \\[link\\](x) \\~\\~s\\~\\~ \\$x\\$"),
      ("<script>&", "&lt;script&gt;&amp;"),
      ("back\\slash", "back\\\\slash"),
      ("two\nlines", "two lines"),
      ("![img](x)", "\\!\\[img\\](x)"),
    ])
  func markdown(raw: String, escaped: String) {
    #expect(MarkupEscaping.markdown(raw) == escaped)
  }

  @Test(
    "anchors are lowercase words joined by dashes",
    arguments: [
      (
        ["finding", "ssh-from-corporate", "eni-05A5", "203.0.113.9", "22", "TCP"],
        "finding-ssh-from-corporate-eni-05a5-203-0-113-9-22-tcp"
      ),
      (["finding", "<b>x</b>", "\"'><script>"], "finding-b-x-b-script"),
      (["finding", "2001:db8::/64"], "finding-2001-db8-64"),
    ])
  func slug(parts: [String], expected: String) {
    #expect(MarkupEscaping.slug(parts) == expected)
  }

  @Test("the writer escapes text and attribute values; markup comes only from literals")
  func writer() {
    var w = HTMLWriter()
    w.element("p", ["class": "x\" onclick=\"alert(1)", "title": "<b>"], text: "<i>&")
    w.shape("rect", ["data-count": "\"><script>"])
    #expect(
      w.output
        == "<p class=\"x&quot; onclick=&quot;alert(1)\" title=\"&lt;b&gt;\">&lt;i&gt;&amp;</p><rect data-count=\"&quot;&gt;&lt;script&gt;\"/>"
    )
  }
}

@Suite("Report rendering: charts")
struct ReportChartTests {
  /// A report document of `lines` (default format), read in memory.
  static func document(_ lines: [String], policy: Policy = .builtIn, name: String = "mem.log") -> ReportDocument {
    var aggregator = ReportAggregator(
      policy: policy, inputFiles: [InputFile(path: name, size: 1, foundInDirectory: false)])
    var issues = IssueLog()
    let counts = FlowLogReader().read(
      MemorySource(Array(lines.joined(separator: "\n").utf8)), name: name, into: &aggregator, issues: &issues)
    return ReportDocument(policySource: "built-in", aggregate: aggregator, counts: counts, issues: issues)
  }

  static func line(_ eni: String, _ src: String, port: Int, start: Int, action: String) -> String {
    "2 123456789012 \(eni) \(src) 10.0.0.5 40000 \(port) 6 1 100 \(start) \(start + 30) \(action) OK"
  }

  static let t0 = 1_732_579_200

  @Test(
    "the timeline draws one rect per non-empty action in a bucket, REJECT stacked on ACCEPT",
    arguments: [
      [(0, "ACCEPT")],
      [(0, "ACCEPT"), (0, "REJECT"), (30, "REJECT")],
      [(0, "ACCEPT"), (600, "REJECT"), (1_200, "ACCEPT"), (1_200, "REJECT"), (1_260, "ACCEPT")],
    ] as [[(Int, String)]])
  func timeline(records: [(Int, String)]) throws {
    let report = Self.document(
      records.map { Self.line("eni-a", "203.0.113.1", port: 443, start: Self.t0 + $0.0, action: $0.1) })
    var w = HTMLWriter()
    ReportCharts.timeline(report.timeline, into: &w)
    var expected: [Int: Set<String>] = [:]
    for (offset, action) in records { expected[offset / 60, default: []].insert(action) }
    let rects = ReportPage.rects(in: w.output)
    #expect(rects.count == expected.values.reduce(0) { $0 + $1.count })
    #expect(rects.reduce(0) { $0 + $1.count } == UInt64(records.count))
    #expect(w.output.contains("data-bars=\"\(rects.count)\""))
    // Stacking: in a bucket with both, the REJECT rect ends where the ACCEPT rect starts.
    let tags = w.output.components(separatedBy: "<rect").dropFirst().map { $0.prefix { $0 != ">" } }
    for (accept, reject) in zip(tags, tags.dropFirst())
    where ReportPage.attribute("class", in: accept) == "bar accept"
      && ReportPage.attribute("class", in: reject) == "bar reject"
      && ReportPage.attribute("data-start", in: accept) == ReportPage.attribute("data-start", in: reject)
    {
      let rejectBottom =
        Double(ReportPage.attribute("y", in: reject)!)! + Double(ReportPage.attribute("height", in: reject)!)!
      #expect(abs(rejectBottom - Double(ReportPage.attribute("y", in: accept)!)!) < 0.11)
    }
  }

  @Test("horizontal bars: one rect per non-zero segment, widths in proportion, numbers as text")
  func horizontalBars() {
    var w = HTMLWriter()
    let rows = [
      ReportCharts.BarRow(
        label: "443/TCP", segments: [("accept", 100), ("reject", 0)], valueText: "100 accepted · 0 rejected"),
      ReportCharts.BarRow(
        label: "22/TCP", segments: [("accept", 25), ("reject", 25)], valueText: "25 accepted · 25 rejected"),
    ]
    ReportCharts.horizontalBars(id: "chart-test", ariaLabel: "test", rows: rows, labelWidth: 120, into: &w)
    let rects = ReportPage.rects(in: w.output)
    #expect(rects.map(\.kind) == ["bar accept", "bar accept", "bar reject"])
    #expect(rects.map(\.count) == [100, 25, 25])
    let widths = w.output.components(separatedBy: "<rect").dropFirst().map {
      Double(ReportPage.attribute("width", in: $0)!)!
    }
    #expect(widths == [560, 140, 140])
    #expect(w.output.contains(">25 accepted · 25 rejected</text>"))
  }

  @Test("the heat map draws a rect for each non-zero cell, shown rows by columns")
  func heatmap() {
    var lines: [String] = []
    for (eni, port, n) in [("eni-a", 22, 3), ("eni-a", 3389, 1), ("eni-b", 22, 2), ("eni-c", 445, 1)] {
      lines += Array(repeating: Self.line(eni, "203.0.113.1", port: port, start: Self.t0, action: "REJECT"), count: n)
    }
    let report = Self.document(lines)
    var w = HTMLWriter()
    ReportCharts.heatmap(report.rejectHeatmap, into: &w)
    #expect(ReportPage.rects(in: w.output).map(\.count) == [3, 1, 2, 1])  // rows a, b, c; columns 22, 3389, 445
    #expect(w.output.contains("data-rows=\"3\" data-columns=\"3\" data-cells=\"4\""))
  }

  @Test("a whole page from hostile records and policy: escaped everywhere, no script element")
  func hostilePage() throws {
    let policy = try PolicyParser.parse(
      """
      version: 1
      networks:
        office: [198.51.100.0/24]
      rules:
        - id: "<b>ssh</b>"
          ports: [22]
          protocol: tcp
          allow_from: [office]
          remedy: "<script>document.title='x'</script>"
      """, file: "policy.yaml")
    let eni = "eni-<script>alert(1)</script>"
    let report = Self.document(
      [
        "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status",
        Self.line(eni, "203.0.113.9", port: 22, start: Self.t0, action: "ACCEPT"),
        Self.line(eni, "203.0.113.9", port: 23, start: Self.t0, action: "REJECT"),
        "2 <i>acct</i> \(eni) 203.0.113.9 10.0.0.5 1 22 6 <b>1</b> 100 1 2 ACCEPT OK",
      ], policy: policy, name: "<img src=x onerror=alert(1)>.log")
    let html = ReportHTMLRenderer.render(report)
    #expect(!html.lowercased().contains("<script"))
    #expect(!html.contains("<b>") && !html.contains("<i>") && !html.contains("<img"))
    #expect(html.contains("eni-&lt;script&gt;alert(1)&lt;/script&gt;"))
    #expect(html.contains("<code class=\"rule\">&lt;b&gt;ssh&lt;/b&gt;</code>"))
    #expect(html.contains("&lt;script&gt;document.title=&#39;x&#39;&lt;/script&gt;"))
    #expect(html.contains("<code>&lt;img src=x onerror=alert(1)&gt;.log</code>"))
    #expect(html.contains("&lt;b&gt;1&lt;/b&gt;"))  // the parse issue's reason quotes the bad token
    #expect(html.contains("id=\"finding-b-ssh-b-eni-script-alert-1-script-203-0-113-9-22-tcp\""))
  }

  @Test(
    "readable durations and compact counts",
    arguments: [
      (60, "1 minute"), (900, "15 minutes"), (7_200, "2 hours"), (86_400, "1 day"), (1_209_600, "2 weeks"),
      (90, "90 seconds"),
    ]
      as [(UInt64, String)])
  func durations(seconds: UInt64, text: String) {
    #expect(ReportCharts.duration(seconds) == text)
  }

  @Test(
    "compact counts and nice axis maxima",
    arguments: [
      (0, "0", 1), (7, "7", 10), (9_999, "9,999", 10_000), (12_345, "12k", 20_000), (1_234_567, "1.2M", 2_000_000),
      (480_000, "480k", 500_000),
    ] as [(UInt64, String, UInt64)])
  func numbers(value: UInt64, compact: String, ceiling: UInt64) {
    #expect(ReportCharts.compact(value) == compact)
    #expect(ReportCharts.niceCeiling(value) == ceiling)
    #expect(ReportCharts.niceCeiling(value) >= value)
  }
}
