import FlowLensOutput
import FlowLogParser
import FlowStats

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Progress on standard error while inputs are read: bytes done of the total, records per second,
/// and time left. Shown only when standard error is a terminal (and TERM is not `dumb`), never on
/// standard output; one line rewritten at most four times a second and cleared at the end.
final class ProgressDisplay: @unchecked Sendable {
  // @unchecked: `stopped` is guarded by `mutex`; the counter is atomic.
  private let counter: ProgressCounter
  private let totalBytes: UInt64
  private var mutex = pthread_mutex_t()
  private var stopped = false
  private var thread: pthread_t?
  private let startTime = ProgressDisplay.now()

  /// Whether progress should be shown: standard error is a terminal that can rewrite a line.
  static var isWanted: Bool {
    guard isatty(STDERR_FILENO) == 1 else { return false }
    if let term = getenv("TERM"), String(cString: term) == "dumb" { return false }
    return true
  }

  /// Starts showing `counter` against `totalBytes` (0 when unknown, as for standard input).
  init(counter: ProgressCounter, totalBytes: UInt64) {
    self.counter = counter
    self.totalBytes = totalBytes
    pthread_mutex_init(&mutex, nil)
    let unmanaged = Unmanaged.passRetained(self)
    var handle = pthread_t()
    if pthread_create(
      &handle, nil,
      { raw in
        let display = Unmanaged<ProgressDisplay>.fromOpaque(raw!).takeRetainedValue()
        display.run()
        return nil
      }, unmanaged.toOpaque()) == 0
    {
      thread = handle
    } else {
      unmanaged.release()
    }
  }

  /// Stops the display and clears its line.
  func stop() {
    pthread_mutex_lock(&mutex)
    stopped = true
    pthread_mutex_unlock(&mutex)
    if let thread { pthread_join(thread, nil) }
    thread = nil
    StandardError.write("\r\u{1B}[K")
  }

  private func isStopped() -> Bool {
    pthread_mutex_lock(&mutex)
    defer { pthread_mutex_unlock(&mutex) }
    return stopped
  }

  private func run() {
    while !isStopped() {
      usleep(250_000)
      if isStopped() { break }
      StandardError.write("\r\u{1B}[K" + line())
    }
  }

  private func line() -> String {
    let bytes = counter.bytes
    let records = counter.records
    let elapsed = max(0.001, Self.now() - startTime)
    var text = "  \(Format.bytes(bytes))"
    if totalBytes > 0 {
      let fraction = min(1, Double(bytes) / Double(totalBytes))
      text += " / \(Format.bytes(totalBytes)) (\(Int(fraction * 100))%)"
      if fraction > 0.01 {
        let left = Int(elapsed / fraction - elapsed)
        text += " · ETA \(left / 60):\(left % 60 < 10 ? "0" : "")\(left % 60)"
      }
    }
    let rate = Double(records) / elapsed
    text +=
      " · \(Quantity.counted(records, "record")) · \(rate >= 1e6 ? "\(Int(rate / 1e5) / 10 ).\(Int(rate / 1e5) % 10) M" : "\(Int(rate / 1000)) k") records/s"
    return text
  }

  private static func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
  }
}
