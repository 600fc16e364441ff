/// What the first bytes of an input's text (after decompression) show it to be: text that may be
/// a flow log, CloudWatch Logs JSON that carries flow log records, or content that plainly is not
/// a flow log (an image, an archive, random bytes, other JSON).
///
/// The verdict is meant for clearly foreign content only: a flow log with a stray NUL or a
/// Latin-1 byte in a field stays text, and its bad lines are reported one by one.
public enum InputContent: Sendable, Hashable {
  /// Text: read it line by line.
  case text
  /// Binary content, with what it looks like (`PNG image`, `ELF executable`, `binary data`).
  case binary(String)
  /// CloudWatch Logs JSON whose log events are flow log records: read event by event (see
  /// ``CloudWatchLogsForm``).
  case cloudWatchLogs(CloudWatchLogsForm)
  /// JSON that is not one of the CloudWatch Logs forms flowlens reads.
  case json
  /// XML or HTML (an S3 error page saved as an object, for one).
  case markup

  /// How many bytes ``sniff(_:)`` looks at when it can have them.
  public static let sniffLength = 4096

  /// Content is binary when more than this share of the bytes looked at are control bytes (other
  /// than tab, line feed, vertical tab, form feed, carriage return and escape) or bytes of invalid
  /// UTF-8. Random bytes score about 55 %, a flow log with one stray byte per line about 1 %.
  static let binaryShare = 0.10
  /// ... and at least this many bytes are such: a tiny file is read as text and reported line by line.
  static let binaryMinimumCount = 8

  /// Classifies the first bytes of a stream (up to ``sniffLength`` are used).
  public static func sniff(_ bytes: some Collection<UInt8>) -> InputContent {
    let window = Array(bytes.prefix(sniffLength))
    if let name = knownBinaryFormat(window) { return .binary(name) }
    let suspicious = nonTextByteCount(window)
    if suspicious >= binaryMinimumCount && Double(suspicious) > binaryShare * Double(window.count) {
      return .binary("binary data")
    }
    var start = 0
    if window.starts(with: [0xEF, 0xBB, 0xBF]) { start = 3 }  // a UTF-8 byte order mark
    while start < window.count, isSpace(window[start]) { start += 1 }
    if start < window.count {
      switch window[start] {
      case UInt8(ascii: "{"):
        return CloudWatchLogsForm.sniff(window).map { .cloudWatchLogs($0) } ?? .json
      case UInt8(ascii: "["):
        return .json
      case UInt8(ascii: "<"):
        return .markup
      default:
        break
      }
    }
    return .text
  }

  /// True for content read as flow log text.
  public var isText: Bool { self == .text }

  /// True for content flowlens reads: text, or CloudWatch Logs JSON.
  public var isRead: Bool {
    switch self {
    case .text, .cloudWatchLogs: true
    case .binary, .json, .markup: false
    }
  }

  /// True for a Parquet file (`PAR1`, or `PARE` when its footer is encrypted), read by its own
  /// reader rather than as text.
  public var isParquet: Bool { self == .binary("Parquet file") || self == .binary("encrypted Parquet file") }

  /// What the content is, for messages: `PNG image`, `JSON`, `CloudWatch Logs subscription JSON`.
  public var name: String {
    switch self {
    case .text: "text"
    case .binary(let name): name
    case .cloudWatchLogs(let form): form.name
    case .json: "JSON"
    case .markup: "XML or HTML"
    }
  }

  /// Why the content is not read, as a clause after the file name; nil for text.
  /// - Parameter container: the compression it was found in (`gzip`, `zstd`), nil when none.
  public func reason(container: String? = nil) -> String? {
    let wrapped = container.map { "\($0)-compressed " } ?? ""
    switch self {
    case .text, .cloudWatchLogs:
      return nil
    case .json:
      return
        "\(wrapped)JSON input is not supported; flowlens reads flow log text and CloudWatch Logs JSON "
        + "(subscription payloads, Firehose objects, aws logs filter-log-events output)"
    case .binary(let name) where name == "UTF-16 text":
      return "\(wrapped)UTF-16 text is not supported; convert it to UTF-8 (iconv -f UTF-16 -t UTF-8)"
    case .binary, .markup:
      return "\(wrapped)\(name), not a text flow log; flowlens reads plain, gzip or zstd text"
    }
  }

  /// Formats recognised by their first bytes, with the name messages use. Magics that are short
  /// words (`MZ`, `ORC`) are left out: a custom layout's first field could begin with one, and such
  /// files score as binary anyway.
  static let magics: [(offset: Int, bytes: [UInt8], name: String)] = [
    (0, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A], "PNG image"),
    (0, [0xFF, 0xD8, 0xFF], "JPEG image"),
    (0, Array("GIF87a".utf8), "GIF image"),
    (0, Array("GIF89a".utf8), "GIF image"),
    (0, Array("%PDF-".utf8), "PDF document"),
    (0, [0x7F, 0x45, 0x4C, 0x46], "ELF executable"),
    (0, [0xCF, 0xFA, 0xED, 0xFE], "Mach-O executable"),
    (0, [0xCE, 0xFA, 0xED, 0xFE], "Mach-O executable"),
    (0, [0xCA, 0xFE, 0xBA, 0xBE], "Mach-O universal binary or Java class"),
    (0, Array("PAR1".utf8), "Parquet file"),
    (0, Array("PARE".utf8), "encrypted Parquet file"),
    (0, [0x4F, 0x62, 0x6A, 0x01], "Avro file"),
    (0, Array("SQLite format 3\0".utf8), "SQLite database"),
    (0, [0x50, 0x4B, 0x03, 0x04], "zip archive"),
    (0, [0x50, 0x4B, 0x05, 0x06], "zip archive"),
    (0, [0x37, 0x7A, 0xBC, 0xAF, 0x27, 0x1C], "7z archive"),
    (0, [0xFD, 0x37, 0x7A, 0x58, 0x5A, 0x00], "xz-compressed data"),
    (0, Array("BZh".utf8), "bzip2-compressed data"),
    (0, [0x04, 0x22, 0x4D, 0x18], "lz4-compressed data"),
    (0, [0x1F, 0x8B], "gzip-compressed data"),
    (0, [0x28, 0xB5, 0x2F, 0xFD], "zstd-compressed data"),
    (257, Array("ustar".utf8), "tar archive"),
    (0, [0xFF, 0xFE], "UTF-16 text"),
    (0, [0xFE, 0xFF], "UTF-16 text"),
  ]

  /// The name of a binary format whose magic bytes `window` starts with, if any.
  static func knownBinaryFormat(_ window: [UInt8]) -> String? {
    for magic in magics where window.count >= magic.offset + magic.bytes.count {
      if window[magic.offset..<(magic.offset + magic.bytes.count)].elementsEqual(magic.bytes) { return magic.name }
    }
    return nil
  }

  private static func isSpace(_ byte: UInt8) -> Bool {
    byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
  }

  static func contains(_ window: [UInt8], _ text: String) -> Bool {
    let needle = Array(text.utf8)
    guard window.count >= needle.count else { return false }
    for start in 0...(window.count - needle.count) where window[start] == needle[0] {
      if window[start..<(start + needle.count)].elementsEqual(needle) { return true }
    }
    return false
  }

  /// Control bytes other than whitespace and escape, plus the bytes of invalid UTF-8 sequences.
  /// A sequence cut off by the end of the window is not counted.
  static func nonTextByteCount(_ window: [UInt8]) -> Int {
    var count = 0
    var i = 0
    while i < window.count {
      let byte = window[i]
      if byte < 0x80 {
        if (byte < 0x20 && !(0x09...0x0D).contains(byte) && byte != 0x1B) || byte == 0x7F { count += 1 }
        i += 1
        continue
      }
      // The length of a UTF-8 sequence from its lead byte, and the range of its second byte
      // (narrower after E0, ED, F0, F4, which rules out overlong forms and surrogates).
      let length: Int
      var second: ClosedRange<UInt8> = 0x80...0xBF
      switch byte {
      case 0xC2...0xDF: length = 2
      case 0xE0:
        length = 3
        second = 0xA0...0xBF
      case 0xE1...0xEC, 0xEE...0xEF: length = 3
      case 0xED:
        length = 3
        second = 0x80...0x9F
      case 0xF0:
        length = 4
        second = 0x90...0xBF
      case 0xF1...0xF3: length = 4
      case 0xF4:
        length = 4
        second = 0x80...0x8F
      default:
        count += 1
        i += 1
        continue
      }
      var valid = 1
      while valid < length, i + valid < window.count {
        let next = window[i + valid]
        guard valid == 1 ? second.contains(next) : (0x80...0xBF).contains(next) else { break }
        valid += 1
      }
      if valid == length || i + valid == window.count {
        i += valid  // a whole sequence, or one cut off by the window
      } else {
        count += 1  // the lead byte; what follows is looked at afresh
        i += 1
      }
    }
    return count
  }
}
