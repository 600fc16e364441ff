import FlowStats

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The report's inline SVG charts. Every bar and heat-map cell is one `<rect>` with a
/// `data-count`; nothing else in a chart is a `<rect>`, so the bars can be counted in the DOM.
/// Colours come from the page's stylesheet (classes), so dark mode and print restyle them.
enum ReportCharts {
  // MARK: ACCEPT and REJECT over time

  /// Stacked bars per time bucket: ACCEPT at the bottom, REJECT on top. Empty buckets draw
  /// nothing; a non-empty segment is at least one unit high so that it can be seen.
  static func timeline(_ series: TimelineSeries, into w: inout HTMLWriter) {
    let buckets = series.buckets
    let width = 960.0
    let height = 280.0
    let left = 64.0
    let right = 12.0
    let top = 14.0
    let bottom = 40.0
    let plotWidth = width - left - right
    let plotHeight = height - top - bottom
    let yMax = niceCeiling(buckets.map(\.counts.total).max() ?? 0)
    let slot = plotWidth / Double(max(1, buckets.count))
    let barWidth = max(1, slot * 0.8)
    let spansDays = (buckets.first?.start ?? 0) / 86_400 != (buckets.last?.start ?? 0) / 86_400
    let bars = buckets.reduce(0) { $0 + ($1.counts.accept > 0 ? 1 : 0) + ($1.counts.reject > 0 ? 1 : 0) }

    w.open(
      "svg",
      [
        "class": "chart timeline", "id": "chart-timeline", "viewBox": "0 0 960 280", "role": "img",
        "aria-label": "ACCEPT and REJECT records per \(duration(series.bucketSeconds)) bucket",
        "data-buckets": String(buckets.count), "data-bucket-seconds": String(series.bucketSeconds),
        "data-bars": String(bars),
      ])
    w.open("g", ["class": "axis"])
    for tick in ticks(yMax) {
      let y = top + plotHeight - Double(tick) / Double(yMax) * plotHeight
      w.shape(
        "line",
        [
          "class": "gridline", "x1": SVGNumber.text(left), "x2": SVGNumber.text(width - right),
          "y1": SVGNumber.text(y), "y2": SVGNumber.text(y),
        ])
      w.element(
        "text", ["class": "tick", "x": SVGNumber.text(left - 6), "y": SVGNumber.text(y + 4), "text-anchor": "end"],
        text: compact(tick))
    }
    let labelEvery = max(1, Int((Double(buckets.count) / 8).rounded(.up)))
    for (index, bucket) in buckets.enumerated() where index % labelEvery == 0 {
      let x = left + (Double(index) + 0.5) * slot
      w.shape(
        "line",
        [
          "class": "tickmark", "x1": SVGNumber.text(x), "x2": SVGNumber.text(x),
          "y1": SVGNumber.text(top + plotHeight), "y2": SVGNumber.text(top + plotHeight + 4),
        ])
      w.element(
        "text",
        ["class": "tick", "x": SVGNumber.text(x), "y": SVGNumber.text(top + plotHeight + 17), "text-anchor": "middle"],
        text: bucketLabel(bucket.start, bucketSeconds: series.bucketSeconds, spansDays: spansDays))
    }
    w.close("g")

    w.open("g", ["class": "bars"])
    for (index, bucket) in buckets.enumerated() {
      let x = left + Double(index) * slot + (slot - barWidth) / 2
      let range = "\(UTCTime.text(bucket.start)) + \(duration(series.bucketSeconds))"
      var baseline = top + plotHeight
      for (action, count) in [("accept", bucket.counts.accept), ("reject", bucket.counts.reject)] where count > 0 {
        let barHeight = max(1, Double(count) / Double(yMax) * plotHeight)
        baseline -= barHeight
        w.element(
          "rect",
          [
            "class": "bar \(action)", "x": SVGNumber.text(x), "y": SVGNumber.text(baseline),
            "width": SVGNumber.text(barWidth), "height": SVGNumber.text(barHeight), "data-count": String(count),
            "data-start": String(bucket.start),
          ]
        ) { w in
          w.element("title", text: "\(range): \(Format.count(count)) \(action.uppercased())")
        }
      }
    }
    w.close("g")
    w.close("svg")
  }

  // MARK: Horizontal bars

  /// One row of a horizontal bar chart: a label, stacked segments, and the numbers as text.
  struct BarRow {
    var label: String
    /// (class of the segment, its value).
    var segments: [(kind: String, value: UInt64)]
    var valueText: String
  }

  /// Horizontal bars, one row per item, scaled to the largest row; the numbers follow each bar.
  static func horizontalBars(
    id: String, ariaLabel: String, rows: [BarRow], labelWidth: Double, into w: inout HTMLWriter
  ) {
    let rowHeight = 26.0
    let barArea = 560.0
    let height = Double(rows.count) * rowHeight + 6
    let largest = rows.map { $0.segments.reduce(0) { $0 &+ $1.value } }.max() ?? 0
    let bars = rows.reduce(0) { $0 + $1.segments.filter { $0.value > 0 }.count }
    w.open(
      "svg",
      [
        "class": "chart hbars", "id": id, "viewBox": "0 0 960 \(SVGNumber.text(height))", "role": "img",
        "aria-label": ariaLabel, "data-rows": String(rows.count), "data-bars": String(bars),
      ])
    let characters = Int(labelWidth / 7.4)
    for (index, row) in rows.enumerated() {
      let y = Double(index) * rowHeight + 4
      w.open("g", ["class": "row"])
      w.element(
        "text",
        ["class": "label", "x": SVGNumber.text(labelWidth - 8), "y": SVGNumber.text(y + 15), "text-anchor": "end"]
      ) { w in
        w.text(truncated(row.label, to: characters))
        w.element("title", text: row.label)
      }
      var x = labelWidth
      for segment in row.segments where segment.value > 0 {
        let barWidth = max(1, Double(segment.value) / Double(max(1, largest)) * barArea)
        w.element(
          "rect",
          [
            "class": "bar \(segment.kind)", "x": SVGNumber.text(x), "y": SVGNumber.text(y + 2),
            "width": SVGNumber.text(barWidth), "height": SVGNumber.text(rowHeight - 8),
            "data-count": String(segment.value),
          ]
        ) { w in
          w.element("title", text: "\(row.label): \(Format.count(segment.value)) \(segment.kind.uppercased())")
        }
        x += barWidth
      }
      w.element(
        "text", ["class": "value", "x": SVGNumber.text(x + 8), "y": SVGNumber.text(y + 15)], text: row.valueText)
      w.close("g")
    }
    w.close("svg")
  }

  // MARK: Heat map

  /// REJECT records per interface (rows) and destination (columns): one `<rect>` per non-empty
  /// cell, its opacity on a log scale of the largest cell, with the count written in it.
  static func heatmap(_ map: ReportDocument.RejectHeatmap, into w: inout HTMLWriter) {
    let labelWidth = 196.0
    let cellWidth = 60.0
    let cellHeight = 28.0
    let headerHeight = 40.0
    let totalWidth = 76.0
    let width = labelWidth + Double(map.columns.count) * cellWidth + totalWidth
    let height = headerHeight + Double(map.rows.count) * cellHeight + 4
    let largest = map.rows.flatMap(\.cells).max() ?? 0
    let cells = map.rows.reduce(0) { $0 + $1.cells.filter { $0 > 0 }.count }
    w.open(
      "svg",
      [
        "class": "chart heatmap", "id": "chart-heatmap",
        "viewBox": "0 0 \(SVGNumber.text(width)) \(SVGNumber.text(height))",
        "style": "max-width: \(SVGNumber.text(width))px", "role": "img",
        "aria-label": "REJECT records per interface and destination port", "data-rows": String(map.rows.count),
        "data-columns": String(map.columns.count), "data-cells": String(cells),
      ])
    w.open("g", ["class": "axis"])
    for (index, column) in map.columns.enumerated() {
      let x = labelWidth + (Double(index) + 0.5) * cellWidth
      let ports = column.port == column.portEnd ? String(column.port) : "\(column.port)–\(column.portEnd)"
      w.element("text", ["class": "column-label", "x": SVGNumber.text(x), "y": "16", "text-anchor": "middle"]) { w in
        w.text(ports)
        w.element(
          "title", text: "\(ports)/\(Format.protocolName(column.protocol)): \(Format.count(column.rejects)) REJECT")
      }
      w.element(
        "text", ["class": "tick", "x": SVGNumber.text(x), "y": "32", "text-anchor": "middle"],
        text: Format.protocolName(column.protocol))
    }
    w.element(
      "text",
      ["class": "tick", "x": SVGNumber.text(labelWidth + Double(map.columns.count) * cellWidth + 8), "y": "32"],
      text: "all ports")
    // The grid: one path, so that cells are the only rects.
    var grid = ""
    for row in 0...map.rows.count {
      let y = headerHeight + Double(row) * cellHeight
      grid +=
        "M\(SVGNumber.text(labelWidth)) \(SVGNumber.text(y))H\(SVGNumber.text(labelWidth + Double(map.columns.count) * cellWidth))"
    }
    for column in 0...map.columns.count {
      let x = labelWidth + Double(column) * cellWidth
      grid +=
        "M\(SVGNumber.text(x)) \(SVGNumber.text(headerHeight))V\(SVGNumber.text(headerHeight + Double(map.rows.count) * cellHeight))"
    }
    w.shape("path", ["class": "gridline", "d": grid])
    w.close("g")

    for (rowIndex, row) in map.rows.enumerated() {
      let y = headerHeight + Double(rowIndex) * cellHeight
      w.open("g", ["class": "row"])
      w.element(
        "text",
        ["class": "label mono", "x": SVGNumber.text(labelWidth - 8), "y": SVGNumber.text(y + 18), "text-anchor": "end"]
      ) { w in
        w.text(truncated(row.interfaceID, to: 24))
        w.element("title", text: row.interfaceID)
      }
      for (columnIndex, count) in row.cells.enumerated() where count > 0 {
        let column = map.columns[columnIndex]
        let x = labelWidth + Double(columnIndex) * cellWidth
        let strength = log(1 + Double(count)) / log(1 + Double(max(1, largest)))
        let opacity = 0.12 + 0.88 * strength
        let ports = column.port == column.portEnd ? String(column.port) : "\(column.port)–\(column.portEnd)"
        w.element(
          "rect",
          [
            "class": "cell", "x": SVGNumber.text(x + 1), "y": SVGNumber.text(y + 1),
            "width": SVGNumber.text(cellWidth - 2), "height": SVGNumber.text(cellHeight - 2),
            "fill-opacity": String(Double(Int(opacity * 100)) / 100), "data-count": String(count),
          ]
        ) { w in
          w.element(
            "title",
            text: "\(row.interfaceID) → \(ports)/\(Format.protocolName(column.protocol)): \(Format.count(count)) REJECT"
          )
        }
        w.element(
          "text",
          [
            "class": opacity > 0.55 ? "cell-label strong" : "cell-label", "x": SVGNumber.text(x + cellWidth / 2),
            "y": SVGNumber.text(y + 18), "text-anchor": "middle",
          ],
          text: compact(count))
      }
      w.element(
        "text",
        [
          "class": "value", "x": SVGNumber.text(labelWidth + Double(map.columns.count) * cellWidth + 8),
          "y": SVGNumber.text(y + 18),
        ],
        text: Format.count(row.rejects))
      w.close("g")
    }
    w.close("svg")
  }

  // MARK: Helpers

  /// The smallest of 1, 2, 5 × 10ⁿ at or above `value` (1 for 0).
  static func niceCeiling(_ value: UInt64) -> UInt64 {
    guard value > 1 else { return 1 }
    var magnitude: UInt64 = 1
    while magnitude <= value / 10 { magnitude *= 10 }
    for step: UInt64 in [1, 2, 5, 10] where step * magnitude >= value { return step * magnitude }
    return value
  }

  /// Axis ticks: 0, and the quarters of `maximum` that are whole numbers.
  static func ticks(_ maximum: UInt64) -> [UInt64] {
    (0...4).compactMap { maximum * UInt64($0) % 4 == 0 ? maximum * UInt64($0) / 4 : nil }
  }

  /// 1234 → "1,234"; 12345 → "12k"; 1234567 → "1.2M".
  static func compact(_ value: UInt64) -> String {
    if value < 10_000 { return Format.count(value) }
    let units = ["k", "M", "G", "T", "P", "E"]
    var scaled = Double(value) / 1000
    var unit = 0
    while scaled >= 999.5 && unit < units.count - 1 {
      scaled /= 1000
      unit += 1
    }
    if scaled < 9.95 { return "\(Double(Int((scaled * 10).rounded())) / 10)\(units[unit])" }
    return "\(Int(scaled.rounded()))\(units[unit])"
  }

  /// "15 minutes", "1 hour", "2 days", "1 week"; other lengths in the largest whole unit.
  static func duration(_ seconds: UInt64) -> String {
    let units: [(UInt64, String)] = [
      (604_800, "week"), (86_400, "day"), (3_600, "hour"), (60, "minute"), (1, "second"),
    ]
    for (size, name) in units where seconds >= size && seconds % size == 0 {
      let n = seconds / size
      return Quantity.counted(n, name)
    }
    return "\(seconds) seconds"
  }

  /// A bucket's start as the axis shows it: the time of day, with the date when the chart spans
  /// days, or only the date for buckets of a day or more.
  static func bucketLabel(_ start: UInt64, bucketSeconds: UInt64, spansDays: Bool) -> String {
    let text = UTCTime.text(start)  // 2024-11-26 00:05:00Z
    if bucketSeconds >= 86_400 { return String(text.prefix(10)) }
    let clock = String(text.dropFirst(11).prefix(5))
    return spansDays ? "\(text.dropFirst(5).prefix(5)) \(clock)" : clock
  }

  /// `text` cut to `limit` characters, ending in "…" when cut.
  static func truncated(_ text: String, to limit: Int) -> String {
    text.count <= limit ? text : String(text.prefix(max(1, limit - 1))) + "…"
  }
}
