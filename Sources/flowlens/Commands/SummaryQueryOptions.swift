import ArgumentParser
import FlowLensOutput
import FlowLogParser
import FlowStats

/// `summary`'s ad-hoc questions: tables grouped by any KEYs (`--by`), the order of every table
/// (`--sort`) and a time series (`--bucket`).
struct SummaryQueryOptions: ParsableArguments {
  @Option(
    name: .customLong("by"),
    help: ArgumentHelp(
      "Add a table grouped by these keys (repeat for more tables): "
        + GroupKeyKind.allCases.map(\.rawValue).joined(separator: ", ") + ". "
        + "interface is interface-id, else resource-id; src-prefix/dst-prefix use --source-prefix/--source-prefix6; "
        + "srcport/dstport also group by protocol; direction is flow-direction; service is pkt-dst-aws-service, "
        + "else pkt-src-aws-service; flow-log is the fl- id in the input's S3 object name; security-group "
        + "(the SET of the interface's groups, sorted and joined with +: one row per set, so each record counts "
        + "once and the rows add up to the total; one group's traffic is the sum of the rows naming it) and "
        + "interface-type come from --inventory, which also gives vpc "
        + "and subnet to logs without them. "
        + "A value a record lacks is a group of its own (null); NODATA/SKIPDATA records count only in the totals.",
      valueName: "key[,key…]"),
    transform: { text throws(GroupLayoutError) in try GroupLayout(parsing: text) })
  var by: [GroupLayout] = []

  @Option(
    parsing: .unconditional,
    help:
      "Rows each --by table counts exactly; past that only the heaviest are kept and the table says it is approximate (about 200 bytes a row)."
  )
  var byCapacity: Int = 1 << 18

  @Option(help: "Rank every table by: records, packets or bytes (ties: more records, then the key).")
  var sort: SummarySort = .records

  @Option(
    help: ArgumentHelp(
      "Add a timeline of records per DURATION bucket (N followed by s, m, h or d: 1m, 5m, 1h, 1d), buckets aligned "
        + "to the Unix epoch, by record start; empty buckets included. At most 1,000,000 buckets.",
      valueName: "duration"),
    transform: { text throws(BucketDurationError) in
      guard let duration = BucketDuration(text) else { throw BucketDurationError(text: text) }
      return duration
    })
  var bucket: BucketDuration?

  func validate() throws {
    guard byCapacity >= 16 else { throw ValidationError("--by-capacity must be 16 or more, not \(byCapacity)") }
  }
}

extension SummaryQueryOptions {
  /// `base` with these options added, for the given inputs (whose names give flow log ids).
  func options(_ base: SummaryOptions, inputs: [InputFile]) -> SummaryOptions {
    var options = base
    options.groupings = by
    options.groupCapacity = byCapacity
    options.sort = sort
    options.bucketSeconds = bucket?.seconds
    if by.contains(where: { $0.kinds.contains(.flowLog) }) { options.nameFlowLogs(ofInputs: inputs.map(\.path)) }
    return options
  }

  /// Says on standard error that the timeline would print too many buckets, and exits with 2.
  func timelineTooLong(_ timeline: Timeline) -> ExitCode {
    Self.timelineTooLong(timeline, bucket: bucket?.text)
  }

  /// Says that the timeline of `--bucket bucket` spans too many buckets; the exit code to end with.
  static func timelineTooLong(_ timeline: Timeline, bucket: String?) -> ExitCode {
    let first = timeline.firstBucket * timeline.bucketSeconds
    let last = timeline.lastBucket * timeline.bucketSeconds
    StandardError.write(
      "flowlens: --bucket \(bucket ?? ""): the records start from \(UTCTime.text(first)) to "
        + "\(UTCTime.text(last)), \(timeline.span) buckets, more than the \(Timeline.bucketLimit) a timeline "
        + "prints; give a larger bucket (or filter out the stray records)\n")
    return ExitCode(2)
  }
}
