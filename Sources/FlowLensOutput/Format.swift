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
    var facts: [(label: String, value: String)] = [
      ("Inputs", read),
      (
        "Lines",
        "\(count(i.lines)) = \(Quantity.counted(r.headers, "header")) + \(Quantity.counted(r.total, "record"))"
          + " + \(count(r.malformed)) malformed + \(count(r.blank)) blank"
      ),
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
