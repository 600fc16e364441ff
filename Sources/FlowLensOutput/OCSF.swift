import FlowLogParser
import FlowStats

/// The numbers and captions of the Open Cybersecurity Schema Framework (OCSF) that the `ocsf`
/// formats write, from schema version ``schemaVersion`` (schema.ocsf.io). Captions are the schema's
/// own, so that a consumer that checks an `_id` against its sibling caption finds them agree.
public enum OCSF {
  /// The OCSF schema version the events follow (`metadata.version`): 1.9.0, released 2026-08-03.
  public static let schemaVersion = "1.9.0"

  /// The Network Activity class (`records --format ocsf`).
  enum NetworkActivity {
    static let classUID = 4001
    static let className: StaticString = "Network Activity"
    static let categoryUID = 4
    static let categoryName: StaticString = "Network Activity"
    /// `activity_id` 6, Traffic: "network traffic report", what a flow log record is (one
    /// aggregation interval of a flow), whether the traffic was accepted or not. Amazon Security
    /// Lake writes its VPC flow log events with the same activity.
    static let trafficActivityID = 6
    static let trafficActivityName: StaticString = "Traffic"
    static var typeUID: Int { classUID * 100 + trafficActivityID }
    static let typeName: StaticString = "Network Activity: Traffic"
  }

  /// The Detection Finding class (`audit --format ocsf`).
  enum DetectionFinding {
    static let classUID = 2004
    static let className = "Detection Finding"
    static let categoryUID = 2
    static let categoryName = "Findings"
    /// `activity_id` 1, Create: each run reports the findings it made.
    static let createActivityID = 1
    static let createActivityName = "Create"
    static var typeUID: Int { classUID * 100 + createActivityID }
    static let typeName = "Detection Finding: Create"
    /// `status_id` 1, New: not reviewed yet.
    static let newStatusID = 1
    static let newStatusName = "New"
  }

  /// `severity_id` 1, Informational: a flow log record is a report, not an alert.
  static let informationalSeverityID = 1
  static let informationalSeverityName: StaticString = "Informational"

  /// `severity_id` and `severity` of a finding: info 1 Informational, low 2, medium 3, high 4,
  /// critical 5 (OCSF has 6 Fatal above Critical, which flowlens does not use).
  static func severity(_ severity: Severity) -> (id: Int, name: String) {
    switch severity {
    case .info: (1, "Informational")
    case .low: (2, "Low")
    case .medium: (3, "Medium")
    case .high: (4, "High")
    case .critical: (5, "Critical")
    }
  }

  /// `action_id`/`action` and `disposition_id`/`disposition` (Security Control profile) of a
  /// flow log `action`: ACCEPT is 1 Allowed / 1 Allowed, REJECT is 2 Denied / 2 Blocked.
  static func action(_ action: FlowAction) -> (
    actionID: Int, action: StaticString, dispositionID: Int, disposition: StaticString
  ) {
    switch action {
    case .accept: (1, "Allowed", 1, "Allowed")
    case .reject: (2, "Denied", 2, "Blocked")
    }
  }

  /// `connection_info.boundary_id` and `boundary` of a flow log `traffic-path` (1 to 8): the
  /// schema's cloud boundaries 4 (Same VPC) to 11 (Internet Gateway) are AWS's traffic paths in
  /// the same order. Nil for any other value.
  static func boundary(trafficPath: UInt64) -> (id: Int, name: StaticString)? {
    switch trafficPath {
    case 1: (4, "Same VPC")
    case 2: (5, "Internet/VPC Gateway")
    case 3: (6, "Virtual Private Gateway")
    case 4: (7, "Intra-region VPC")
    case 5: (8, "Inter-region VPC")
    case 6: (9, "Local Gateway")
    case 7: (10, "Gateway VPC")
    case 8: (11, "Internet Gateway")
    default: nil
    }
  }

  /// `connection_info.direction_id` 0, Unknown: the schema requires `direction_id` in
  /// `connection_info`, and a record without `flow-direction` does not say it.
  static let unknownDirectionID = 0
  static let unknownDirectionName: StaticString = "Unknown"
  static let inboundDirectionID = 1
  static let inboundDirectionName: StaticString = "Inbound"
  static let outboundDirectionID = 2
  static let outboundDirectionName: StaticString = "Outbound"

  /// `cloud.provider`.
  static let cloudProvider: StaticString = "AWS"
}
