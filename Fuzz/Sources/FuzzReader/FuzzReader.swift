import FlowLogParser
import FlowStats

/// Runs the whole reader (format sniffing, decompression, line cutting, headers, decoding) and the
/// summary over arbitrary input, read in small pieces, and checks the line accounting.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  let readSize = size > 0 ? Int(data[0] % 64) + 1 : 1
  let reader = FlowLogReader(options: ReaderOptions(maxLineLength: 256, bufferSize: 4096))
  var summary = SummaryAggregator()
  var issues = IssueLog()
  let counts = reader.read(MemorySource(bytes, maxReadSize: readSize), name: "fuzz", into: &summary, issues: &issues)
  check(
    counts.lines == counts.headers + counts.records + counts.malformed + counts.blank,
    "accounting: \(counts)")
  check(counts.malformed == issues.malformedLines, "malformed \(counts.malformed) vs issues \(issues.malformedLines)")
  check(UInt64(counts.records) == summary.totals.records, "records")
  _ = SummaryReport(aggregate: summary, counts: counts, issues: issues)
  return 0
}

/// Like `precondition`, but the message survives an optimised build, so a crash says what broke.
func check(_ condition: Bool, _ message: @autoclosure () -> String) {
  if !condition { fatalError(message()) }
}
