import FlowLogParser

extension AuditDetectors {
  /// Shows `record` to `detector` when the detector is on and takes records of its kind.
  @inline(__always)
  static func observe<Detector: AuditDetector>(
    _ detector: inout Detector, _ record: FlowRecord, _ context: RecordContext, _ carriesTraffic: Bool
  ) {
    guard carriesTraffic || Detector.observesRecordsWithoutTraffic, detector.isEnabled else { return }
    detector.observe(record, context)
  }
}
