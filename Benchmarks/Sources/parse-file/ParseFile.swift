// Parses files with FlowLogReader on one core into a sink that only counts, and prints throughput
// and peak memory: the parser's own speed, without the cost of any aggregation.
//
//   swift run -c release parse-file /tmp/flows-1g.log
import FlowLogParser

#if canImport(Glibc)
  import Glibc
#endif

/// Counts records and sums a field, so the decoding cannot be optimised away.
struct CountingSink: FlowRecordSink {
  var records = 0
  var bytes: UInt64 = 0
  mutating func consume(_ record: FlowRecord, at position: RecordPosition) {
    records += 1
    bytes &+= record.bytes ?? 0
  }
}

@main
enum ParseFile {
  static func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
  }

  static func main() {
    let paths = Array(CommandLine.arguments.dropFirst())
    guard !paths.isEmpty else {
      print("usage: parse-file FILE...")
      exit(2)
    }
    let reader = FlowLogReader()
    for path in paths {
      var sink = CountingSink()
      var issues = IssueLog()
      let start = now()
      let counts = reader.read(
        ReadJob(InputFile(path: path, size: 0, foundInDirectory: false)), into: &sink, issues: &issues)
      let seconds = now() - start
      var usage = rusage()
      getrusage(RUSAGE_SELF.rawValue, &usage)
      let mb = Double(counts.decodedBytes) / 1e6
      print(
        "\(path): \(counts.records) records, \(Int(mb)) MB in \(String(format3(seconds))) s: "
          + "\(Int(mb / seconds)) MB/s, \(String(format3(Double(counts.records) / seconds / 1e6))) M records/s, "
          + "malformed \(counts.malformed), peak RSS \(usage.ru_maxrss / 1024) MiB (checksum \(sink.bytes))")
    }
  }

  static func format3(_ value: Double) -> String {
    let scaled = Int((value * 1000).rounded())
    let fraction = String(scaled % 1000)
    return "\(scaled / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction)"
  }
}
