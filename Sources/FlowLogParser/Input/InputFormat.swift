/// What the first bytes of an input say it is. Compression is detected from content, never from
/// the file name.
public enum InputFormat: Sendable, Hashable {
  /// Uncompressed text (flow log lines, or CloudWatch Logs JSON: see ``InputContent``).
  case plain
  /// gzip (magic `1F 8B`).
  case gzip
  /// zstd (magic `28 B5 2F FD`, or a skippable frame `5? 2A 4D 18`).
  case zstd
  /// Content flowlens does not read, with what it looks like (`Parquet file`, `xz-compressed data`,
  /// `PNG image`, `binary data`, `JSON`): see ``InputContent``.
  case unsupported(String)

  /// The number of bytes that tell gzip and zstd apart from the rest.
  public static let magicLength = 6

  /// Detects the format from the first bytes of a stream (fewer when the stream is shorter).
  /// Anything that is neither gzip nor zstd is sniffed with ``InputContent/sniff(_:)``: content
  /// that plainly is not flow log text (Parquet, xz, an image, JSON, random bytes) is
  /// ``unsupported(_:)`` with what it looks like. Give it ``InputContent/sniffLength`` bytes when
  /// there are that many: binary content without a known magic is judged on its first block.
  public static func detect(_ bytes: some Collection<UInt8>) -> InputFormat {
    let b = Array(bytes.prefix(InputContent.sniffLength))
    if let compressed = compression(b) { return compressed }
    let content = InputContent.sniff(b)
    return content.isRead ? .plain : .unsupported(content.name)
  }

  /// `.gzip` or `.zstd` when the bytes start with their magic; nil otherwise.
  static func compression(_ b: [UInt8]) -> InputFormat? {
    if b.starts(with: [0x1F, 0x8B]) { return .gzip }
    if b.starts(with: [0x28, 0xB5, 0x2F, 0xFD]) { return .zstd }
    if b.count >= 4, b[0] & 0xF0 == 0x50, b[1] == 0x2A, b[2] == 0x4D, b[3] == 0x18 { return .zstd }
    return nil
  }

  /// A short name for messages and reports.
  public var name: String {
    switch self {
    case .plain: "plain"
    case .gzip: "gzip"
    case .zstd: "zstd"
    case .unsupported(let name): name
    }
  }
}

extension InputFormat {
  /// An input opened for reading: what it was found to be, and the source of its text — nil when
  /// the content is not read.
  struct Opened {
    var sniff: InputSniff
    var source: (any ByteSource)?
  }

  /// Opens a decoding source over `raw`: sniffs the first bytes, wraps the matching decompressor
  /// around them, and sniffs the first block of text that comes out, so that a gzipped PNG or a
  /// gzipped JSON document is recognised as what it is.
  ///
  /// With `known`, the verdict of an earlier sniff of the same input, the content is not judged
  /// again; the first bytes are still read in the same steps, so that a decompressor is fed
  /// exactly as when it was sniffed (a fault is met at the same offset, after the same text).
  ///
  /// A stream fault within the first block is not thrown here: the bytes before it are read as
  /// usual and the fault follows them, so that no record before it is lost.
  /// - Throws: a read error of `raw` before its first bytes.
  static func open(_ raw: any ByteSource, known: InputSniff? = nil) throws(SourceError) -> Opened {
    let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: InputContent.sniffLength, alignment: 1)
    defer { scratch.deallocate() }
    // At least the magic bytes; beyond that only what arrives, so a live pipe is not held up.
    var filled = 0
    while filled < magicLength {
      let n = try raw.read(into: UnsafeMutableRawBufferPointer(rebasing: scratch[filled...]))
      if n == 0 { break }
      filled += n
    }
    // Text that opens like a JSON object is judged on a whole window: whether it is CloudWatch
    // Logs JSON shows only in its keys, which a short first read may not reach.
    if known == nil, compression(Array(scratch[0..<filled])) == nil, Self.opensLikeJSONObject(scratch[0..<filled]) {
      while filled < scratch.count {
        let n = try raw.read(into: UnsafeMutableRawBufferPointer(rebasing: scratch[filled...]))
        if n == 0 { break }
        filled += n
      }
    }
    let prefix = Array(scratch[0..<filled])
    let replay = PrefixedSource(prefix: prefix, inner: raw)
    guard let format = compression(prefix) else {
      let sniff =
        known
        ?? {
          let content = InputContent.sniff(prefix)
          return InputSniff(
            format: content.isRead ? .plain : .unsupported(content.name), content: content, isRead: content.isRead)
        }()
      return Opened(sniff: sniff, source: sniff.isRead ? replay : nil)
    }
    let decoder: any ByteSource = format == .gzip ? GzipSource(replay) : ZstdSource(replay)
    // The first block of decoded text, up to a fault.
    var decoded = 0
    var fault: SourceError?
    do {
      while decoded < scratch.count {
        let n = try decoder.read(into: UnsafeMutableRawBufferPointer(rebasing: scratch[decoded...]))
        if n == 0 { break }
        decoded += n
      }
    } catch {
      fault = error
    }
    let text = Array(scratch[0..<decoded])
    let sniff =
      known
      ?? {
        let content = InputContent.sniff(text)
        // After a fault the decoded bytes may be garbage: the fault is what to report, not the content.
        return InputSniff(format: format, content: content, isRead: content.isRead || fault != nil)
      }()
    return Opened(
      sniff: sniff, source: sniff.isRead ? DecodedPrefixSource(prefix: text, then: fault, inner: decoder) : nil)
  }

  /// Whether the bytes, after a byte order mark and whitespace, start with `{` (or are all
  /// whitespace so far).
  private static func opensLikeJSONObject(_ bytes: Slice<UnsafeMutableRawBufferPointer>) -> Bool {
    var rest = bytes[...]
    if rest.starts(with: [0xEF, 0xBB, 0xBF]) { rest = rest.dropFirst(3) }
    let first = rest.first { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }
    return first == nil || first == UInt8(ascii: "{")
  }
}
