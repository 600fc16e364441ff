/// The quick first pass over a piece of a plain file that is split across workers: its lines, and
/// the text of its header lines, so that each piece knows its first line number and the layout in
/// force where it starts. Lines are cut as the reader cuts them (``LineCutter``), so a line too
/// long for the reader is not taken for a header here either.
struct PieceScan: Sendable {
  /// False when the piece could not be read: the file is then read whole.
  var ok = true
  /// Lines, counting a last line without a newline and lines too long.
  var lines = 0
  /// The text of header lines (trimmed as the reader trims them), in order: usually none or one.
  var headers: [[UInt8]] = []

  /// Scans the bytes `range` of the file at `path`.
  init(path: String, range: Range<UInt64>, options: ReaderOptions) {
    guard let source = try? FileRangeSource(path: path, start: range.lowerBound, end: range.upperBound) else {
      ok = false
      return
    }
    let buffer = UnsafeMutableRawBufferPointer.allocate(
      byteCount: LineCutter.bufferSize(readSize: options.bufferSize, maxLineLength: options.maxLineLength),
      alignment: 64)
    defer { buffer.deallocate() }
    var cutter = LineCutter(buffer: buffer, maxLineLength: options.maxLineLength, startingAt: range.lowerBound)
    do {
      while try cutter.read(from: source) {
        while let piece = cutter.nextLine() { take(piece) }
      }
    } catch {
      ok = false
      return
    }
    if let last = cutter.finalLine() { take(last) }
  }

  private mutating func take(_ piece: LineCutter.Piece) {
    lines += 1
    guard case .line(let line, _) = piece else { return }
    // Trimmed as FlowLogReader trims a line: spaces on both sides, a trailing '\r'.
    var start = 0
    var end = line.count
    while end > start, line[end - 1] == 0x20 || line[end - 1] == 0x0D { end -= 1 }
    while start < end, line[start] == 0x20 { start += 1 }
    guard start < end, FlowLayout.mayStartHeader(line[start]) else { return }
    let trimmed = UnsafeRawBufferPointer(rebasing: line[start..<end])
    if FlowLogReader.firstTokenIsFieldName(trimmed) { headers.append(Array(trimmed)) }
  }
}
