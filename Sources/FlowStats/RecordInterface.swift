import FlowLogParser

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
}

extension FieldSet {
  /// The fields ``FlowLogParser/FlowRecord/interfaceOrResourceID`` reads.
  public static let interfaceFields = FieldSet([.interfaceID, .resourceID])
}
