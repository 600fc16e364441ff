/// What the aggregator knows of a record besides its fields, handed to every detector.
struct RecordContext {
  /// The record's interface, interned (-1 when the record names none).
  var interface: Int32
  /// A hash of the interface's bytes, the same in every worker (0 when the record names none).
  var interfaceHash: UInt64
  /// Where the record is, for a finding's evidence.
  var evidence: EvidencePosition
}
