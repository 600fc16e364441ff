#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A buffered writer of bytes to a file descriptor (standard output by default): data output
/// builds bytes here and flushes in 64 KiB writes. A failed write ends the run
/// (``WriteError/endRun(writing:)``): the output is incomplete, and nothing after it can fix that.
public struct OutputBuffer {
  var bytes: [UInt8] = []
  let fd: Int32
  /// What the output is, for the message when a write fails ("standard output" or a path).
  let destination: String
  let flushThreshold = 1 << 16

  /// A buffer for `fd`; `destination` names it in the message when a write fails.
  public init(fd: Int32 = STDOUT_FILENO, destination: String = "standard output") {
    self.fd = fd
    self.destination = destination
    bytes.reserveCapacity(flushThreshold + 4096)
  }

  @inline(__always)
  mutating func append(_ byte: UInt8) { bytes.append(byte) }

  @inline(__always)
  mutating func append(_ raw: UnsafeRawBufferPointer) { bytes.append(contentsOf: raw) }

  /// Appends the UTF-8 bytes of `string`.
  public mutating func append(_ string: String) { bytes.append(contentsOf: string.utf8) }

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
  public mutating func flush() {
    guard !bytes.isEmpty else { return }
    do {
      try writeAll(fd, bytes)
    } catch {
      error.endRun(writing: destination)
    }
    bytes.removeAll(keepingCapacity: true)
  }

  /// Writes `text` to standard output at once (a whole document), ending the run if that fails.
  public static func write(_ text: String) {
    var out = OutputBuffer()
    out.append(text)
    out.flush()
  }
}
