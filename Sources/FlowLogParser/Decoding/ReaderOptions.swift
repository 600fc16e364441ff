/// How inputs are read.
public struct ReaderOptions: Sendable {
  /// The layout for input without a header line (`--log-format`); a header line in the input
  /// wins. Nil means the default v2 layout.
  public var layout: FlowLayout?
  /// Lines longer than this many bytes are malformed and never buffered whole.
  public var maxLineLength: Int
  /// The size of the reused read buffer.
  public var bufferSize: Int
  /// Where readers report bytes and records as they go, for a progress display; nil for none.
  public var progress: ProgressCounter?
  /// Which valid records reach the sink; nil keeps them all. See ``RecordFilter``.
  public var filter: (any RecordFilter)?
  /// The most rows a Parquet row group may hold: a group is decoded whole, so this bounds the
  /// memory one file can claim (a corrupt footer, or runs of nulls, can announce any number).
  public var maxParquetRowGroupRows = 1 << 24

  /// Options with the default line limit (64 KiB) and a 1 MiB buffer.
  public init(
    layout: FlowLayout? = nil, maxLineLength: Int = 64 * 1024, bufferSize: Int = 1 << 20,
    progress: ProgressCounter? = nil, filter: (any RecordFilter)? = nil
  ) {
    self.layout = layout
    self.maxLineLength = max(1, maxLineLength)
    self.bufferSize = max(4096, bufferSize)
    self.progress = progress
    self.filter = filter
  }
}
