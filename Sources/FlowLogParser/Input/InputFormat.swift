/// What the first bytes of an input say it is. Compression is detected from content, never from
/// the file name.
public enum InputFormat: Sendable, Hashable {
  /// Uncompressed text.
  case plain
  /// gzip (magic `1F 8B`).
  case gzip
  /// zstd (magic `28 B5 2F FD`, or a skippable frame `5? 2A 4D 18`).
  case zstd
  /// A format flowlens does not read, with its name (`Parquet`, `xz`, `bzip2`, `zip`, `lz4`).
  case unsupported(String)

  /// The number of bytes ``detect(_:)`` looks at.
  public static let magicLength = 6

  /// Detects the format from the first bytes of a stream (fewer when the stream is shorter).
  public static func detect(_ bytes: some Collection<UInt8>) -> InputFormat {
    let b = Array(bytes.prefix(magicLength))
    func starts(_ magic: [UInt8]) -> Bool { b.count >= magic.count && Array(b.prefix(magic.count)) == magic }
    if starts([0x1F, 0x8B]) { return .gzip }
    if starts([0x28, 0xB5, 0x2F, 0xFD]) { return .zstd }
    if b.count >= 4, b[0] & 0xF0 == 0x50, b[1] == 0x2A, b[2] == 0x4D, b[3] == 0x18 { return .zstd }
    if starts(Array("PAR1".utf8)) { return .unsupported("Parquet") }
    if starts([0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00]) { return .unsupported("xz") }
    if starts(Array("BZh".utf8)) { return .unsupported("bzip2") }
    if starts([0x50, 0x4B, 0x03, 0x04]) { return .unsupported("zip") }
    if starts([0x04, 0x22, 0x4D, 0x18]) { return .unsupported("lz4") }
    // A flow log line starts with a field value or name, never with these.
    if let first = b.first(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }) {
      if first == UInt8(ascii: "{") || first == UInt8(ascii: "[") { return .unsupported("JSON") }
      if first == UInt8(ascii: "<") { return .unsupported("XML or HTML") }
    }
    return .plain
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
  /// Opens a decoding source over `raw`: sniffs the first bytes, then wraps the matching
  /// decompressor around them.
  /// - Returns: the format and the source of decoded bytes (nil for an unsupported format).
  static func open(_ raw: any ByteSource) throws(SourceError) -> (InputFormat, (any ByteSource)?) {
    let scratch = UnsafeMutableRawBufferPointer.allocate(byteCount: magicLength, alignment: 1)
    defer { scratch.deallocate() }
    var filled = 0
    while filled < magicLength {
      let n = try raw.read(into: UnsafeMutableRawBufferPointer(rebasing: scratch[filled...]))
      if n == 0 { break }
      filled += n
    }
    let prefix = Array(scratch[0..<filled])
    let format = detect(prefix)
    let replay = PrefixedSource(prefix: prefix, inner: raw)
    switch format {
    case .plain: return (format, replay)
    case .gzip: return (format, GzipSource(replay))
    case .zstd: return (format, ZstdSource(replay))
    case .unsupported: return (format, nil)
    }
  }
}
