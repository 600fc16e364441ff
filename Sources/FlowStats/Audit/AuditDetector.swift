import FlowLogParser

/// One audit detector: everything a rule is, in one unit. ``AuditAggregator`` holds one of each as
/// a concrete stored property (generated from `detectors.list`: registering a detector is one line
/// there) and calls them by name per record and through ``AuditDetectorVisitor`` otherwise, so the
/// per-record call is static and inlined, never through a protocol witness.
///
/// A detector's parts:
/// - its rule ids (``ruleIDs``), each a constant of the detector, written once;
/// - its policy section (``Settings``, found at ``policySection``), whose type and YAML reading
///   live in the detector's `<Name>Detector+Policy.swift`;
/// - ``observe(_:_:)``, ``merge(_:interfaceMap:)`` and ``collect(into:_:)``;
/// - its bounded tables, if any: ``approximations`` and ``holdsMoreThanShare(ofWorkers:)``.
///
/// There is no list of the record fields a detector reads: every command validates every field of
/// the layout, so a detector reads any field of ``FlowRecord`` without declaring it.
protocol AuditDetector: Sendable {
  /// What the detector reads from the policy.
  associatedtype Settings: Sendable
  /// Where ``Settings`` are in a ``Policy``: `\.detectors.portScan`, or `\.rules` for allow-lists.
  static var policySection: KeyPath<Policy, Settings> { get }
  /// The rule ids of the findings it makes (allow-list findings also carry the policy's rule ids).
  static var ruleIDs: [String] { get }
  /// Whether it observes records that carry no traffic (NODATA, SKIPDATA); most detectors do not.
  static var observesRecordsWithoutTraffic: Bool { get }

  /// A detector for `settings`; `setup` holds what the detectors of one aggregator share.
  init(settings: Settings, setup: inout DetectorSetup)
  /// Whether the policy turns it on: a detector that is off observes no record.
  var isEnabled: Bool { get }
  /// Counts one record (only records that carry traffic, unless ``observesRecordsWithoutTraffic``).
  mutating func observe(_ record: FlowRecord, _ context: RecordContext)
  /// Notes the layout of the records that follow.
  mutating func layoutDidChange(_ layout: FlowLayout)
  /// Adds what another worker's detector saw (made with the same settings and capacity);
  /// `interfaceMap` translates its interface numbers.
  mutating func merge(_ other: Self, interfaceMap: [Int32])
  /// Offers its findings.
  func collect(into collector: inout FindingCollector, _ context: FindingContext)
  /// Its tables that went past their capacity, as the report states them.
  var approximations: [AuditReport.Approximation] { get }
  /// Whether one of its tables holds more than one worker's share of its capacity.
  func holdsMoreThanShare(ofWorkers workers: Int) -> Bool
  /// Writes what it counted, for a partial result (docs/partial-format.md).
  func writeState(to writer: inout StateWriter)
  /// Reads what ``writeState(to:)`` wrote into this detector, made from the same settings.
  mutating func readState(from reader: inout StateReader) throws(StateError)
}

extension AuditDetector {
  static var observesRecordsWithoutTraffic: Bool { false }
  mutating func layoutDidChange(_ layout: FlowLayout) {}
  var approximations: [AuditReport.Approximation] { [] }
  func holdsMoreThanShare(ofWorkers workers: Int) -> Bool { false }

  /// A detector for the section of `policy` it reads.
  init(policy: Policy, setup: inout DetectorSetup) {
    self.init(settings: policy[keyPath: Self.policySection], setup: &setup)
  }
}
