/// The options of a partial result that shape what is counted and shown: partials merge only when
/// these are the same.
public enum PartialShape: Sendable, Hashable {
  /// `summary`: its options (flow-log names are not kept: they follow from the inputs), and
  /// `--bucket` as given.
  case summary(SummaryOptions, bucket: String?)
  /// `audit`: `--source-capacity` and `--findings-per-rule` (nil: all).
  case audit(tableCapacity: Int, findingsPerRule: Int?)
  /// `report`: its options.
  case report(ReportOptions)

  /// The command that makes partials of this shape.
  public var command: PartialCommand {
    switch self {
    case .summary: .summary
    case .audit: .audit
    case .report: .report
    }
  }

  /// Each option as `(name, value)`, in a fixed order: what a merge compares and names.
  public var settings: [(name: String, value: String)] {
    func text(_ value: Int?) -> String { value.map(String.init) ?? "all" }
    func summarySettings(_ o: SummaryOptions) -> [(name: String, value: String)] {
      [
        ("--source-prefix", String(o.sourcePrefixV4)), ("--source-prefix6", String(o.sourcePrefixV6)),
        ("--top", text(o.top)), ("--source-capacity", String(o.sourceCapacity)),
        ("--by", o.groupings.map(\.given).joined(separator: " --by ")), ("--by-capacity", String(o.groupCapacity)),
        ("--sort", o.sort.rawValue), ("--bucket", o.bucketSeconds.map { "\($0) s" } ?? "none"),
      ]
    }
    switch self {
    case .summary(let options, _):
      return summarySettings(options)
    case .audit(let capacity, let perRule):
      return [("--source-capacity", String(capacity)), ("--findings-per-rule", text(perRule))]
    case .report(let o):
      return summarySettings(o.summary) + [
        ("heat map interfaces", String(o.heatmapInterfaces)), ("heat map ports", String(o.heatmapPorts)),
        ("time buckets", String(o.maxTimeBuckets)), ("--findings-per-rule", text(o.findingsPerRule)),
        ("timeline intervals", String(o.timelineBucketLimit)), ("heat map cells", String(o.matrixCellLimit)),
        ("audit --source-capacity", String(o.auditTableCapacity)),
      ]
    }
  }
}

extension PartialShape: StateCodable {
  public func write(to writer: inout StateWriter) {
    func writeSummary(_ o: SummaryOptions) {
      writer.count(o.sourcePrefixV4)
      writer.count(o.sourcePrefixV6)
      writer.optional(o.top) { $0.count($1) }
      writer.count(o.sourceCapacity)
      writer.count(o.groupings.count)
      for grouping in o.groupings { writer.string(grouping.given) }
      writer.count(o.groupCapacity)
      writer.string(o.sort.rawValue)
      writer.optional(o.bucketSeconds) { $0.uint($1) }
    }
    writer.byte(command.rawValue)
    switch self {
    case .summary(let options, let bucket):
      writeSummary(options)
      writer.optional(bucket) { $0.string($1) }
    case .audit(let capacity, let perRule):
      writer.count(capacity)
      writer.optional(perRule) { $0.count($1) }
    case .report(let o):
      writeSummary(o.summary)
      for value in [o.heatmapInterfaces, o.heatmapPorts, o.maxTimeBuckets] { writer.count(value) }
      writer.optional(o.findingsPerRule) { $0.count($1) }
      for value in [o.timelineBucketLimit, o.matrixCellLimit, o.auditTableCapacity] { writer.count(value) }
    }
  }

  public init(from reader: inout StateReader) throws(StateError) {
    /// Capacities and limits: at least 1, at most 2^30 (what a run could be given and hold).
    func limit(_ r: inout StateReader, _ what: String) throws(StateError) -> Int {
      let at = r.position
      let value = Int(try r.uint(atMost: 1 << 30, what))
      guard value >= 1 else { throw r.error(at: at, "\(what) 0 is not valid") }
      return value
    }
    func readSummary(_ r: inout StateReader) throws(StateError) -> SummaryOptions {
      var o = SummaryOptions(
        sourcePrefixV4: Int(try r.uint(atMost: 32, "--source-prefix")),
        sourcePrefixV6: Int(try r.uint(atMost: 128, "--source-prefix6")),
        top: try r.optional { r throws(StateError) in try limit(&r, "--top") },
        sourceCapacity: try limit(&r, "--source-capacity"))
      for _ in 0..<(try r.count()) {
        let at = r.position
        let given = try r.string()
        do {
          o.groupings.append(try GroupLayout(parsing: given))
        } catch {
          throw r.error(at: at, "--by \(given): \(error)")
        }
      }
      o.groupCapacity = try limit(&r, "--by-capacity")
      let at = r.position
      let sort = try r.string()
      guard let parsed = SummarySort(rawValue: sort) else { throw r.error(at: at, "unknown --sort '\(sort)'") }
      o.sort = parsed
      let bucketAt = r.position
      o.bucketSeconds = try r.optional { r throws(StateError) in try r.uint() }
      if o.bucketSeconds == 0 { throw r.error(at: bucketAt, "a bucket of 0 seconds") }
      return o
    }
    let at = reader.position
    let raw = try reader.byte()
    switch PartialCommand(rawValue: raw) {
    case .summary:
      let options = try readSummary(&reader)
      self = .summary(options, bucket: try reader.optional { r throws(StateError) in try r.string() })
    case .audit:
      let capacity = try limit(&reader, "--source-capacity")
      self = .audit(
        tableCapacity: capacity,
        findingsPerRule: try reader.optional { r throws(StateError) in try limit(&r, "--findings-per-rule") })
    case .report:
      let summary = try readSummary(&reader)
      let interfaces = try limit(&reader, "heat map interfaces")
      let ports = try limit(&reader, "heat map ports")
      let buckets = try limit(&reader, "time buckets")
      let perRule = try reader.optional { r throws(StateError) in try limit(&r, "--findings-per-rule") }
      let timelineAt = reader.position
      let timeline = try limit(&reader, "timeline intervals")
      guard timeline >= 2 else { throw reader.error(at: timelineAt, "a timeline of fewer than 2 intervals") }
      self = .report(
        ReportOptions(
          summary: summary, heatmapInterfaces: interfaces, heatmapPorts: ports, maxTimeBuckets: buckets,
          findingsPerRule: perRule, timelineBucketLimit: timeline,
          matrixCellLimit: try limit(&reader, "heat map cells"),
          auditTableCapacity: try limit(&reader, "audit --source-capacity")))
    case nil:
      throw reader.error(at: at, "unknown command number \(raw)")
    }
  }
}
