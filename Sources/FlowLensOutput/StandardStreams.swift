#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Writes to standard error with `write(2)`: the C `stderr` global is not concurrency-safe in Swift 6.
public enum StandardError {
  /// Writes `text`; a failure is ignored, as there is nowhere left to report it.
  public static func write(_ text: String) {
    var text = text
    text.withUTF8 { try? writeAll(STDERR_FILENO, UnsafeRawBufferPointer($0)) }
  }
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
