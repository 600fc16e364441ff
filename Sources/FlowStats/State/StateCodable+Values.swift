import FlowLogParser

// The partial-state encoding of the small values that tables hold (docs/partial-format.md).

extension TrafficCounters: StateCodable {
  public func write(to writer: inout StateWriter) {
    writer.uint(accept)
    writer.uint(reject)
    writer.uint(packets)
    writer.uint(bytes)
  }

  public init(from reader: inout StateReader) throws(StateError) {
    self.init(
      accept: try reader.uint(), reject: try reader.uint(), packets: try reader.uint(), bytes: try reader.uint())
  }
}

extension GroupCounters: StateCodable {
  public func write(to writer: inout StateWriter) {
    writer.uint(records)
    writer.uint(accept)
    writer.uint(reject)
    writer.uint(packets)
    writer.uint(bytes)
  }

  public init(from reader: inout StateReader) throws(StateError) {
    self.init(
      records: try reader.uint(), accept: try reader.uint(), reject: try reader.uint(), packets: try reader.uint(),
      bytes: try reader.uint())
  }
}

extension ActionCounts: StateCodable {
  public func write(to writer: inout StateWriter) {
    writer.uint(accept)
    writer.uint(reject)
  }

  public init(from reader: inout StateReader) throws(StateError) {
    self.init(accept: try reader.uint(), reject: try reader.uint())
  }
}

extension RecordTotals: StateCodable {
  public func write(to writer: inout StateWriter) {
    for value in [records, accept, reject, nodata, skipdata, packets, bytes] { writer.uint(value) }
    writer.optional(firstStart) { $0.uint($1) }
    writer.optional(lastEnd) { $0.uint($1) }
  }

  public init(from reader: inout StateReader) throws(StateError) {
    self.init()
    records = try reader.uint()
    accept = try reader.uint()
    reject = try reader.uint()
    nodata = try reader.uint()
    skipdata = try reader.uint()
    packets = try reader.uint()
    bytes = try reader.uint()
    firstStart = try reader.optional { r throws(StateError) in try r.uint() }
    lastEnd = try reader.optional { r throws(StateError) in try r.uint() }
  }
}

extension IPAddress: StateCodable {
  /// A flag (IPv6), then the address: 4 bytes for IPv4, 16 (high, low) for IPv6, little-endian.
  public func write(to writer: inout StateWriter) {
    writer.bool(isIPv6)
    if isIPv6 {
      writer.fixed64(high)
      writer.fixed64(low)
    } else {
      writer.fixed32(ipv4)
    }
  }

  public init(from reader: inout StateReader) throws(StateError) {
    if try reader.bool() {
      self.init(ipv6High: try reader.fixed64(), low: try reader.fixed64())
    } else {
      self.init(ipv4: try reader.fixed32())
    }
  }
}

extension EvidencePosition: StateCodable {
  /// The rank of the input among the partial's inputs sorted by path, and the line; read back, the
  /// rank is translated to the merged run's (``StateReader/rankMap``).
  func write(to writer: inout StateWriter) {
    writer.int(Int64(rank))
    writer.int(Int64(line))
  }

  init(from reader: inout StateReader) throws(StateError) {
    let at = reader.position
    let rank = try reader.int32("evidence input")
    let line = try reader.int32("evidence line")
    if rank == EvidencePosition.none.rank {
      self = .none
      return
    }
    guard rank >= 0 && Int(rank) < reader.rankMap.count else {
      throw reader.error(at: at, "evidence input \(rank) is out of range (\(reader.rankMap.count) inputs)")
    }
    self.init(rank: reader.rankMap[Int(rank)], line: line)
  }
}

extension FindingCounts: StateCodable {
  func write(to writer: inout StateWriter) {
    writer.uint(records)
    writer.uint(packets)
    writer.uint(bytes)
    writer.uint(firstSeen)
    writer.uint(lastSeen)
    writer.value(evidence)
  }

  init(from reader: inout StateReader) throws(StateError) {
    self.init()
    records = try reader.uint()
    packets = try reader.uint()
    bytes = try reader.uint()
    firstSeen = try reader.uint()
    lastSeen = try reader.uint()
    evidence = try reader.value()
  }
}

extension InputCounts: StateCodable {
  /// The counts, then the fields seen as a count and the raw values of ``FlowField``.
  public func write(to writer: inout StateWriter) {
    writer.count(files)
    writer.uint(bytes)
    writer.uint(decodedBytes)
    for value in [lines, headers, records, filtered, malformed, blank] { writer.count(value) }
    let fields = FlowField.allCases.filter { fieldsSeen.contains($0) }
    writer.count(fields.count)
    for field in fields { writer.byte(field.rawValue) }
  }

  public init(from reader: inout StateReader) throws(StateError) {
    self.init()
    let limit = UInt64(Int.max / 4)
    files = Int(try reader.uint(atMost: limit, "file count"))
    bytes = try reader.uint()
    decodedBytes = try reader.uint()
    lines = Int(try reader.uint(atMost: limit, "line count"))
    headers = Int(try reader.uint(atMost: limit, "header count"))
    records = Int(try reader.uint(atMost: limit, "record count"))
    filtered = Int(try reader.uint(atMost: limit, "filtered count"))
    malformed = Int(try reader.uint(atMost: limit, "malformed count"))
    blank = Int(try reader.uint(atMost: limit, "blank count"))
    for _ in 0..<(try reader.count()) {
      let at = reader.position
      let raw = try reader.byte()
      guard let field = FlowField(rawValue: raw) else { throw reader.error(at: at, "unknown field number \(raw)") }
      fieldsSeen.insert(field)
    }
  }
}

extension ParseIssue: StateCodable {
  public func write(to writer: inout StateWriter) {
    writer.string(file)
    writer.optional(line) { $0.count($1) }
    writer.optional(offset) { $0.uint($1) }
    writer.string(kind.rawValue)
    writer.string(reason)
  }

  public init(from reader: inout StateReader) throws(StateError) {
    let file = try reader.string()
    let line = try reader.optional { r throws(StateError) in Int(try r.uint(atMost: UInt64(Int.max / 4), "line")) }
    let offset = try reader.optional { r throws(StateError) in try r.uint() }
    let at = reader.position
    let kindName = try reader.string()
    guard let kind = Kind(rawValue: kindName) else { throw reader.error(at: at, "unknown issue kind '\(kindName)'") }
    self.init(file: file, line: line, offset: offset, kind: kind, reason: try reader.string())
  }
}

extension IssueLog: StateCodable {
  /// Examples per kind, the kept examples, the counts per (file, kind) sorted, and the input errors.
  public func write(to writer: inout StateWriter) {
    writer.count(examplesPerKind)
    writer.array(examples)
    let sorted = counts.sorted { ($0.key.file, $0.key.kind.rawValue) < ($1.key.file, $1.key.kind.rawValue) }
    writer.count(sorted.count)
    for (key, count) in sorted {
      writer.string(key.file)
      writer.string(key.kind.rawValue)
      writer.count(count)
    }
    writer.array(inputErrors)
  }

  public init(from reader: inout StateReader) throws(StateError) {
    let perKind = Int(try reader.uint(atMost: 1 << 20, "examples per kind"))
    let examples: [ParseIssue] = try reader.array(minimumBytes: 5)
    var counts: [CountKey: Int] = [:]
    for _ in 0..<(try reader.count(minimumBytes: 3)) {
      let file = try reader.string()
      let at = reader.position
      let kindName = try reader.string()
      guard let kind = ParseIssue.Kind(rawValue: kindName) else {
        throw reader.error(at: at, "unknown issue kind '\(kindName)'")
      }
      counts[CountKey(file: file, kind: kind), default: 0] += Int(try reader.uint(atMost: 1 << 48, "issue count"))
    }
    let inputErrors: [ParseIssue] = try reader.array(minimumBytes: 5)
    self.init(examplesPerKind: perKind, examples: examples, counts: counts, inputErrors: inputErrors)
  }
}

extension InputFile: StateCodable {
  /// The path, size and whether it was found in a directory (the sniffed format is not kept).
  public func write(to writer: inout StateWriter) {
    writer.string(path)
    writer.uint(size)
    writer.bool(foundInDirectory)
  }

  public init(from reader: inout StateReader) throws(StateError) {
    self.init(path: try reader.string(), size: try reader.uint(), foundInDirectory: try reader.bool())
  }
}
