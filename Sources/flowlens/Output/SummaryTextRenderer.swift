import FlowStats

/// `summary --format text`: a readable report for a terminal.
enum SummaryTextRenderer {
  static func render(_ report: SummaryReport) -> String {
    var out = ""
    for fact in Format.headline(report) {
      out += fact.label + String(repeating: " ", count: max(1, 10 - fact.label.count)) + fact.value + "\n"
    }

    out += table(
      title: "Interfaces", total: report.tableSizes.byInterface,
      header: ["INTERFACE", "ACCEPT", "REJECT", "PACKETS", "BYTES"],
      rows: report.byInterface.map {
        [TextEscaping.terminalSafe($0.interfaceID), Format.count($0.accept), Format.count($0.reject),
         Format.count($0.packets), Format.bytes($0.bytes)]
      })
    out += table(
      title: "Destination ports", total: report.tableSizes.byPort,
      header: ["PORT", "PROTOCOL", "ACCEPT", "REJECT", "PACKETS", "BYTES"],
      rows: report.byPort.map {
        [String($0.port), Format.protocolName($0.protocol), Format.count($0.accept), Format.count($0.reject),
         Format.count($0.packets), Format.bytes($0.bytes)]
      })
    out += table(
      title: "Source prefixes", total: report.tableSizes.bySourceCIDR,
      header: ["SOURCE", "ACCEPT", "REJECT", "PACKETS", "BYTES"],
      rows: report.bySourceCIDR.map {
        [$0.cidr, Format.count($0.accept), Format.count($0.reject), Format.count($0.packets), Format.bytes($0.bytes)]
      })
    if let approximate = report.approximate {
      out += "  \(Format.approximation(approximate)).\n"
    }
    if let saturated = report.saturated { out += "  " + Format.saturationNote(saturated) + "\n" }
    if !report.issueCounts.isEmpty {
      out += "\nParse issues\n"
      for count in report.issueCounts {
        out += "  \(TextEscaping.terminalSafe(count.file)): \(Format.count(count.count)) \(count.kind)\n"
      }
    }
    return out
  }

  /// A table with the first column left-aligned and the others right-aligned.
  private static func table(title: String, total: Int, header: [String], rows: [[String]]) -> String {
    var out = "\n\(title) (top \(rows.count) of \(total))\n"
    guard !rows.isEmpty else { return out + "  (none)\n" }
    var widths = header.map(\.count)
    for row in rows { for (c, cell) in row.enumerated() { widths[c] = max(widths[c], cell.count) } }
    func line(_ cells: [String]) -> String {
      var text = " "
      for (c, cell) in cells.enumerated() {
        let pad = String(repeating: " ", count: widths[c] - cell.count)
        text += " " + (c == 0 ? cell + pad : pad + cell)
      }
      return text + "\n"
    }
    out += line(header)
    for row in rows { out += line(row) }
    return out
  }
}

/// Number, size, time and protocol formatting for people.
enum Format {
  /// The opening facts of a summary (inputs, lines, records, traffic, time), as label and value,
  /// shared by the text and Markdown renderers.
  static func headline(_ report: SummaryReport) -> [(label: String, value: String)] {
    let i = report.inputs
    let r = report.records
    var read = "\(Quantity.counted(i.files, "file")), \(bytes(i.bytes)) read"
    if i.decodedBytes != i.bytes { read += " (\(bytes(i.decodedBytes)) decompressed)" }
    var facts: [(label: String, value: String)] = [
      ("Inputs", read),
      ("Lines", "\(count(i.lines)) = \(Quantity.counted(r.headers, "header")) + \(Quantity.counted(r.total, "record"))"
        + " + \(count(r.malformed)) malformed + \(count(r.blank)) blank"),
      ("Records", "ACCEPT \(count(r.accept)) · REJECT \(count(r.reject))"
        + " · NODATA \(count(r.nodata)) · SKIPDATA \(count(r.skipdata))"),
      ("Traffic", "\(Quantity.counted(r.packets, "packet")), \(bytes(r.bytes))"),
    ]
    if let first = report.time.firstStart, let last = report.time.lastEnd {
      facts.append(("Time", "\(utc(first)) → \(utc(last))"))
    }
    return facts
  }

  /// The note for sums that reached 2^64 − 1 and stopped there (a report's `saturated` places).
  static func saturationNote(_ places: [String]) -> String {
    "Saturated: packet or byte sums in \(places.joined(separator: ", ")) reached \(count(UInt64.max)) "
      + "(2^64 − 1) and stopped there; the true sums are higher."
  }

  /// 1234567 → "1,234,567" (``Quantity/count(_:)``, shared with the findings' sentences).
  static func count<T: BinaryInteger>(_ value: T) -> String { Quantity.count(value) }

  /// 1536 → "1.5 KiB" (``Quantity/bytes(_:)``, shared with the findings' sentences).
  static func bytes(_ value: UInt64) -> String { Quantity.bytes(value) }

  /// Unix seconds → "2014-12-14 04:06:50Z".
  static func utc(_ seconds: UInt64) -> String { UTCTime.text(seconds) }

  /// IANA protocol numbers flow logs commonly carry.
  static func protocolName(_ number: Int) -> String {
    switch number {
    case 1: "ICMP"
    case 6: "TCP"
    case 17: "UDP"
    case 47: "GRE"
    case 50: "ESP"
    case 51: "AH"
    case 58: "ICMPv6"
    case 132: "SCTP"
    default: String(number)
    }
  }
}
