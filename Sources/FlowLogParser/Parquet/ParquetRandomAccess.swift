/// The bytes of a Parquet file, read at any offset: a file with `pread(2)`, or bytes in memory.
/// Parquet's footer is at the end, so a file is never read as a stream.
enum ParquetRandomAccess {
  case file(descriptor: Int32, size: UInt64)
  case memory([UInt8])

  var size: UInt64 {
    switch self {
    case .file(_, let size): size
    case .memory(let bytes): UInt64(bytes.count)
    }
  }

  /// Fills `buffer` with the bytes at `offset`.
  func read(at offset: UInt64, into buffer: UnsafeMutableRawBufferPointer) throws(ParquetError) {
    guard offset <= size, UInt64(buffer.count) <= size - offset else {
      throw .corrupt("a part of the file at byte \(offset) runs past its end (\(size) bytes)")
    }
    switch self {
    case .file(let fd, _):
      var done = 0
      while done < buffer.count {
        let n: Int
        do {
          n = try Syscalls.pread(
            fd, into: UnsafeMutableRawBufferPointer(rebasing: buffer[done...]), at: offset + UInt64(done))
        } catch {
          throw ParquetError(kind: .unreadable, message: error.message)
        }
        guard n > 0 else { throw .corrupt("the file ended while being read (was it truncated meanwhile?)") }
        done += n
      }
    case .memory(let bytes):
      guard buffer.count > 0 else { return }
      bytes.withUnsafeBytes { src in
        buffer.baseAddress!.copyMemory(from: src.baseAddress! + Int(offset), byteCount: buffer.count)
      }
    }
  }
}
