import Foundation
import Testing

@testable import FlowLogParser

@Suite("Cutting lines")
struct LineCutterTests {
  enum Cut: Equatable {
    case line(String, UInt64)
    case tooLong(UInt64)
  }

  /// Every piece a cutter with a line limit of `limit` hands out over `text`, read in reads of
  /// `chunk` bytes into a buffer for reads of `readSize`.
  static func cut(_ text: String, limit: Int, chunk: Int, readSize: Int = 16, startingAt offset: UInt64 = 0) -> [Cut] {
    let buffer = UnsafeMutableRawBufferPointer.allocate(
      byteCount: LineCutter.bufferSize(readSize: readSize, maxLineLength: limit), alignment: 1)
    defer { buffer.deallocate() }
    var cutter = LineCutter(buffer: buffer, maxLineLength: limit, startingAt: offset)
    let source = MemorySource(Array(text.utf8), maxReadSize: chunk)
    var cuts: [Cut] = []
    func take(_ piece: LineCutter.Piece) {
      switch piece {
      case .line(let bytes, let offset): cuts.append(.line(String(decoding: bytes, as: UTF8.self), offset))
      case .tooLong(let offset): cuts.append(.tooLong(offset))
      }
    }
    while (try? cutter.read(from: source)) == true {
      while let piece = cutter.nextLine() { take(piece) }
    }
    if let last = cutter.finalLine() { take(last) }
    #expect(cutter.bytesRead == UInt64(text.utf8.count))
    return cuts
  }

  @Test(
    "lines with their offsets, a too-long line once, a last line without newline; any read size",
    arguments: [1, 2, 5, 16, 1000])
  func pieces(chunk: Int) {
    let text = "ab\n\nthis line is far too long\ncd\nlast"
    let expected: [Cut] = [.line("ab", 0), .line("", 3), .tooLong(4), .line("cd", 30), .line("last", 33)]
    #expect(Self.cut(text, limit: 8, chunk: chunk) == expected)
  }

  @Test("offsets of a piece count from where it starts in the file; a too-long last line is reported once")
  func pieceOffsets() {
    #expect(
      Self.cut("x\nyyyyyyyyyyyyyyyyyyyy", limit: 4, chunk: 3, startingAt: 100) == [.line("x", 100), .tooLong(102)])
  }
}
