import FlowLogParser
import FlowStats

/// Runs the Parquet reader (footer, Thrift, page headers, codecs, encodings, levels, row
/// rendering) over arbitrary bytes framed as Parquet (`PAR1` at both ends, added when missing, so
/// that mutations stay on the Parquet path), into a summary, and checks the line accounting and
/// that a second read gives the same answer.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  var bytes = Array(UnsafeBufferPointer(start: data, count: size))
  let magic = Array("PAR1".utf8)
  if !bytes.starts(with: magic) { bytes = magic + bytes }
  if bytes.count < 8 || Array(bytes.suffix(4)) != magic { bytes += magic }
  var options = ReaderOptions(maxLineLength: 512, bufferSize: 4096)
  options.maxParquetRowGroupRows = 4096
  let reader = FlowLogReader(options: options)
  var summary = SummaryAggregator()
  var issues = IssueLog()
  let counts = reader.read(MemorySource(bytes), name: "fuzz.parquet", into: &summary, issues: &issues)
  check(
    counts.lines == counts.headers + counts.records + counts.filtered + counts.malformed + counts.blank,
    "accounting: \(counts)")
  check(counts.headers == 0 && counts.blank == 0, "Parquet has no header or blank lines: \(counts)")
  check(counts.malformed == issues.malformedLines, "malformed \(counts.malformed) vs issues \(issues.malformedLines)")
  check(UInt64(counts.records) == summary.totals.records, "records")
  var again = SummaryAggregator()
  var againIssues = IssueLog()
  let second = reader.read(MemorySource(bytes), name: "fuzz.parquet", into: &again, issues: &againIssues)
  check(second == counts, "a second read differs: \(second) vs \(counts)")
  _ = SummaryReport(aggregate: summary, counts: counts, issues: issues)
  return 0
}

/// Like `precondition`, but the message survives an optimised build, so a crash says what broke.
func check(_ condition: Bool, _ message: @autoclosure () -> String) {
  if !condition { fatalError(message()) }
}
