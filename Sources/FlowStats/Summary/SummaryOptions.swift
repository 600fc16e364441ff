/// What a summary computes.
public struct SummaryOptions: Sendable, Hashable {
  /// The prefix length that groups IPv4 sources (`--source-prefix`, default 24).
  public var sourcePrefixV4: Int
  /// The prefix length that groups IPv6 sources (`--source-prefix6`, default 64).
  public var sourcePrefixV6: Int
  /// How many rows each table keeps (`--top`); nil keeps every row.
  public var top: Int?
  /// How many source prefixes are counted exactly; beyond that the heaviest are kept (Space-Saving)
  /// and the table says it is approximate. Bounds memory under a spoofed scan.
  public var sourceCapacity: Int
  /// The `--by` tables, one layout each; empty for none.
  public var groupings: [GroupLayout] = []
  /// How many rows each `--by` table counts exactly (`--by-capacity`); beyond that the heaviest
  /// are kept and the table says it is approximate.
  public var groupCapacity: Int = 1 << 18
  /// What every table is ranked by (`--sort`).
  public var sort: SummarySort = .records
  /// The timeline's bucket length in seconds (`--bucket`); nil for no timeline.
  public var bucketSeconds: UInt64?
  /// The distinct flow log ids named by the inputs' object names (`--by flow-log`), sorted.
  public private(set) var flowLogIDs: [String] = []
  /// For each input (by ``FlowLogParser/RecordPosition/inputIndex``), its index in
  /// ``flowLogIDs``, or -1 when its name gives none.
  public private(set) var flowLogOfInput: [Int32] = []
  /// The inventory (`--inventory`) that `--by subnet|vpc|security-group|interface-type` joins
  /// records with, by interface; nil without.
  public var inventory: InventoryJoin?

  /// Options with the given prefix lengths, row limit and source table capacity.
  public init(sourcePrefixV4: Int = 24, sourcePrefixV6: Int = 64, top: Int? = 10, sourceCapacity: Int = 1 << 18) {
    self.sourcePrefixV4 = sourcePrefixV4
    self.sourcePrefixV6 = sourcePrefixV6
    self.top = top
    self.sourceCapacity = sourceCapacity
  }

  /// Takes the flow log id of each input from its S3 object name (see ``FlowLogObjectName``);
  /// `paths` are the inputs in the order of their index.
  public mutating func nameFlowLogs(ofInputs paths: [String]) {
    let ids = paths.map(FlowLogObjectName.flowLogID(inPath:))
    flowLogIDs = Array(Set(ids.compactMap { $0 })).sorted()
    flowLogOfInput = ids.map { id in id.flatMap { flowLogIDs.firstIndex(of: $0) }.map(Int32.init) ?? -1 }
  }
}
