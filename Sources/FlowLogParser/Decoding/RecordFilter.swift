/// Decides which decoded records reach the sink: the `--where`, `--since` and `--until` of every
/// command. The reader asks it once per valid record; a record it turns away counts in
/// ``InputCounts/filtered``, not in ``InputCounts/records``, so every line is still accounted for.
///
/// One call per record through the existential; a filter should answer without allocating.
public protocol RecordFilter: Sendable {
  /// Whether `record` is kept.
  func matches(_ record: FlowRecord) -> Bool
}
