#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// Cuts the text of a stream into lines in one reused buffer, with `memchr`: the one place where
/// lines are cut, for the reader and for the quick pass that plans a split.
///
/// A line longer than `maxLineLength` is never buffered whole: it is reported once, as
/// ``Piece/tooLong(offset:)``, and its bytes are skipped up to its newline. Pull-style, so that the
/// caller keeps its sink and counts in local variables:
///
///     while try cutter.read(from: source) {
///       while let piece = cutter.nextLine() { … }
///     }
///     if let last = cutter.finalLine() { … }
struct LineCutter {
  /// What ``nextLine()`` hands out.
  enum Piece {
    /// A line without its newline, starting `offset` bytes into the stream; valid until the next
    /// ``read(from:)``.
    case line(UnsafeRawBufferPointer, offset: UInt64)
    /// A line longer than the limit, starting `offset` bytes into the stream.
    case tooLong(offset: UInt64)
  }

  /// The size of the buffer a cutter needs for reads of `readSize` bytes.
  static func bufferSize(readSize: Int, maxLineLength: Int) -> Int { readSize + maxLineLength + 1 }

  private let base: UnsafeMutableRawPointer
  private let capacity: Int
  private let maxLineLength: Int
  private let startOffset: UInt64
  /// The stream offset of the buffer's first byte.
  private var streamOffset: UInt64
  /// Bytes in the buffer.
  private var filled = 0
  /// The start of the first line not handed out yet.
  private var lineStart = 0
  /// Where the search for the next newline goes on.
  private var searchFrom = 0
  /// Inside a line already reported as too long.
  private var discarding = false

  /// A cutter over `buffer` (of at least ``bufferSize(readSize:maxLineLength:)`` bytes, owned by
  /// the caller), for a stream whose first byte is at `offset` (a piece of a file).
  init(buffer: UnsafeMutableRawBufferPointer, maxLineLength: Int, startingAt offset: UInt64 = 0) {
    base = buffer.baseAddress!
    capacity = buffer.count
    self.maxLineLength = maxLineLength
    startOffset = offset
    streamOffset = offset
  }

  /// Bytes of text taken from the stream so far.
  var bytesRead: UInt64 { streamOffset + UInt64(filled) - startOffset }

  /// Where the partial line at the end of the buffer starts, if one is pending (not reported as
  /// too long): after a fault, the line the fault cut off.
  var pendingLineOffset: UInt64? {
    filled > lineStart && !discarding ? streamOffset + UInt64(lineStart) : nil
  }

  /// Reads the next block of the stream into the buffer, after the partial line of the last one;
  /// false at the end of the stream. Call it once ``nextLine()`` has returned nil.
  @inline(__always)
  mutating func read(from source: any ByteSource) throws(SourceError) -> Bool {
    if discarding {
      streamOffset += UInt64(filled)
      filled = 0
    } else {
      // Keep the partial line at the front of the buffer.
      let partial = filled - lineStart
      if lineStart > 0 && partial > 0 { memmove(base, base + lineStart, partial) }
      streamOffset += UInt64(lineStart)
      filled = partial
    }
    lineStart = 0
    searchFrom = filled
    let n = try source.read(into: UnsafeMutableRawBufferPointer(start: base + filled, count: capacity - filled))
    filled += n
    return n > 0
  }

  /// The next complete line of the buffer, or nil when there is none left (after reporting the
  /// partial line at the end as too long, when it already is).
  @inline(__always)
  mutating func nextLine() -> Piece? {
    while searchFrom < filled, let hit = memchr(base + searchFrom, 0x0A, filled - searchFrom) {
      let newline = base.distance(to: UnsafeMutableRawPointer(hit))
      let start = lineStart
      lineStart = newline + 1
      searchFrom = lineStart
      if discarding {
        discarding = false
        continue
      }
      if newline - start > maxLineLength { return .tooLong(offset: streamOffset + UInt64(start)) }
      return .line(
        UnsafeRawBufferPointer(start: base + start, count: newline - start), offset: streamOffset + UInt64(start))
    }
    searchFrom = filled
    if !discarding && filled - lineStart > maxLineLength {
      discarding = true
      return .tooLong(offset: streamOffset + UInt64(lineStart))
    }
    return nil
  }

  /// At the end of the stream: the last line when it has no newline.
  mutating func finalLine() -> Piece? {
    guard let offset = pendingLineOffset else { return nil }
    defer { lineStart = filled }
    return .line(UnsafeRawBufferPointer(start: base + lineStart, count: filled - lineStart), offset: offset)
  }

  /// The index of the first newline in `bytes`, if any.
  static func firstNewline(in bytes: UnsafeRawBufferPointer) -> Int? {
    guard let start = bytes.baseAddress, let hit = memchr(start, 0x0A, bytes.count) else { return nil }
    return start.distance(to: UnsafeRawPointer(hit))
  }
}
