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

  /// Options with the given prefix lengths, row limit and source table capacity.
  public init(sourcePrefixV4: Int = 24, sourcePrefixV6: Int = 64, top: Int? = 10, sourceCapacity: Int = 1 << 18) {
    self.sourcePrefixV4 = sourcePrefixV4
    self.sourcePrefixV6 = sourcePrefixV6
    self.top = top
    self.sourceCapacity = sourceCapacity
  }
}
