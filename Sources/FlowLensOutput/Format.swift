import FlowStats

/// Number, size, time and protocol formatting for people.
public enum Format {
  /// The opening facts of a summary (inputs, lines, records, traffic, time), as label and value,
  /// shared by the text and Markdown renderers.
  static func headline(_ report: SummaryReport) -> [(label: String, value: String)] {
    let i = report.inputs
    let r = report.records
    var read = "\(Quantity.counted(i.files, "file")), \(bytes(i.bytes)) read"
    if i.decodedBytes != i.bytes { read += " (\(bytes(i.decodedBytes)) decompressed)" }
    var facts: [(label: String, value: String)] = [("Inputs", read)]
    if let filter = report.filter { facts.append(("Filter", filterNote(filter))) }
    facts += [
      ("Lines", lines(i, r, report.filter)),
      (
        "Records",
        "ACCEPT \(count(r.accept)) · REJECT \(count(r.reject))"
          + " · NODATA \(count(r.nodata)) · SKIPDATA \(count(r.skipdata))"
      ),
      ("Traffic", "\(Quantity.counted(r.packets, "packet")), \(bytes(r.bytes))"),
    ]
    if let first = report.time.firstStart, let last = report.time.lastEnd {
      facts.append(("Time", "\(utc(first)) → \(utc(last))"))
    }
    return facts
  }

  /// `401 = 4 headers + 26 records + 371 filtered out + 0 malformed + 0 blank`: every line in
  /// one kind (`filtered out` only with a filter).
  static func lines(_ inputs: InputTotals, _ records: RecordCounts, _ filter: FilterSummary?) -> String {
    "\(count(inputs.lines)) = \(Quantity.counted(records.headers, "header")) + \(Quantity.counted(records.total, "record"))"
      + (filter.map { " + \(count($0.excluded)) filtered out" } ?? "")
      + " + \(count(records.malformed)) malformed + \(count(records.blank)) blank"
  }

  /// `dst port 22 and action accept · since 2024-11-26 00:10:00Z: 26 of 397 records match`:
  /// the filter as given and what it let through. Not escaped: renderers escape it for their medium.
  public static func filterNote(_ filter: FilterSummary) -> String {
    let valid = filter.matched + filter.excluded
    return filterText(filter) + ": \(count(filter.matched)) of \(Quantity.counted(valid, "record")) match"
  }

  /// `dst port 22 and action accept · since 2024-11-26 00:10:00Z`: the filter as given.
  public static func filterText(_ filter: FilterSummary) -> String {
    var parts: [String] = []
    if let expression = filter.expression { parts.append(expression) }
    if let since = filter.since { parts.append("since \(utc(since))") }
    if let until = filter.until { parts.append("until \(utc(until))") }
    return parts.joined(separator: " · ")
  }

  /// The note for sums that reached 2^64 − 1 and stopped there (a report's `saturated` places).
  static func saturationNote(_ places: [String]) -> String {
    "Saturated: packet or byte sums in \(places.joined(separator: ", ")) reached \(count(UInt64.max)) "
      + "(2^64 − 1) and stopped there; the true sums are higher."
  }

  /// 1234567 → "1,234,567" (``Quantity/count(_:)``, shared with the findings' sentences).
  public static func count<T: BinaryInteger>(_ value: T) -> String { Quantity.count(value) }

  /// 1536 → "1.5 KiB" (``Quantity/bytes(_:)``, shared with the findings' sentences).
  public static func bytes(_ value: UInt64) -> String { Quantity.bytes(value) }

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
