import FlowLogParser

/// The operations ``AuditAggregator`` applies to every detector, each a visitor of
/// `forEachDetector` (all but the per-record one, which `consume` makes directly).
extension AuditAggregator {
  /// Tells each detector the layout of the records that follow.
  struct LayoutChange: AuditDetectorVisitor {
    let layout: FlowLayout

    mutating func visit<Detector: AuditDetector>(_ detector: inout Detector, _ other: Detector?) {
      detector.layoutDidChange(layout)
    }
  }

  /// Merges each detector of another aggregator into this one's.
  struct Merging: AuditDetectorVisitor {
    let interfaceMap: [Int32]

    mutating func visit<Detector: AuditDetector>(_ detector: inout Detector, _ other: Detector?) {
      guard let other else { return }
      detector.merge(other, interfaceMap: interfaceMap)
    }
  }

  /// Gathers each detector's findings.
  struct Collecting: AuditDetectorVisitor {
    var collector: FindingCollector
    let context: FindingContext

    mutating func visit<Detector: AuditDetector>(_ detector: inout Detector, _ other: Detector?) {
      detector.collect(into: &collector, context)
    }
  }

  /// Gathers the approximate tables, in the order detectors are visited.
  struct Approximations: AuditDetectorVisitor {
    var tables: [AuditReport.Approximation] = []

    mutating func visit<Detector: AuditDetector>(_ detector: inout Detector, _ other: Detector?) {
      tables += detector.approximations
    }
  }

  /// Whether some detector's table holds more than one worker's share.
  struct HoldsMoreThanShare: AuditDetectorVisitor {
    let workers: Int
    var holds = false

    mutating func visit<Detector: AuditDetector>(_ detector: inout Detector, _ other: Detector?) {
      if !holds { holds = detector.holdsMoreThanShare(ofWorkers: workers) }
    }
  }

  /// Writes each detector's state.
  struct StateWriting: AuditDetectorVisitor {
    var writer: StateWriter

    mutating func visit<Detector: AuditDetector>(_ detector: inout Detector, _ other: Detector?) {
      detector.writeState(to: &writer)
    }
  }

  /// Reads each detector's state; the first error stops the reading.
  struct StateReading: AuditDetectorVisitor {
    var reader: StateReader
    var error: StateError?

    mutating func visit<Detector: AuditDetector>(_ detector: inout Detector, _ other: Detector?) {
      guard error == nil else { return }
      do {
        try detector.readState(from: &reader)
      } catch {
        self.error = error
      }
    }
  }
}
