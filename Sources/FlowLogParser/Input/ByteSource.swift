#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// A stream of bytes: a file, standard input, or a decompressor over another source.
public protocol ByteSource: AnyObject {
  /// Reads up to `buffer.count` bytes into `buffer`; returns 0 at the end of the stream.
  func read(into buffer: UnsafeMutableRawBufferPointer) throws(SourceError) -> Int
  /// Bytes taken from the underlying file so far (for a decompressor: compressed bytes).
  var bytesConsumed: UInt64 { get }
}

/// A fault while reading or decompressing, at a byte offset of the underlying file.
public struct SourceError: Error, Sendable, Hashable {
  /// The offset in the file (compressed bytes for compressed input) where the fault was found.
  public var offset: UInt64
  /// What went wrong, for a person.
  public var message: String

  /// A fault at `offset`.
  public init(offset: UInt64, message: String) {
    self.offset = offset
    self.message = message
  }
}

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
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw SourceError(offset: 0, message: Self.errnoText()) }
    self.fd = fd
    ownsDescriptor = true
  }

  /// Reads an already open descriptor, such as standard input; it is not closed.
  public init(descriptor: Int32) {
    fd = descriptor
    ownsDescriptor = false
  }

  deinit {
    if ownsDescriptor { close(fd) }
  }

  public func read(into buffer: UnsafeMutableRawBufferPointer) throws(SourceError) -> Int {
    guard buffer.count > 0, !reachedEnd else { return 0 }
    while true {
      #if canImport(Glibc)
        let n = Glibc.read(fd, buffer.baseAddress, buffer.count)
      #else
        let n = Darwin.read(fd, buffer.baseAddress, buffer.count)
      #endif
      if n >= 0 {
        if n == 0 { reachedEnd = true }
        bytesConsumed += UInt64(n)
        return n
      }
      if errno == EINTR { continue }
      throw SourceError(offset: bytesConsumed, message: Self.errnoText())
    }
  }

  static func errnoText() -> String {
    String(cString: strerror(errno))
  }
}

/// Replays a few bytes already read (for sniffing the format), then reads on from the source.
final class PrefixedSource: ByteSource {
  private var prefix: [UInt8]
  private var prefixPosition = 0
  private let inner: any ByteSource

  init(prefix: [UInt8], inner: any ByteSource) {
    self.prefix = prefix
    self.inner = inner
  }

  var bytesConsumed: UInt64 { inner.bytesConsumed - UInt64(prefix.count - prefixPosition) }

  func read(into buffer: UnsafeMutableRawBufferPointer) throws(SourceError) -> Int {
    if prefixPosition < prefix.count {
      let n = min(buffer.count, prefix.count - prefixPosition)
      prefix.withUnsafeBytes { src in
        buffer.baseAddress!.copyMemory(from: src.baseAddress! + prefixPosition, byteCount: n)
      }
      prefixPosition += n
      return n
    }
    return try inner.read(into: buffer)
  }
}

/// Bytes already in memory, read as a stream: for tests, benchmarks and embedding.
public final class MemorySource: ByteSource {
  private let bytes: [UInt8]
  private var position = 0
  /// The largest amount one `read` returns; small values exercise buffer boundaries.
  private let maxReadSize: Int

  /// A source over `bytes`, returning at most `maxReadSize` bytes per read.
  public init(_ bytes: [UInt8], maxReadSize: Int = .max) {
    self.bytes = bytes
    self.maxReadSize = max(1, maxReadSize)
  }

  public var bytesConsumed: UInt64 { UInt64(position) }

  public func read(into buffer: UnsafeMutableRawBufferPointer) throws(SourceError) -> Int {
    let n = min(buffer.count, bytes.count - position, maxReadSize)
    guard n > 0 else { return 0 }
    bytes.withUnsafeBytes { src in
      buffer.baseAddress!.copyMemory(from: src.baseAddress! + position, byteCount: n)
    }
    position += n
    return n
  }
}

/// Reads the bytes `[start, end)` of a file with `pread(2)`: one piece of a plain file split
/// across workers. Each worker opens its own descriptor.
final class FileRangeSource: ByteSource {
  private let fd: Int32
  private var position: UInt64
  private let end: UInt64
  private let start: UInt64

  init(path: String, start: UInt64, end: UInt64) throws(SourceError) {
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw SourceError(offset: start, message: FileDescriptorSource.errnoText()) }
    self.fd = fd
    self.start = start
    self.position = start
    self.end = end
  }

  deinit { close(fd) }

  var bytesConsumed: UInt64 { position - start }

  func read(into buffer: UnsafeMutableRawBufferPointer) throws(SourceError) -> Int {
    let wanted = Int(min(UInt64(buffer.count), end - position))
    guard wanted > 0 else { return 0 }
    while true {
      let n = pread(fd, buffer.baseAddress, wanted, off_t(position))
      if n >= 0 {
        position += UInt64(n)
        return n
      }
      if errno == EINTR { continue }
      throw SourceError(offset: position, message: FileDescriptorSource.errnoText())
    }
  }
}
