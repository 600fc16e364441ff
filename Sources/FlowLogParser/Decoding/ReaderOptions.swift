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
  /// The most rows a Parquet row group may hold: a bound on what a corrupt footer can announce.
  public var maxParquetRowGroupRows = 1 << 24
  /// The rows of a Parquet row group decoded at a time (each column's values for them are held at
  /// once): a bound on the memory a row group takes beyond its compressed bytes.
  public var parquetSliceRows = 1 << 14

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
