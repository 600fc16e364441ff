/// An operation over every detector of an ``AuditAggregator``, one call per detector (see
/// `AuditAggregator.forEachDetector`). Calls are generic and inlined, so each is a static call.
protocol AuditDetectorVisitor {
  /// Visits one detector; `other` is the same detector of the aggregator being merged, if any.
  mutating func visit<Detector: AuditDetector>(_ detector: inout Detector, _ other: Detector?)
}
