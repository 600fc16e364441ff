#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes to standard error with `write(2)`: the C `stderr` global is not concurrency-safe in Swift 6.
enum StandardError {
  /// Writes `text`; a failure is ignored, as there is nowhere left to report it.
  static func write(_ text: String) {
    var text = text
    text.withUTF8 { try? writeAll(STDERR_FILENO, UnsafeRawBufferPointer($0)) }
  }
}

/// Whether the standard streams are terminals: output for people, or input typed by them.
enum Terminal {
  static var isStandardOutput: Bool { isatty(STDOUT_FILENO) == 1 }
  static var isStandardInput: Bool { isatty(STDIN_FILENO) == 1 }
}

/// Writes all of `bytes` to `fd`, retrying on short writes and `EINTR`. Every byte of output goes
/// through here, so that no failed write is taken for a success.
func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) throws(WriteError) {
  var offset = 0
  while offset < bytes.count {
    #if canImport(Glibc)
      let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
    #else
      let n = Darwin.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
    #endif
    if n < 0 {
      if errno == EINTR { continue }
      throw WriteError(code: errno)
    }
    offset += n
  }
}

/// Writes all of `bytes` to `fd`, as ``writeAll(_:_:)-(_,UnsafeRawBufferPointer)`` does.
func writeAll(_ fd: Int32, _ bytes: [UInt8]) throws(WriteError) {
  let failure = bytes.withUnsafeBytes { raw -> WriteError? in
    do throws(WriteError) {
      try writeAll(fd, raw)
      return nil
    } catch {
      return error
    }
  }
  if let failure { throw failure }
}

/// A buffered writer of bytes to a file descriptor (standard output by default): data output
/// builds bytes here and flushes in 64 KiB writes. A failed write ends the run
/// (``WriteError/endRun(writing:)``): the output is incomplete, and nothing after it can fix that.
struct OutputBuffer {
  var bytes: [UInt8] = []
  let fd: Int32
  /// What the output is, for the message when a write fails ("standard output" or a path).
  let destination: String
  let flushThreshold = 1 << 16

  init(fd: Int32 = STDOUT_FILENO, destination: String = "standard output") {
    self.fd = fd
    self.destination = destination
    bytes.reserveCapacity(flushThreshold + 4096)
  }

  @inline(__always)
  mutating func append(_ byte: UInt8) { bytes.append(byte) }

  @inline(__always)
  mutating func append(_ raw: UnsafeRawBufferPointer) { bytes.append(contentsOf: raw) }

  mutating func append(_ string: String) { bytes.append(contentsOf: string.utf8) }

  /// Appends an unsigned integer in decimal, without building a String.
  @inline(__always)
  mutating func appendDecimal(_ value: UInt64) {
    if value < 10 {
      bytes.append(0x30 &+ UInt8(value))
      return
    }
    var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)  // 24 bytes, enough for 20 digits
    var count = 0
    var v = value
    withUnsafeMutableBytes(of: &digits) { raw in
      while v > 0 {
        raw[23 - count] = 0x30 &+ UInt8(v % 10)
        v /= 10
        count += 1
      }
      bytes.append(contentsOf: UnsafeRawBufferPointer(rebasing: raw[(24 - count)...]))
    }
  }

  mutating func flushIfNeeded() {
    if bytes.count >= flushThreshold { flush() }
  }

  /// Writes the buffered bytes; on failure ends the run with a message and exit status 2 (or, for
  /// a closed pipe, quietly).
  mutating func flush() {
    guard !bytes.isEmpty else { return }
    do {
      try writeAll(fd, bytes)
    } catch {
      error.endRun(writing: destination)
    }
    bytes.removeAll(keepingCapacity: true)
  }

  /// Writes `text` to standard output at once (a whole document), ending the run if that fails.
  static func write(_ text: String) {
    var out = OutputBuffer()
    out.append(text)
    out.flush()
  }
}
