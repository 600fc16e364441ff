import FlowLogParser

/// ACCEPT and REJECT record counts of one interval.
public struct ActionCounts: Sendable, Hashable, Codable {
  /// ACCEPT records.
  public var accept: UInt64 = 0
  /// REJECT records.
  public var reject: UInt64 = 0

  /// Zero counts.
  public init() {}

  /// Counts of the given values.
  public init(accept: UInt64, reject: UInt64) {
    self.accept = accept
    self.reject = reject
  }

  /// ACCEPT plus REJECT.
  public var total: UInt64 { accept &+ reject }

  /// Counts one record of `action`.
  @inline(__always)
  public mutating func add(_ action: FlowAction) {
    if action == .accept { accept &+= 1 } else if action == .reject { reject &+= 1 }
  }

  /// Adds another interval's counts.
  @inline(__always)
  public mutating func add(_ other: ActionCounts) {
    accept &+= other.accept
    reject &+= other.reject
  }
}

/// ACCEPT and REJECT records counted per interval of their `start` time: the data behind the
/// report's "over time" chart.
///
/// Records are counted at a fine granularity (60 s) so that the chart can choose its bucket size
/// from the time range afterwards (see ``series(maxBuckets:)``). The table is bounded: when it
/// would hold more than `bucketLimit` intervals, every interval is folded into the next, coarser
/// granularity of ``granularityLadder`` (each a multiple of the one before, so folding is exact).
/// Folding only ever merges intervals, so the granularity a run ends at is the finest at which
/// all of its records fit, whatever order they came in and however the input was split: that is
/// what keeps ``merge(_:)`` associative and commutative.
public struct ActionTimeline: Sendable {
  /// Interval lengths in seconds, finest first; each divides the next. Past the end of the list
  /// the granularity grows tenfold per level, so that any spread of timestamps fits eventually.
  public static let granularityLadder: [UInt64] = [60, 300, 900, 3_600, 21_600, 86_400, 604_800]

  /// The most intervals the table holds.
  public let bucketLimit: Int
  /// Counts per interval, keyed by `start / granularity`.
  private var buckets = FlatTable<UInt64, ActionCounts>(empty: ActionCounts())
  /// The index into the granularity ladder (extended tenfold past its end).
  public private(set) var level = 0
  /// ACCEPT and REJECT records without a `start` field: counted, but not placed in time.
  public private(set) var untimed = ActionCounts()

  /// An empty timeline that keeps at most `bucketLimit` (at least 2) intervals.
  public init(bucketLimit: Int = 1 << 17) {
    precondition(bucketLimit >= 2, "a timeline needs room for at least two intervals")
    self.bucketLimit = bucketLimit
  }

  /// The interval length of `level`, in seconds (saturating at `UInt64.max`).
  public static func granularity(level: Int) -> UInt64 {
    if level < granularityLadder.count { return granularityLadder[level] }
    var value = granularityLadder[granularityLadder.count - 1]
    for _ in granularityLadder.count...level {
      let (product, overflow) = value.multipliedReportingOverflow(by: 10)
      if overflow { return .max }
      value = product
    }
    return value
  }

  /// The interval length records are counted at now, in seconds.
  public var granularity: UInt64 { Self.granularity(level: level) }

  /// The number of intervals with records.
  public var count: Int { buckets.count }

  /// Counts one record of `action` that started at `start` (Unix seconds).
  @inline(__always)
  public mutating func add(start: UInt64, action: FlowAction) {
    let isNew = buckets.upsert(start / granularity) { $0.add(action) }
    if isNew && buckets.count > bucketLimit { coarsen(toAtLeast: level + 1) }
  }

  /// Counts one record of `action` without a `start` field.
  public mutating func addUntimed(action: FlowAction) { untimed.add(action) }

  /// Adds another timeline's counts (made with the same limit). Associative and commutative.
  public mutating func merge(_ other: ActionTimeline) {
    untimed.add(other.untimed)
    var other = other
    let common = max(level, other.level)
    other.coarsen(toAtLeast: common, allowingMoreThanLimit: true)
    coarsen(toAtLeast: common, allowingMoreThanLimit: true)
    buckets.merge(other.buckets) { $0.add($1) }
    if buckets.count > bucketLimit { coarsen(toAtLeast: level + 1) }
  }

  /// Every interval with records as (start in Unix seconds, counts), in time order.
  public var intervals: [(start: UInt64, counts: ActionCounts)] {
    let size = granularity
    return buckets.entries.sorted { $0.key < $1.key }.map { ($0.key &* size, $0.value) }
  }

  /// Folds the intervals into the granularity of `target` or coarser: the first level from
  /// `target` on at which they fit the limit (or exactly `target` when `allowingMoreThanLimit`,
  /// for a merge that checks the limit after adding).
  private mutating func coarsen(toAtLeast target: Int, allowingMoreThanLimit: Bool = false) {
    guard target > level else { return }
    let old = buckets.entries
    let oldSize = granularity
    var newLevel = target
    while true {
      let size = Self.granularity(level: newLevel)
      var folded = FlatTable<UInt64, ActionCounts>(empty: ActionCounts())
      for (key, counts) in old {
        // `key * oldSize` is the interval's start; it is a multiple of `size`'s divisor chain.
        folded.update(key &* oldSize / size) { $0.add(counts) }
      }
      if allowingMoreThanLimit || folded.count <= bucketLimit || size == .max {
        buckets = folded
        level = newLevel
        return
      }
      newLevel += 1
    }
  }

  /// The chart's series: dense buckets from the first interval to the last, each `bucketSeconds`
  /// long, where `bucketSeconds` is the first of ``displayBucketSizes`` that is a multiple of
  /// the counting granularity and gives at most `maxBuckets` buckets.
  public func series(maxBuckets: Int = 120) -> TimelineSeries {
    let size = granularity
    let keys = buckets.entries.map(\.key)
    guard let firstKey = keys.min(), let lastKey = keys.max() else {
      return TimelineSeries(bucketSeconds: size, countingSeconds: size, buckets: [], untimed: untimed)
    }
    let first = firstKey &* size
    let last = lastKey &* size
    let bucketSeconds = Self.displayBucketSize(first: first, last: last, granularity: size, maxBuckets: maxBuckets)
    let firstBucket = first / bucketSeconds
    let bucketCount = Int(last / bucketSeconds - firstBucket) + 1
    var dense = (0..<bucketCount).map { index in
      TimelineSeries.Bucket(start: (firstBucket + UInt64(index)) &* bucketSeconds, counts: ActionCounts())
    }
    for (key, counts) in buckets.entries {
      dense[Int((key &* size) / bucketSeconds - firstBucket)].counts.add(counts)
    }
    return TimelineSeries(bucketSeconds: bucketSeconds, countingSeconds: size, buckets: dense, untimed: untimed)
  }

  /// Bucket sizes a person reads easily: 1, 2, 5, 10, 15, 30 minutes; 1, 2, 3, 6, 12 hours;
  /// 1, 2 days; 1, 2, 4 weeks. Neighbours differ by at most 2.5 times, so the chosen size gives
  /// between `maxBuckets / 2.5` and `maxBuckets` buckets whenever the range is long enough.
  public static let displayBucketSizes: [UInt64] = [
    60, 120, 300, 600, 900, 1_800, 3_600, 7_200, 10_800, 21_600, 43_200, 86_400, 172_800, 604_800, 1_209_600,
    2_419_200,
  ]

  /// The bucket size for a chart of intervals from `first` to `last` (starts, Unix seconds)
  /// counted at `granularity`: the smallest readable size that is a multiple of `granularity`
  /// and needs at most `maxBuckets` buckets; past the list, multiples of `granularity` by 1-2-5 steps.
  public static func displayBucketSize(first: UInt64, last: UInt64, granularity: UInt64, maxBuckets: Int) -> UInt64 {
    func fits(_ size: UInt64) -> Bool { last / size - first / size + 1 <= UInt64(max(1, maxBuckets)) }
    for size in displayBucketSizes where size >= granularity && size % granularity == 0 && fits(size) {
      return size
    }
    var multiplier: UInt64 = 1
    while true {
      for step: UInt64 in [1, 2, 5] {
        let (size, overflow) = granularity.multipliedReportingOverflow(by: multiplier &* step)
        if overflow { return .max }
        if size > (displayBucketSizes.last ?? 0) && fits(size) { return size }
      }
      multiplier &*= 10
    }
  }
}

/// ACCEPT and REJECT counts in evenly sized time buckets, ready to chart.
public struct TimelineSeries: Sendable, Hashable, Codable {
  /// One bucket: its start (Unix seconds) and counts.
  public struct Bucket: Sendable, Hashable, Codable {
    /// The bucket's first second, Unix seconds.
    public var start: UInt64
    /// Its ACCEPT and REJECT records.
    public var counts: ActionCounts
  }

  /// The length of each bucket, seconds.
  public var bucketSeconds: UInt64
  /// The granularity records were counted at (60 s unless the time range forced coarser).
  public var countingSeconds: UInt64
  /// Every bucket from the first record's to the last's, empty ones included.
  public var buckets: [Bucket]
  /// ACCEPT and REJECT records without a `start`.
  public var untimed: ActionCounts

  enum CodingKeys: String, CodingKey {
    case buckets, untimed
    case bucketSeconds = "bucket_seconds"
    case countingSeconds = "counting_seconds"
  }
}

extension ActionTimeline {
  /// Writes the intervals for a partial result.
  func write(to writer: inout StateWriter) {
    writer.count(bucketLimit)
    writer.count(level)
    buckets.write(to: &writer)
    writer.value(untimed)
  }

  /// Reads intervals written by ``write(to:)`` for a timeline of `bucketLimit` intervals.
  init(bucketLimit: Int, from reader: inout StateReader) throws(StateError) {
    self.init(bucketLimit: bucketLimit)
    let at = reader.position
    guard try reader.uint() == UInt64(bucketLimit) else {
      throw reader.error(at: at, "the timeline's interval limit does not match the options")
    }
    level = Int(try reader.uint(atMost: 32, "timeline level"))
    let tableAt = reader.position
    buckets = try FlatTable(from: &reader, empty: ActionCounts())
    guard buckets.count <= bucketLimit else { throw reader.error(at: tableAt, "more intervals than the limit") }
    untimed = try reader.value()
  }
}
