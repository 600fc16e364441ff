/// Traffic that contradicts the policy, with counts (never records) and one piece of evidence.
public struct Finding: Sendable, Hashable, Codable {
  /// Where a finding can be seen in the input.
  public struct Evidence: Sendable, Hashable, Codable {
    public var file: String
    public var line: Int

    public init(file: String, line: Int) {
      self.file = file
      self.line = line
    }
  }

  /// The rule or detector id (`ssh-from-corporate`, `admin-exposure`, `port-scan`, …).
  public var rule: String
  public var severity: Severity
  /// The interface (or, without one, the resource id) the traffic was recorded on; nil when the
  /// finding spans interfaces (a scan).
  public var interfaceID: String?
  /// The source address or prefix the finding is about.
  public var source: String?
  /// The destination port, when the finding is about one.
  public var port: Int?
  /// The IANA protocol number, when the finding is about one.
  public var `protocol`: Int?
  /// The action of the records counted (`ACCEPT`, `REJECT`), when they share one.
  public var action: String?
  /// Records counted.
  public var records: UInt64
  /// Their packets.
  public var packets: UInt64
  /// Their bytes.
  public var bytes: UInt64
  /// The earliest `start` among them, Unix seconds.
  public var firstSeen: UInt64?
  /// The latest `end` among them, Unix seconds.
  public var lastSeen: UInt64?
  /// The first record (by file path, then line) that shows it.
  public var evidence: Evidence?
  /// What was seen, in a sentence.
  public var message: String
  /// What to do about it.
  public var remedy: String
  /// Detector-specific values (`distinct_ports`, `estimated_nat_cost_usd`, …), typed: JSON gets
  /// numbers and booleans, not their text.
  public var details: [String: FindingDetail]
  /// What `--inventory` says about ``interfaceID``; nil without it, or when it does not list it.
  public var inventory: InterfaceInventory? = nil

  enum CodingKeys: String, CodingKey {
    case rule, severity, source, port, records, packets, bytes, evidence, message, remedy, details, action, inventory
    case interfaceID = "interface_id"
    case `protocol` = "protocol"
    case firstSeen = "first_seen"
    case lastSeen = "last_seen"
  }

  /// The order findings are reported in: most severe first, then by rule, interface, source,
  /// port and protocol, so that output never depends on input order or threads.
  public static func reportOrder(_ a: Finding, _ b: Finding) -> Bool {
    withUnsafePointer(to: a) { a in withUnsafePointer(to: b) { b in reportOrder(a, b) } }
  }

  /// ``reportOrder(_:_:)`` of findings in place, for sorting without copying them.
  @inline(__always)
  static func reportOrder(_ a: UnsafePointer<Finding>, _ b: UnsafePointer<Finding>) -> Bool {
    if a.pointee.severity != b.pointee.severity { return a.pointee.severity > b.pointee.severity }
    if a.pointee.rule != b.pointee.rule { return a.pointee.rule < b.pointee.rule }
    if a.pointee.interfaceID != b.pointee.interfaceID {
      return (a.pointee.interfaceID ?? "") < (b.pointee.interfaceID ?? "")
    }
    if a.pointee.source != b.pointee.source { return (a.pointee.source ?? "") < (b.pointee.source ?? "") }
    if a.pointee.port != b.pointee.port { return (a.pointee.port ?? -1) < (b.pointee.port ?? -1) }
    if a.pointee.protocol != b.pointee.protocol { return (a.pointee.protocol ?? -1) < (b.pointee.protocol ?? -1) }
    return a.pointee.message < b.pointee.message
  }
}

extension Finding {
  /// Whether its packet or byte sum reached 2^64 − 1 and stopped there (a lower bound).
  public var isSaturated: Bool { packets == .max || bytes == .max }
}
