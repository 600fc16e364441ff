import Benchmark
import FlowLogGenerator
import FlowLogParser
import FlowStats

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

// Parser benchmarks over generated text held in memory (seed 42, see FlowLogGenerator).
//
// Every benchmark processes its whole input once per iteration (scaling factor 1), so
// `throughput` is inputs per second. The custom metric `recordsPerSecond` gives records per
// second directly (records in the input divided by the iteration's own wall-clock time); the same
// figure is roughly throughput × records per input (the record counts are listed in README.md).

/// Records per second for one iteration, measured around the work itself.
let recordsPerSecond = BenchmarkMetric.custom("recordsPerSecond", polarity: .prefersLarger, useScalingFactor: false)

/// Generated input, made in the benchmark's setup so that only the running benchmark holds it.
final class Fixture {
  let layout: FlowLogGenerator.Layout
  let size: Int
  let header: Bool
  private(set) var bytes: [UInt8] = []
  /// Line starts and lengths (without the newline), for the decoder benchmark.
  private(set) var lineStarts: [Int] = []
  private(set) var lineLengths: [Int] = []
  private(set) var expected = ExpectedTotals()

  init(layout: FlowLogGenerator.Layout, size: Int, header: Bool) {
    self.layout = layout
    self.size = size
    self.header = header
  }

  func load(splitLines: Bool) {
    guard bytes.isEmpty else { return }
    (bytes, expected) = FlowLogGenerator.sample(seed: 42, layout: layout, bytes: size, header: header)
    guard splitLines else { return }
    lineStarts.reserveCapacity(Int(expected.lines))
    lineLengths.reserveCapacity(Int(expected.lines))
    var start = 0
    for (i, b) in bytes.enumerated() where b == 0x0A {
      lineStarts.append(start)
      lineLengths.append(i - start)
      start = i + 1
    }
  }

  /// Fails loudly if the parser disagrees with the generator: a benchmark of a wrong result is
  /// worthless.
  func check(records: Int, malformed: Int, what: String) {
    if UInt64(records) != expected.records || malformed != 0 {
      let message =
        "ParserBenchmarks: \(what): \(records) records and \(malformed) malformed, expected \(expected.records) and 0\n"
      _ = message.withCString { write(STDERR_FILENO, $0, strlen($0)) }
      exit(1)
    }
  }
}

let benchmarks: @Sendable () -> Void = {
  Benchmark.defaultConfiguration = .init(
    metrics: [.wallClock, .throughput, .mallocCountTotal, .peakMemoryResident, recordsPerSecond],
    maxDuration: .seconds(3),
    maxIterations: 1_000)

  // (a) RecordDecoder alone: every line of ~1 MB of v2 text, split into lines beforehand.
  let decodeInput = Fixture(layout: .v2, size: 1 << 20, header: false)
  let decoder = RecordDecoder(layout: .defaultV2)
  Benchmark(
    "decode-v2-1MB",
    closure: { benchmark in
      let clock = ContinuousClock()
      for _ in benchmark.scaledIterations {
        benchmark.startMeasurement()
        let began = clock.now
        var decoded = 0
        var packets: UInt64 = 0
        decodeInput.bytes.withUnsafeBytes { text in
          let base = text.baseAddress!
          decodeInput.lineStarts.withUnsafeBufferPointer { starts in
            decodeInput.lineLengths.withUnsafeBufferPointer { lengths in
              for i in 0..<starts.count {
                let line = UnsafeRawBufferPointer(start: base + starts[i], count: lengths[i])
                if case .success(let record) = decoder.decode(line) {
                  decoded &+= 1
                  packets &+= record.packets ?? 0
                }
              }
            }
          }
        }
        blackHole(packets)
        let elapsed = began.duration(to: clock.now)
        benchmark.stopMeasurement()
        report(benchmark, records: decoded, elapsed: elapsed)
        if benchmark.currentIteration == 0 {
          decodeInput.check(records: decoded, malformed: decodeInput.lineStarts.count - decoded, what: "decode-v2-1MB")
        }
      }
    },
    setup: { decodeInput.load(splitLines: true) })

  // (b), (c) The whole path of `flowlens summary` without the file system: FlowLogReader cutting
  // lines out of a MemorySource, decoding, and SummaryAggregator building its tables. The input
  // starts with an S3 header line, as S3 files do; it is what tells the reader the v5 layout.
  for layout in FlowLogGenerator.Layout.allCases {
    let input = Fixture(layout: layout, size: 8 << 20, header: true)
    let name = "reader-summary-\(layout.rawValue)-8MB"
    Benchmark(
      name,
      closure: { benchmark in
        let clock = ContinuousClock()
        for _ in benchmark.scaledIterations {
          benchmark.startMeasurement()
          let began = clock.now
          var aggregator = SummaryAggregator()
          var issues = IssueLog()
          let counts = FlowLogReader().read(MemorySource(input.bytes), name: "mem", into: &aggregator, issues: &issues)
          blackHole(aggregator.totals)
          let elapsed = began.duration(to: clock.now)
          benchmark.stopMeasurement()
          report(benchmark, records: counts.records, elapsed: elapsed)
          if benchmark.currentIteration == 0 {
            input.check(records: counts.records, malformed: counts.malformed, what: name)
          }
        }
      },
      setup: { input.load(splitLines: false) })
  }
}

/// Records `recordsPerSecond` for one iteration. Called after `stopMeasurement()`: storing the
/// value allocates now and then (the array of samples grows), which must not count as the
/// benchmark's own allocations.
@inline(__always)
func report(_ benchmark: Benchmark, records: Int, elapsed: Duration) {
  let nanoseconds = Double(elapsed.components.seconds) * 1e9 + Double(elapsed.components.attoseconds) * 1e-9
  benchmark.measurement(recordsPerSecond, Int(Double(records) * 1e9 / max(nanoseconds, 1)))
}
