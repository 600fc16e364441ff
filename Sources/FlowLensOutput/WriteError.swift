#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A `write(2)` (or `fsync`, `close`, `rename`) that failed, with its `errno`.
struct WriteError: Error, CustomStringConvertible {
  let code: Int32

  /// The system's text for the error, e.g. "No space left on device".
  var description: String { String(cString: strerror(code)) }

  /// The reader of a pipe has gone (`| head`): not a failure of ours.
  var isClosedPipe: Bool { code == EPIPE }

  /// Ends the run after output to `destination` failed. A closed pipe ends it as every Unix filter
  /// ends then: killed by SIGPIPE, with no message (SIGPIPE may have been ignored by whoever started
  /// us; it is reset first). Any other failure means the output is incomplete: a message on
  /// standard error and exit status 2, so that a script does not take a truncated file for a result.
  func endRun(writing destination: String) -> Never {
    if isClosedPipe {
      signal(SIGPIPE, SIG_DFL)
      raise(SIGPIPE)
      _exit(0)  // not reached: SIGPIPE ends the process
    }
    StandardError.write("flowlens: error writing to \(destination): \(description)\n")
    exit(2)
  }
}
