import FlowLogParser

/// What `flowlens report` shows, chosen and ordered: the HTML page renders exactly this, and
/// `report --format json` prints it (snake-case keys). The same for any number of workers.
public struct ReportDocument: Sendable, Hashable, Codable {
  /// One input file and its size on disk.
  public struct InputFileRow: Sendable, Hashable, Codable {
    /// The path as given or found (`-` for standard input).
    public var path: String
    /// Its size on disk (0 for standard input).
    public var bytes: UInt64
  }

  /// A source prefix and its REJECT records (ACCEPT too, for scale).
  public typealias SourceRow = SummaryReport.SourceRow

  /// REJECT records per interface (rows) and destination port range (columns).
  public struct RejectHeatmap: Sendable, Hashable, Codable {
    /// A column: a destination port, or a range of ports when the matrix had to fold them.
    public struct Column: Sendable, Hashable, Codable {
      /// The first port.
      public var port: Int
      /// The last port (equal to `port` unless folded).
      public var portEnd: Int
      /// The IANA protocol number.
      public var `protocol`: Int
      /// REJECT records to it from the rows' interfaces.
      public var rejects: UInt64

      enum CodingKeys: String, CodingKey {
        case port, `protocol`, rejects
        case portEnd = "port_end"
      }
    }

    /// A row: an interface, its REJECT records to any port, and its count per column.
    public struct Row: Sendable, Hashable, Codable {
      /// The interface (or resource) id.
      public var interfaceID: String
      /// REJECT records of the interface, to any port.
      public var rejects: UInt64
      /// REJECT records per column, in column order.
      public var cells: [UInt64]

      enum CodingKeys: String, CodingKey {
        case rejects, cells
        case interfaceID = "interface_id"
      }
    }

    /// Columns, most REJECT records (among the rows) first.
    public var columns: [Column]
    /// Rows, most REJECT records first.
    public var rows: [Row]
    /// Interfaces with REJECT records, shown or not.
    public var interfaceCount: Int
    /// Distinct destination columns with REJECT records, shown or not.
    public var columnCount: Int
    /// How far ports were folded into ranges (``RejectMatrix/level``; 0: exact ports).
    public var foldingLevel: Int

    enum CodingKeys: String, CodingKey {
      case columns, rows
      case interfaceCount = "interface_count"
      case columnCount = "column_count"
      case foldingLevel = "folding_level"
    }
  }

  /// Findings left out of the page because a rule had more than ``ReportOptions/findingsPerRule``.
  public typealias OmittedFindings = FlowStats.OmittedFindings

  /// Where the policy came from: a file path, or `built-in`.
  public var policy: String
  /// What was read.
  public var inputs: InputTotals
  /// The files read, in reading order.
  public var inputFiles: [InputFileRow]
  /// Record and line totals.
  public var records: RecordCounts
  /// The earliest start and latest end.
  public var time: SummaryReport.TimeRange
  /// Example issues.
  public var issues: [IssueExample]
  /// Issue counts per file and kind.
  public var issueCounts: [IssueCount]
  /// ACCEPT and REJECT records over time.
  public var timeline: TimelineSeries
  /// Destination ports with the most records (ACCEPT + REJECT), as in `summary`.
  public var topPorts: [SummaryReport.PortRow]
  /// Distinct destination (port, protocol) pairs.
  public var portCount: Int
  /// Source prefixes with the most REJECT records (only those with some).
  public var topRejectedSources: [SourceRow]
  /// Source prefixes with REJECT records.
  public var rejectedSourceCount: Int
  /// REJECT records of the busiest interfaces by port.
  public var rejectHeatmap: RejectHeatmap
  /// Findings shown, most severe first.
  public var findings: [Finding]
  /// Findings per severity, including those left out.
  public var findingCounts: [String: Int]
  /// Findings left out, per rule.
  public var omittedFindings: [OmittedFindings]
  /// The bounded tables that went past their capacity — the source-prefix table and the audit's
  /// detector tables — with how far their counts may be off; nil when every table is exact.
  public var approximate: [TableApproximation]?
  /// Present when a packet or byte sum shown reached 2^64 − 1 and stopped there (sums saturate
  /// rather than wrap): `records.packets`, `records.bytes`, `top_ports`, `top_rejected_sources`,
  /// `findings`. Those numbers are lower bounds.
  public var saturated: [String]?

  /// What `--where`, `--since` and `--until` let through; nil (and absent from the JSON) without
  /// a filter. Set by the command after building the report.
  public var filter: FilterSummary?

  enum CodingKeys: String, CodingKey {
    case policy, inputs, records, time, issues, timeline, findings, approximate, filter
    case inputFiles = "input_files"
    case issueCounts = "issue_counts"
    case topPorts = "top_ports"
    case portCount = "port_count"
    case topRejectedSources = "top_rejected_sources"
    case rejectedSourceCount = "rejected_source_count"
    case rejectHeatmap = "reject_heatmap"
    case findingCounts = "finding_counts"
    case omittedFindings = "omitted_findings"
    case saturated
  }

  /// Builds the document from what was read and aggregated.
  public init(policySource: String, aggregate: ReportAggregator, counts: InputCounts, issues: IssueLog) {
    let options = aggregate.options
    let summary = SummaryReport(aggregate: aggregate.summary, counts: counts, issues: issues)
    policy = policySource
    inputs = summary.inputs
    inputFiles = aggregate.inputFiles.map { InputFileRow(path: $0.path, bytes: $0.size) }
    records = summary.records
    time = summary.time
    self.issues = summary.issues
    issueCounts = summary.issueCounts
    timeline = aggregate.timeline.series(maxBuckets: options.maxTimeBuckets)
    topPorts = summary.byPort
    portCount = summary.tableSizes.byPort
    (topRejectedSources, rejectedSourceCount) = Self.rejectedSources(aggregate.summary, top: options.summary.top)
    rejectHeatmap = Self.heatmap(
      aggregate.rejects, rows: options.heatmapInterfaces, columns: options.heatmapPorts)
    let selection = aggregate.audit.findings(perRule: options.findingsPerRule)
    findings = selection.findings
    findingCounts = Dictionary(uniqueKeysWithValues: selection.countsBySeverity.map { ($0.key.description, $0.value) })
    omittedFindings = selection.omitted
    let tables = (summary.approximate.map { [$0] } ?? []) + aggregate.audit.approximations
    approximate = tables.isEmpty ? nil : tables
    var saturated = records.saturatedSums
    if topPorts.contains(where: { $0.packets == .max || $0.bytes == .max }) { saturated.append("top_ports") }
    if topRejectedSources.contains(where: { $0.packets == .max || $0.bytes == .max }) {
      saturated.append("top_rejected_sources")
    }
    if findings.contains(where: { $0.isSaturated }) { saturated.append("findings") }
    self.saturated = saturated.isEmpty ? nil : saturated
  }

  /// Source prefixes by REJECT records, descending, then by address.
  static func rejectedSources(_ summary: SummaryAggregator, top: Int?) -> ([SourceRow], Int) {
    let entries: [HeavyHitterTable<IPAddress, TrafficCounters>.Entry] = summary.bySource.allEntries.filter {
      $0.counters.reject > 0
    }
    let rejected: [(key: IPAddress, counters: TrafficCounters)] =
      entries
      .sorted { a, b in a.counters.reject != b.counters.reject ? a.counters.reject > b.counters.reject : a.key < b.key }
      .map { (key: $0.key, counters: $0.counters) }
    let options = summary.options
    let rows = rejected.prefix(top ?? .max).map { address, c in
      let length = address.isIPv6 ? options.sourcePrefixV6 : options.sourcePrefixV4
      return SourceRow(
        cidr: "\(address)/\(min(length, address.bitWidth))", accept: c.accept, reject: c.reject, packets: c.packets,
        bytes: c.bytes)
    }
    return (rows, rejected.count)
  }

  /// The `rows` interfaces with the most REJECT records (ties by id), and among their records
  /// the `columns` destinations with the most (ties by port, then protocol).
  static func heatmap(_ matrix: RejectMatrix, rows rowLimit: Int, columns columnLimit: Int) -> RejectHeatmap {
    struct ColumnKey: Hashable, Comparable {
      var port: Int
      var protocolNumber: Int
      static func < (a: ColumnKey, b: ColumnKey) -> Bool { (a.port, a.protocolNumber) < (b.port, b.protocolNumber) }
    }
    let entries = matrix.entries
    var interfaceTotals: [String: UInt64] = [:]
    var allColumns = Set<ColumnKey>()
    for entry in entries {
      interfaceTotals[entry.interface, default: 0] &+= entry.rejects
      allColumns.insert(ColumnKey(port: entry.portStart, protocolNumber: entry.protocolNumber))
    }
    let rowNames = interfaceTotals.sorted { a, b in a.value != b.value ? a.value > b.value : a.key < b.key }
      .prefix(rowLimit).map(\.key)
    let shown = Set(rowNames)
    var cellCounts: [String: [ColumnKey: UInt64]] = [:]
    var columnTotals: [ColumnKey: UInt64] = [:]
    for entry in entries where shown.contains(entry.interface) {
      let column = ColumnKey(port: entry.portStart, protocolNumber: entry.protocolNumber)
      cellCounts[entry.interface, default: [:]][column, default: 0] &+= entry.rejects
      columnTotals[column, default: 0] &+= entry.rejects
    }
    let columnKeys = columnTotals.sorted { a, b in a.value != b.value ? a.value > b.value : a.key < b.key }
      .prefix(columnLimit).map(\.key)
    let level = matrix.level
    let columns = columnKeys.map { key in
      RejectHeatmap.Column(
        port: key.port,
        portEnd: Int(RejectMatrix.portRangeEnd(start: UInt16(key.port), level: level)),
        protocol: key.protocolNumber, rejects: columnTotals[key] ?? 0)
    }
    let rows = rowNames.map { name in
      RejectHeatmap.Row(
        interfaceID: name, rejects: interfaceTotals[name] ?? 0,
        cells: columnKeys.map { cellCounts[name]?[$0] ?? 0 })
    }
    return RejectHeatmap(
      columns: columns, rows: rows, interfaceCount: interfaceTotals.count, columnCount: allColumns.count,
      foldingLevel: level)
  }
}
