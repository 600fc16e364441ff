/// Reads the bytes `[start, end)` of a file with `pread(2)`: one piece of a plain file split
/// across workers. Each worker opens its own descriptor.
final class FileRangeSource: ByteSource {
  private let fd: Int32
  private var position: UInt64
  private let end: UInt64
  private let start: UInt64

  init(path: String, start: UInt64, end: UInt64) throws(SourceError) {
    do {
      fd = try Syscalls.openForReading(path)
    } catch {
      throw SourceError(offset: start, message: error.message)
    }
    self.start = start
    self.position = start
    self.end = end
  }

  deinit { Syscalls.close(fd) }

  var bytesConsumed: UInt64 { position - start }

  func read(into buffer: UnsafeMutableRawBufferPointer) throws(SourceError) -> Int {
    let wanted = Int(min(UInt64(buffer.count), end - position))
    guard wanted > 0 else { return 0 }
    do {
      let n = try Syscalls.pread(
        fd, into: UnsafeMutableRawBufferPointer(start: buffer.baseAddress, count: wanted), at: position)
      position += UInt64(n)
      return n
    } catch {
      throw SourceError(offset: position, message: error.message)
    }
  }
}
