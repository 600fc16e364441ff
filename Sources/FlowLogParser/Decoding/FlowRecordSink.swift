/// Receives the records a ``FlowLogReader`` decodes.
public protocol FlowRecordSink {
  /// Called once per record, in input order. The record is valid only during the call.
  mutating func consume(_ record: FlowRecord, at position: RecordPosition)
  /// Called when the active layout changes: at the start of each input and at each header line.
  mutating func layoutDidChange(_ layout: FlowLayout)
}

extension FlowRecordSink {
  public mutating func layoutDidChange(_ layout: FlowLayout) {}
}
