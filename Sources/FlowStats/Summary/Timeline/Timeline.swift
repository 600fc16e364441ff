import FlowLogParser

/// Records per time bucket while records are read (`summary --bucket`): buckets of
/// `bucketSeconds` aligned to the Unix epoch, a record in the bucket of its `start`.
///
/// Memory is bounded: past ``bucketLimit`` distinct buckets no new bucket is kept (the first and
/// last still are), since the span then holds more buckets than a timeline prints
/// (``isTooLong``) and the run stops with an error instead of printing it.
public struct Timeline: Sendable {
  /// The most buckets a timeline prints, empty ones included.
  public static let bucketLimit: UInt64 = 1_000_000
  /// The bucket length in seconds (at least 1).
  public let bucketSeconds: UInt64
  private var buckets = FlatTable<UInt64, GroupCounters>(empty: GroupCounters())
  /// The index (start / bucketSeconds) of the first bucket with a record.
  public private(set) var firstBucket: UInt64 = .max
  /// The index of the last bucket with a record.
  public private(set) var lastBucket: UInt64 = 0
  /// Records counted that have no `start` (not in their layout): in no bucket.
  public private(set) var recordsWithoutStart: UInt64 = 0
  /// Whether buckets were left out because there were more than ``bucketLimit``.
  private var overflowed = false

  /// An empty timeline of `bucketSeconds`-long buckets.
  public init(bucketSeconds: UInt64) {
    self.bucketSeconds = max(1, bucketSeconds)
  }

  /// Counts one record that starts at `start` (Unix seconds).
  @inline(__always)
  public mutating func add(start: UInt64?, action: FlowAction?, packets: UInt64, bytes: UInt64) {
    guard let start else {
      recordsWithoutStart &+= 1
      return
    }
    let bucket = start / bucketSeconds
    if bucket < firstBucket { firstBucket = bucket }
    if bucket > lastBucket { lastBucket = bucket }
    if overflowed && buckets[bucket] == nil { return }
    let isNew = buckets.upsert(bucket) { $0.add(action: action, packets: packets, bytes: bytes) }
    if isNew && UInt64(buckets.count) > Self.bucketLimit { overflowed = true }
  }

  /// Adds another part's buckets.
  public mutating func merge(_ other: Timeline) {
    firstBucket = min(firstBucket, other.firstBucket)
    lastBucket = max(lastBucket, other.lastBucket)
    recordsWithoutStart &+= other.recordsWithoutStart
    overflowed = overflowed || other.overflowed
    guard !overflowed else { return }
    buckets.merge(other.buckets) { $0.merge($1) }
    if UInt64(buckets.count) > Self.bucketLimit { overflowed = true }
  }

  /// Whether any record has a `start`.
  public var isEmpty: Bool { firstBucket > lastBucket }

  /// The number of buckets from the first to the last, empty ones included (0 when empty).
  public var span: UInt64 { isEmpty ? 0 : lastBucket - firstBucket + 1 }

  /// Whether the timeline holds more than ``bucketLimit`` buckets: too many to print.
  public var isTooLong: Bool { span > Self.bucketLimit }

  /// Every bucket from the first to the last, empty ones included, with its start in Unix
  /// seconds. Empty when ``isTooLong``.
  public var rows: [(start: UInt64, counters: GroupCounters)] {
    guard !isEmpty && !isTooLong else { return [] }
    return (firstBucket...lastBucket).map { bucket in
      (bucket &* bucketSeconds, buckets[bucket] ?? GroupCounters())
    }
  }
}

extension Timeline {
  /// Writes the buckets for a partial result.
  func write(to writer: inout StateWriter) {
    writer.uint(bucketSeconds)
    buckets.write(to: &writer)
    writer.uint(firstBucket)
    writer.uint(lastBucket)
    writer.uint(recordsWithoutStart)
    writer.bool(overflowed)
  }

  /// Reads buckets written by ``write(to:)`` for buckets of `bucketSeconds`.
  init(bucketSeconds: UInt64, from reader: inout StateReader) throws(StateError) {
    self.init(bucketSeconds: bucketSeconds)
    let at = reader.position
    guard try reader.uint() == self.bucketSeconds else {
      throw reader.error(at: at, "the bucket size does not match the options (--bucket)")
    }
    buckets = try FlatTable(from: &reader, empty: GroupCounters())
    guard UInt64(buckets.count) <= Self.bucketLimit + 1 else { throw reader.error(at: at, "too many time buckets") }
    firstBucket = try reader.uint()
    lastBucket = try reader.uint()
    recordsWithoutStart = try reader.uint()
    overflowed = try reader.bool()
  }
}
