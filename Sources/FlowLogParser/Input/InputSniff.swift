/// What the opening of an input showed it to be: its compression, and what its first block of
/// text (after decompression) looks like. Decided once per input by ``InputFormat/open(_:known:)``:
/// at discovery for a regular file (stored on ``InputFile/sniff``), as it is first read otherwise.
public struct InputSniff: Sendable, Hashable {
  /// The compression (`plain`, `gzip`, `zstd`), or ``InputFormat/unsupported(_:)`` for
  /// uncompressed content that is not text.
  public var format: InputFormat
  /// What the first block of text looks like.
  public var content: InputContent
  /// Whether the input is read: its content is text or CloudWatch Logs JSON, or a stream fault
  /// came within the first block (the fault is then what to report, not the content before it).
  public var isRead: Bool

  /// A verdict.
  public init(format: InputFormat, content: InputContent, isRead: Bool) {
    self.format = format
    self.content = content
    self.isRead = isRead
  }

  /// Sniffs the file at `path`; nil when it cannot be opened or read (the reader then meets, and
  /// reports, the same fault).
  init?(path: String) {
    guard let raw = try? FileDescriptorSource(path: path), let opened = try? InputFormat.open(raw) else { return nil }
    self = opened.sniff
  }

  /// True for gzip and zstd.
  public var isCompressed: Bool { format == .gzip || format == .zstd }

  /// Why the input is not read, as a clause after its name; nil when it is read.
  public var rejection: String? {
    guard !isRead else { return nil }
    let reason = isCompressed ? content.reason(container: format.name) : content.reason()
    return reason ?? "\(format.name) input is not supported"
  }
}
