import FlowLogParser

/// A partial result of `summary`, `audit` or `report` (`--partial FILE`): everything the command
/// counted over its inputs, so that `flowlens merge` can combine partials of disjoint inputs and
/// render exactly what one run over all of them prints. The byte layout is in
/// docs/partial-format.md:
///
/// ```
/// magic "\u{89}FLPART\n" (8 bytes) · format version (UInt16 LE) · flags (UInt16 LE, 0)
/// payload length (UInt64 LE) · CRC-32 of the payload (UInt32 LE) · payload
/// ```
///
/// The payload holds, in order: the options that shape results (``PartialShape``), the policy
/// (audit and report), the filter, the inventory's fingerprint, the run (inputs, counts, parse issues) and the aggregator's
/// tables, which are read only once the merged run's inputs are known (``PartialMerge``).
public struct PartialState: Sendable {
  /// The first 8 bytes of every state file.
  public static let magic: [UInt8] = [0x89, 0x46, 0x4C, 0x50, 0x41, 0x52, 0x54, 0x0A]
  /// The version of the format written; readers accept only this version.
  public static let formatVersion: UInt16 = 2
  /// Bytes before the payload.
  static let headerSize = 24

  /// The program that wrote the state (`flowlens 0.1.0`), for messages.
  public var producer: String
  /// The options that shape results, and so the command.
  public var shape: PartialShape
  /// The policy (audit and report; nil for summary).
  public var policy: PartialPolicy?
  /// `--where`/`--since`/`--until`; nil without.
  public var filter: PartialFilter?
  /// `--inventory` (its path and fingerprint); nil without.
  public var inventory: PartialInventory?
  /// The inputs as given on the command line (for messages about an empty run).
  public var inputNames: [String]
  /// The files read, in the order they were read (``FlowLogParser/RecordPosition/inputIndex``).
  public var files: [InputFile]
  /// Their text size as ``InputSizing/estimatedTextBytes(_:)`` estimates it (compressed files count
  /// ten times their size), which sizes an audit's bounded filter: the merge sizes it for the sum.
  public var estimatedTextBytes: UInt64
  /// What was read.
  public var counts: InputCounts
  /// Parse issues: counts per file and kind, kept examples, input errors.
  public var issues: IssueLog
  /// Files found in directories and left out by name.
  public var skippedByName: [String]
  /// Whether standard input was the only input.
  public var readsStandardInputOnly: Bool
  /// The aggregator's tables, as written by its `write(to:)`.
  public var tables: [UInt8]
  /// Where ``tables`` start in the file, for the offsets of errors.
  public var tablesOffset: Int

  /// The command the state was made by.
  public var command: PartialCommand { shape.command }

  /// A state with the given parts; `tables` as the aggregator wrote them.
  public init(
    producer: String, shape: PartialShape, policy: PartialPolicy?, filter: PartialFilter?, inputNames: [String],
    files: [InputFile], estimatedTextBytes: UInt64, counts: InputCounts, issues: IssueLog, skippedByName: [String],
    readsStandardInputOnly: Bool,
    tables: [UInt8]
  ) {
    self.producer = producer
    self.shape = shape
    self.policy = policy
    self.filter = filter
    inventory = nil
    self.inputNames = inputNames
    self.files = files
    self.estimatedTextBytes = estimatedTextBytes
    self.counts = counts
    self.issues = issues
    self.skippedByName = skippedByName
    self.readsStandardInputOnly = readsStandardInputOnly
    self.tables = tables
    tablesOffset = 0
  }

  /// Every option, the policy fingerprint and the filter as `(name, value)`: partials merge only
  /// when these are equal.
  public var settings: [(name: String, value: String)] {
    var settings: [(name: String, value: String)] = [("command", command.name)]
    settings += shape.settings
    if let policy {
      settings.append(("policy", policy.source))
      settings.append(("policy fingerprint", policy.fingerprint))
    }
    settings.append(("--where", filter?.expression ?? "none"))
    settings.append(("--since", filter?.since.map { String($0) } ?? "none"))
    settings.append(("--until", filter?.until.map { String($0) } ?? "none"))
    settings.append(("--inventory", inventory.map { "fingerprint \($0.fingerprint)" } ?? "none"))
    return settings
  }

  /// The state as bytes.
  public func encoded() -> [UInt8] {
    var payload = StateWriter()
    payload.string(producer)
    payload.value(shape)
    payload.optional(policy) { w, policy in
      w.string(policy.source)
      w.optional(policy.text) { $0.string($1) }
    }
    payload.optional(filter) { w, filter in
      w.optional(filter.expression) { $0.string($1) }
      w.optional(filter.since) { $0.uint($1) }
      w.optional(filter.until) { $0.uint($1) }
    }
    payload.optional(inventory) { w, inventory in
      w.string(inventory.source)
      w.string(inventory.fingerprint)
    }
    payload.array(inputNames)
    payload.array(files)
    payload.uint(estimatedTextBytes)
    payload.value(counts)
    payload.value(issues)
    payload.array(skippedByName)
    payload.bool(readsStandardInputOnly)
    payload.append(contentsOf: tables)
    var out = StateWriter()
    out.append(contentsOf: Self.magic)
    out.fixed32(UInt32(Self.formatVersion))  // version (low 16 bits) and flags (high 16 bits, 0)
    out.fixed64(UInt64(payload.bytes.count))
    out.fixed32(StateChecksum.crc32(payload.bytes, 0..<payload.bytes.count))
    out.append(contentsOf: payload.bytes)
    return out.bytes
  }

  /// Reads a state; everything but the tables is decoded and checked here (the tables with
  /// ``PartialMerge``).
  public init(decoding bytes: [UInt8]) throws(StateError) {
    guard bytes.count >= Self.headerSize else {
      if bytes.count < 8 || Array(bytes[0..<8]) != Self.magic {
        throw StateError(offset: nil, "not a flowlens partial state (too short, \(bytes.count) bytes)")
      }
      throw StateError(offset: bytes.count, "the header ends early (truncated?)")
    }
    guard Array(bytes[0..<8]) == Self.magic else {
      throw StateError(offset: 0, "not a flowlens partial state (no FLPART magic)")
    }
    var header = StateReader(bytes, range: 8..<Self.headerSize, fileOffset: 8)
    let version = try header.fixed32()
    guard version & 0xFFFF == UInt32(Self.formatVersion) else {
      throw StateError(
        offset: 8, "format version \(version & 0xFFFF); this flowlens reads version \(Self.formatVersion)")
    }
    guard version >> 16 == 0 else { throw StateError(offset: 10, "unknown flags \(version >> 16)") }
    let length = try header.fixed64()
    guard length == UInt64(bytes.count - Self.headerSize) else {
      throw StateError(
        offset: 12,
        "the payload should be \(length) bytes, the file has \(bytes.count - Self.headerSize) (truncated or padded?)")
    }
    let checksum = try header.fixed32()
    guard StateChecksum.crc32(bytes, Self.headerSize..<bytes.count) == checksum else {
      throw StateError(offset: 20, "checksum mismatch: the file is corrupt")
    }
    try self.init(payload: bytes, from: Self.headerSize)
  }

  /// Reads the payload of `bytes`, which starts at `start`, without checking a checksum (the
  /// fuzz target reaches every check of the payload through this).
  public init(payload bytes: [UInt8], from start: Int) throws(StateError) {
    var r = StateReader(bytes, range: start..<bytes.count, fileOffset: start)
    producer = try r.string()
    shape = try r.value()
    let policyAt = r.position
    policy = try r.optional { r throws(StateError) in
      PartialPolicy(source: try r.string(), text: try r.optional { r throws(StateError) in try r.string() })
    }
    guard (policy == nil) == (shape.command == .summary) else {
      throw r.error(at: policyAt, shape.command == .summary ? "a summary with a policy" : "no policy")
    }
    filter = try r.optional { r throws(StateError) in
      PartialFilter(
        expression: try r.optional { r throws(StateError) in try r.string() },
        since: try r.optional { r throws(StateError) in try r.uint() },
        until: try r.optional { r throws(StateError) in try r.uint() })
    }
    inventory = try r.optional { r throws(StateError) in
      PartialInventory(source: try r.string(), fingerprint: try r.string())
    }
    inputNames = try r.array()
    files = try r.array(minimumBytes: 3)
    estimatedTextBytes = try r.uint()
    counts = try r.value()
    issues = try r.value()
    skippedByName = try r.array()
    readsStandardInputOnly = try r.bool()
    tablesOffset = r.position
    tables = Array(bytes[r.position..<bytes.count])
  }
}
