/// Why a Parquet file, or a part of one, cannot be read.
struct ParquetError: Error, Sendable, Hashable {
  /// What kind of failure, which decides how it is reported.
  enum Kind: Sendable, Hashable {
    /// The bytes are not what the format says they must be: truncated, or corrupt.
    case corrupt
    /// A valid file using a feature flowlens does not read (nested schemas, encryption, a codec).
    case unsupported
    /// The file cannot be read from disk.
    case unreadable
    /// A valid Parquet file none of whose columns names a flow log field.
    case notFlowLog
  }
  var kind: Kind
  /// The message, naming the part of the file (row group, column) where known.
  var message: String

  static func corrupt(_ message: String) -> ParquetError { ParquetError(kind: .corrupt, message: message) }
  static func unsupported(_ message: String) -> ParquetError { ParquetError(kind: .unsupported, message: message) }
}
