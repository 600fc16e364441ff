import FlowLogParser

/// What a report computes and how much of it it shows.
public struct ReportOptions: Sendable, Hashable {
  /// Source prefix lengths; `top` is the number of rows of the port and rejected-source charts.
  public var summary: SummaryOptions
  /// Interfaces (rows) of the REJECT heat map.
  public var heatmapInterfaces: Int
  /// Destination ports (columns) of the REJECT heat map.
  public var heatmapPorts: Int
  /// The most buckets of the over-time chart.
  public var maxTimeBuckets: Int
  /// Findings shown per rule, the heaviest by records (the rest are counted); nil shows every finding.
  public var findingsPerRule: Int?
  /// The most intervals the timeline keeps before counting at a coarser granularity.
  public var timelineBucketLimit: Int
  /// The most cells the REJECT matrix keeps before folding ports into ranges.
  public var matrixCellLimit: Int
  /// The keys each audit detector table keeps exactly, as `audit --source-capacity`.
  public var auditTableCapacity: Int

  /// Options with the given limits.
  public init(
    summary: SummaryOptions = SummaryOptions(top: 12), heatmapInterfaces: Int = 12, heatmapPorts: Int = 12,
    maxTimeBuckets: Int = 120, findingsPerRule: Int? = 100, timelineBucketLimit: Int = 1 << 17,
    matrixCellLimit: Int = 1 << 18, auditTableCapacity: Int = AuditAggregator.defaultTableCapacity
  ) {
    self.auditTableCapacity = auditTableCapacity
    self.summary = summary
    self.heatmapInterfaces = heatmapInterfaces
    self.heatmapPorts = heatmapPorts
    self.maxTimeBuckets = maxTimeBuckets
    self.findingsPerRule = findingsPerRule
    self.timelineBucketLimit = timelineBucketLimit
    self.matrixCellLimit = matrixCellLimit
  }
}

/// Everything `flowlens report` shows, gathered in one pass: the summary, the audit, ACCEPT and
/// REJECT records over time, and REJECT records per interface and port.
///
/// One aggregator per worker; aggregators of disjoint inputs combine with ``merge(_:)``, which is
/// associative and commutative, so the report is the same for any number of workers.
public struct ReportAggregator: MergeableRecordSink {
  /// The options in force.
  public let options: ReportOptions
  /// The files read, in the order they are read (their index is ``RecordPosition/inputIndex``).
  public let inputFiles: [InputFile]
  /// Totals and tables, as `summary` computes them.
  public private(set) var summary: SummaryAggregator
  /// Findings, as `audit` computes them.
  public private(set) var audit: AuditAggregator
  /// ACCEPT and REJECT records over time.
  public private(set) var timeline: ActionTimeline
  /// REJECT records per interface and destination port.
  public private(set) var rejects: RejectMatrix

  /// An aggregator for `policy` over `inputFiles`, whose text size is about `inputBytes` (nil when
  /// unknown; it sizes the audit's bounded state). Aggregators that are merged must be made with
  /// the same arguments.
  public init(
    policy: Policy, inputFiles: [InputFile], inputBytes: UInt64? = nil, options: ReportOptions = ReportOptions()
  ) {
    self.init(
      audit: AuditAggregator(
        policy: policy, inputNames: inputFiles.map(\.path), inputBytes: inputBytes,
        tableCapacity: options.auditTableCapacity),
      inputFiles: inputFiles, options: options)
  }

  /// A maker of aggregators for parallel workers, with arguments as for
  /// ``init(policy:inputFiles:inputBytes:options:)``; the workers' audits share one bounded filter,
  /// as ``AuditAggregator/workerFactory(policy:inputNames:inputBytes:tableCapacity:)`` makes them.
  /// With `keepsExactState`, the audit keeps its state exactly for a partial result.
  public static func workerFactory(
    policy: Policy, inputFiles: [InputFile], inputBytes: UInt64? = nil, options: ReportOptions = ReportOptions(),
    keepsExactState: Bool = false
  ) -> @Sendable () -> ReportAggregator {
    let makeAudit = AuditAggregator.workerFactory(
      policy: policy, inputNames: inputFiles.map(\.path), inputBytes: inputBytes,
      tableCapacity: options.auditTableCapacity, keepsExactState: keepsExactState)
    return { ReportAggregator(audit: makeAudit(), inputFiles: inputFiles, options: options) }
  }

  private init(audit: AuditAggregator, inputFiles: [InputFile], options: ReportOptions) {
    self.options = options
    self.inputFiles = inputFiles
    summary = SummaryAggregator(options: options.summary)
    self.audit = audit
    timeline = ActionTimeline(bucketLimit: options.timelineBucketLimit)
    rejects = RejectMatrix(cellLimit: options.matrixCellLimit)
  }

  public mutating func consume(_ record: FlowRecord, at position: RecordPosition) {
    summary.consume(record, at: position)
    audit.consume(record, at: position)
    // As in `summary`, NODATA and SKIPDATA records carry no traffic and have no action.
    guard record.carriesTraffic, let action = record.action else { return }
    if let start = record.start {
      timeline.add(start: start, action: action)
    } else {
      timeline.addUntimed(action: action)
    }
    if action == .reject, let interface = record.interfaceOrResourceID,
      let port = record.dstport, let protocolNumber = record.integer(.protocol)
    {
      rejects.add(interface: interface, port: port, protocolNumber: protocolNumber)
    }
  }

  /// Whether the summary's or the audit's bounded tables hold more than one worker's share.
  public func holdsMoreThanShare(ofWorkers workers: Int) -> Bool {
    summary.holdsMoreThanShare(ofWorkers: workers) || audit.holdsMoreThanShare(ofWorkers: workers)
  }

  /// Passes the layout of the next records on to the summary and the audit.
  public mutating func layoutDidChange(_ layout: FlowLayout) {
    summary.layoutDidChange(layout)
    audit.layoutDidChange(layout)
  }

  /// Adds what another aggregator (same policy, inputs and options) saw.
  public mutating func merge(_ other: ReportAggregator) {
    summary.merge(other.summary)
    audit.merge(other.audit)
    timeline.merge(other.timeline)
    rejects.merge(other.rejects)
  }
}

extension ReportAggregator {
  /// Writes the summary's, the audit's, the timeline's and the heat map's state for a partial
  /// result (docs/partial-format.md); the options, policy and inputs are written by the caller.
  public func write(to writer: inout StateWriter) {
    summary.write(to: &writer)
    audit.write(to: &writer)
    timeline.write(to: &writer)
    rejects.write(to: &writer)
  }

  /// Reads a partial result of a report with `policy` and `options`, as part of a run over
  /// `inputFiles` of `inputBytes` (the merged run's; see
  /// ``AuditAggregator/init(policy:inputNames:inputBytes:tableCapacity:from:)``).
  public init(
    policy: Policy, inputFiles: [InputFile], inputBytes: UInt64?, options: ReportOptions,
    from reader: inout StateReader
  ) throws(StateError) {
    let summary = try SummaryAggregator(options: options.summary, from: &reader)
    let audit = try AuditAggregator(
      policy: policy, inputNames: inputFiles.map(\.path), inputBytes: inputBytes,
      tableCapacity: options.auditTableCapacity, from: &reader)
    self.init(audit: audit, inputFiles: inputFiles, options: options)
    self.summary = summary
    timeline = try ActionTimeline(bucketLimit: options.timelineBucketLimit, from: &reader)
    rejects = try RejectMatrix(cellLimit: options.matrixCellLimit, from: &reader)
  }
}
