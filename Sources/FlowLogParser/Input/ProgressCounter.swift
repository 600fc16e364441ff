import Synchronization

/// Bytes and records read so far, updated by readers (once per buffer, not per record) and read by
/// whoever shows progress. Safe to share between threads.
public final class ProgressCounter: Sendable {
  private let bytesRead = Atomic<UInt64>(0)
  private let recordsRead = Atomic<UInt64>(0)

  /// A counter at zero.
  public init() {}

  /// Input bytes read (compressed bytes for compressed input).
  public var bytes: UInt64 { bytesRead.load(ordering: .relaxed) }
  /// Records decoded.
  public var records: UInt64 { recordsRead.load(ordering: .relaxed) }

  /// Adds what a reader has done since its last report.
  public func add(bytes: UInt64, records: UInt64) {
    if bytes > 0 { bytesRead.wrappingAdd(bytes, ordering: .relaxed) }
    if records > 0 { recordsRead.wrappingAdd(records, ordering: .relaxed) }
  }
}
