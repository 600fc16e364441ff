#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes to standard error with `write(2)`: the C `stderr` global is not concurrency-safe in Swift 6.
enum StandardError {
  static func write(_ text: String) {
    var text = text
    text.withUTF8 { writeAll(STDERR_FILENO, UnsafeRawBufferPointer($0)) }
  }
}

/// Writes all of `bytes` to `fd`, retrying on short writes and `EINTR`.
func writeAll(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) {
  var offset = 0
  while offset < bytes.count {
    #if canImport(Glibc)
      let n = Glibc.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
    #else
      let n = Darwin.write(fd, bytes.baseAddress! + offset, bytes.count - offset)
    #endif
    if n < 0 {
      if errno == EINTR { continue }
      return  // EPIPE and the like: the reader has gone; nothing useful to do.
    }
    offset += n
  }
}

/// A buffered writer of bytes to a file descriptor (standard output by default): data output
/// builds bytes here and flushes in 64 KiB writes.
struct OutputBuffer {
  var bytes: [UInt8] = []
  let fd: Int32
  let flushThreshold = 1 << 16

  init(fd: Int32 = STDOUT_FILENO) {
    self.fd = fd
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

  mutating func flush() {
    guard !bytes.isEmpty else { return }
    bytes.withUnsafeBytes { writeAll(fd, $0) }
    bytes.removeAll(keepingCapacity: true)
  }
}
