import FlowLogParser

// What a record means beyond its fields, defined once for every aggregator (summary, audit,
// report): which interface it belongs to, which way it went, whether it carries traffic. An
// aggregator that decides any of these itself can drift from the others.

extension FlowRecord {
  /// The interface a record belongs to, the one definition every aggregator (summary, audit,
  /// report) uses: `interface-id`, else `resource-id`. A regional NAT gateway or a Transit Gateway
  /// attachment has no ENI of its own: AWS logs its records with interface-id `-` and names the
  /// resource in resource-id. Nil when both are `-` or not in the layout.
  ///
  /// The bytes belong to the input buffer: valid only while the record is. A sink that uses this
  /// must read both fields (``FieldSet/interfaceFields``).
  @inlinable @inline(__always)
  public var interfaceOrResourceID: UnsafeRawBufferPointer? { interfaceID ?? text(.resourceID) }

  /// True for `flow-direction` `egress`; false for `ingress` or when the field is absent.
  @inline(__always) var isEgress: Bool { RecordText.equals(text(.flowDirection), "egress") }
  /// True for `flow-direction` `ingress`.
  @inline(__always) var isIngress: Bool { RecordText.equals(text(.flowDirection), "ingress") }
  /// True for records that carry traffic (not NODATA or SKIPDATA): only these have an action,
  /// ports and counts worth tabulating; the others count in the totals only.
  @inline(__always) var carriesTraffic: Bool {
    let status = logStatus
    return status != .nodata && status != .skipdata
  }
}

extension FieldSet {
  /// The fields ``FlowLogParser/FlowRecord/interfaceOrResourceID`` reads.
  public static let interfaceFields = FieldSet([.interfaceID, .resourceID])
}
