/// Reads a file descriptor with `read(2)`, retrying on `EINTR`. The end of input is final: once
/// `read(2)` has returned 0 it is not called again, because on a terminal a second read would
/// wait for a second Ctrl-D.
public final class FileDescriptorSource: ByteSource {
  private let fd: Int32
  private let ownsDescriptor: Bool
  private var reachedEnd = false
  public private(set) var bytesConsumed: UInt64 = 0

  /// Opens `path` for reading.
  /// - Throws: a ``SourceError`` at offset 0 with the system's reason.
  public init(path: String) throws(SourceError) {
    do {
      fd = try Syscalls.openForReading(path)
    } catch {
      throw SourceError(offset: 0, message: error.message)
    }
    ownsDescriptor = true
  }

  /// Reads an already open descriptor, such as standard input; it is not closed.
  public init(descriptor: Int32) {
    fd = descriptor
    ownsDescriptor = false
  }

  /// Reads standard input; it is not closed.
  static func standardInput() -> FileDescriptorSource { FileDescriptorSource(descriptor: Syscalls.standardInput) }

  deinit {
    if ownsDescriptor { Syscalls.close(fd) }
  }

  public func read(into buffer: UnsafeMutableRawBufferPointer) throws(SourceError) -> Int {
    guard buffer.count > 0, !reachedEnd else { return 0 }
    let n: Int
    do {
      n = try Syscalls.read(fd, into: buffer)
    } catch {
      throw SourceError(offset: bytesConsumed, message: error.message)
    }
    if n == 0 { reachedEnd = true }
    bytesConsumed += UInt64(n)
    return n
  }
}
