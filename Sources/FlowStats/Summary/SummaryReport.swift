import FlowLogParser

/// The result of `flowlens summary`, shaped as its JSON output (snake-case keys).
public struct SummaryReport: Sendable, Codable, Hashable {
  /// What was read, as in every report.
  public typealias Inputs = InputTotals
  /// Record and line totals, as in every report.
  public typealias Records = RecordCounts
  /// One example issue, as in every report.
  public typealias Issue = IssueExample
  /// How many issues of one kind one file had, as in every report.
  public typealias IssueCount = FlowStats.IssueCount
  /// How far an approximate table may be off, as in every report.
  public typealias Approximation = TableApproximation

  /// The time span covered.
  public struct TimeRange: Sendable, Codable, Hashable {
    public var firstStart: UInt64?
    public var lastEnd: UInt64?

    enum CodingKeys: String, CodingKey {
      case firstStart = "first_start"
      case lastEnd = "last_end"
    }
  }

  /// A row of the interface table.
  public struct InterfaceRow: Sendable, Codable, Hashable {
    public var interfaceID: String
    public var accept: UInt64
    public var reject: UInt64
    public var packets: UInt64
    public var bytes: UInt64
    /// What `--inventory` says about the interface; nil without it, or when it does not list it.
    public var inventory: InterfaceInventory? = nil

    enum CodingKeys: String, CodingKey {
      case interfaceID = "interface_id"
      case accept, reject, packets, bytes, inventory
    }
  }

  /// A row of the destination port table.
  public struct PortRow: Sendable, Codable, Hashable {
    public var port: Int
    public var `protocol`: Int
    public var accept: UInt64
    public var reject: UInt64
    public var packets: UInt64
    public var bytes: UInt64
  }

  /// A row of the source prefix table.
  public struct SourceRow: Sendable, Codable, Hashable {
    public var cidr: String
    public var accept: UInt64
    public var reject: UInt64
    public var packets: UInt64
    public var bytes: UInt64
  }

  /// How many rows each table had before the `--top` cut.
  public struct TableSizes: Sendable, Codable, Hashable {
    public var byInterface: Int
    public var byPort: Int
    public var bySourceCIDR: Int

    enum CodingKeys: String, CodingKey {
      case byInterface = "by_interface"
      case byPort = "by_port"
      case bySourceCIDR = "by_source_cidr"
    }
  }

  public var inputs: Inputs
  public var records: Records
  public var time: TimeRange
  public var byInterface: [InterfaceRow]
  public var byPort: [PortRow]
  public var bySourceCIDR: [SourceRow]
  public var tableSizes: TableSizes
  public var issues: [Issue]
  public var issueCounts: [IssueCount]
  /// Present when a table was too large to count exactly (`by_source_cidr` past its capacity):
  /// its rows' accept and reject are counts since the prefix was admitted, and a prefix's true
  /// records exceed its row's by at most `maximum_error` (also the most any missing prefix had).
  public var approximate: Approximation?
  /// Present when a packet or byte sum reached 2^64 − 1 and stopped there (sums saturate rather
  /// than wrap): the places whose numbers are lower bounds, `records.packets`, `records.bytes`, or
  /// a table (`by_interface`, `by_port`, `by_source_cidr`, `by` for the `--by` tables, `timeline`)
  /// with such a row.
  public var saturated: [String]?
  /// What the tables are ranked by, when `--sort` is not the default (`records`).
  public var sort: SummarySort?
  /// The `--by` tables; absent without `--by`.
  public var by: GroupTableReports?
  /// Records per `--bucket`, from the first bucket with a record to the last, empty buckets
  /// included; absent without `--bucket`.
  public var timeline: [TimelineBucket]?
  /// The timeline's bucket length in seconds; absent without `--bucket`.
  public var timelineBucketSeconds: UInt64?
  /// Records counted in the tables that have no `start` and so are in no bucket; absent without
  /// `--bucket`.
  public var timelineRecordsWithoutStart: UInt64?

  /// What `--where`, `--since` and `--until` let through; nil (and absent from the JSON) without
  /// a filter. Set by the command after building the report.
  public var filter: FilterSummary?

  enum CodingKeys: String, CodingKey {
    case inputs, records, time, issues, approximate, saturated, filter, sort, by, timeline
    case timelineBucketSeconds = "timeline_bucket_seconds"
    case timelineRecordsWithoutStart = "timeline_records_without_start"
    case byInterface = "by_interface"
    case byPort = "by_port"
    case bySourceCIDR = "by_source_cidr"
    case tableSizes = "table_sizes"
    case issueCounts = "issue_counts"
  }

  /// Builds the report from what was read and aggregated. Tables are sorted by
  /// `options.sort` (records: accept + reject) descending, then by records, then by key, and cut
  /// at `options.top`.
  public init(aggregate: SummaryAggregator, counts: InputCounts, issues: IssueLog) {
    let top = aggregate.options.top
    let sort = aggregate.options.sort
    inputs = Inputs(counts: counts)
    let t = aggregate.totals
    records = Records(totals: t, counts: counts)
    time = TimeRange(firstStart: t.firstStart, lastEnd: t.lastEnd)

    let interfaceRows = (0..<aggregate.interfaces.count).map { id in
      let c = aggregate.byInterface[id]
      return InterfaceRow(
        interfaceID: aggregate.interfaces.string(id), accept: c.accept, reject: c.reject, packets: c.packets,
        bytes: c.bytes)
    }
    byInterface = Self.ranked(
      interfaceRows, top: top, sort: sort, counts: { ($0.accept &+ $0.reject, $0.packets, $0.bytes) },
      key: { $0.interfaceID })

    let portRows = aggregate.byPort.map { key, c in
      PortRow(
        port: Int(key & 0xFFFF), protocol: Int(key >> 16), accept: c.accept, reject: c.reject, packets: c.packets,
        bytes: c.bytes)
    }
    byPort = Self.ranked(
      portRows, top: top, sort: sort, counts: { ($0.accept &+ $0.reject, $0.packets, $0.bytes) }, key: { $0 },
      keyLess: { ($0.port, $0.protocol) < ($1.port, $1.protocol) })

    let options = aggregate.options
    let sourceRows = aggregate.bySource.allEntries.map { entry in (entry.key, entry.counters) }
      .sorted { a, b in
        sort.precedes(
          (a.1.records, a.1.packets, a.1.bytes), (b.1.records, b.1.packets, b.1.bytes), keyLess: { a.0 < b.0 })
      }
    bySourceCIDR = sourceRows.prefix(top ?? .max).map { address, c in
      let length = address.isIPv6 ? options.sourcePrefixV6 : options.sourcePrefixV4
      return SourceRow(
        cidr: "\(address)/\(min(length, address.bitWidth))", accept: c.accept, reject: c.reject, packets: c.packets,
        bytes: c.bytes)
    }
    tableSizes = TableSizes(
      byInterface: interfaceRows.count, byPort: portRows.count, bySourceCIDR: aggregate.bySource.count)
    approximate =
      aggregate.bySource.isApproximate
      ? Approximation(
        table: "by_source_cidr", keptKeys: aggregate.bySource.count, maximumError: aggregate.bySource.maximumError)
      : nil

    self.issues = Issue.examples(issues)
    issueCounts = IssueCount.counts(issues)
    var saturated = records.saturatedSums
    if byInterface.contains(where: { $0.packets == .max || $0.bytes == .max }) { saturated.append("by_interface") }
    if byPort.contains(where: { $0.packets == .max || $0.bytes == .max }) { saturated.append("by_port") }
    if bySourceCIDR.contains(where: { $0.packets == .max || $0.bytes == .max }) { saturated.append("by_source_cidr") }

    self.sort = sort == .records ? nil : sort
    if !aggregate.groups.isEmpty {
      let tables = aggregate.groups.map { Self.groupTable($0, options: aggregate.options) }
      by = GroupTableReports(tables)
      if tables.contains(where: { $0.rows.contains { $0.counters.isSaturated } }) { saturated.append("by") }
    }
    if let timeline = aggregate.timeline {
      self.timeline = timeline.rows.map { TimelineBucket(start: $0.start, counters: $0.counters) }
      timelineBucketSeconds = timeline.bucketSeconds
      timelineRecordsWithoutStart = timeline.recordsWithoutStart
      if self.timeline?.contains(where: { $0.packets == .max || $0.bytes == .max }) == true {
        saturated.append("timeline")
      }
    }
    self.saturated = saturated.isEmpty ? nil : saturated
  }

  /// A `--by` table's report: its rows ranked and cut, and whether it is approximate.
  private static func groupTable(_ table: GroupTable, options: SummaryOptions) -> GroupTableReport {
    let rows = table.rows.allEntries.map { entry in
      GroupRow(
        values: table.values(
          of: entry.key, flowLogs: options.flowLogIDs, prefixV4: options.sourcePrefixV4,
          prefixV6: options.sourcePrefixV6),
        counters: entry.value)
    }
    let ranked = ranked(
      rows, top: options.top, sort: options.sort,
      counts: { ($0.counters.records, $0.counters.packets, $0.counters.bytes) }, key: { $0 },
      keyLess: GroupRow.keyLess)
    let approximate =
      table.rows.isApproximate
      ? Approximation(
        table: "--by \(table.layout.given)", keptKeys: table.rows.count, maximumError: table.rows.maximumError)
      : nil
    return GroupTableReport(
      keys: table.layout.jsonNames, rows: ranked, totalRows: rows.count, approximate: approximate)
  }

  private static func ranked<Row, Key: Comparable>(
    _ rows: [Row], top: Int?, sort: SummarySort, counts: (Row) -> (UInt64, UInt64, UInt64), key: (Row) -> Key
  ) -> [Row] {
    ranked(rows, top: top, sort: sort, counts: counts, key: key, keyLess: { $0 < $1 })
  }

  private static func ranked<Row, Key>(
    _ rows: [Row], top: Int?, sort: SummarySort, counts: (Row) -> (UInt64, UInt64, UInt64), key: (Row) -> Key,
    keyLess: (Key, Key) -> Bool
  ) -> [Row] {
    let sorted = rows.sorted { a, b in
      let ca = counts(a)
      let cb = counts(b)
      return sort.precedes(
        (ca.0, ca.1, ca.2), (cb.0, cb.1, cb.2), keyLess: { keyLess(key(a), key(b)) })
    }
    return Array(sorted.prefix(top ?? .max))
  }
}
