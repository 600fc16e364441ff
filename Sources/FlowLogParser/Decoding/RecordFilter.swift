/// Decides which decoded records reach the sink: the `--where`, `--since` and `--until` of every
/// command. The reader asks it once per valid record; a record it turns away counts in
/// ``InputCounts/filtered``, not in ``InputCounts/records``, so every line is still accounted for.
///
/// One call per record through the existential; a filter should answer without allocating. A
/// class, so that the reader's "is there a filter" test per record is a pointer compare rather
/// than a value-witness call on an opaque existential.
public protocol RecordFilter: AnyObject, Sendable {
  /// Whether `record` is kept.
  func matches(_ record: FlowRecord) -> Bool
}
