/// A sink whose work can be split across workers: partial sinks of disjoint inputs combine with
/// `merge`, which must be associative and commutative so the result does not depend on the split.
public protocol MergeableRecordSink: FlowRecordSink, Sendable {
  /// Adds what `other` saw.
  mutating func merge(_ other: Self)

  /// Whether the sink holds more than one worker's share of its bounded tables when `workers`
  /// read in parallel. The reader then merges the sink into the run's result and goes on with a
  /// fresh one, so that every worker's tables can hold everything the whole run has room for
  /// (a worker never drops keys below the run's capacity) while together they stay within about
  /// one capacity, not one per worker. False by default.
  func holdsMoreThanShare(ofWorkers workers: Int) -> Bool
}

extension MergeableRecordSink {
  public func holdsMoreThanShare(ofWorkers workers: Int) -> Bool { false }
}
