import FlowLogParser

/// REJECT records counted per interface and destination (port, protocol): the data behind the
/// report's heat map.
///
/// Only counts are kept, one per cell, in a flat hash table keyed by
/// `interface << 32 | protocol << 16 | port`. The table is bounded by `cellLimit`: when a new
/// cell would pass it, destination ports are folded into ranges, one ``level`` at a time, until
/// the cells fit. Ports below 1024 stay exact until the last level; ports from 1024 on are folded
/// into aligned ranges 16, 256 and 4,096 ports wide, then into one range 1024–65535; at the last
/// level every port of a protocol is one column, which leaves at most (interfaces × protocols)
/// cells. Each level only merges cells of the one before, so the level a run ends at is the first
/// at which all of its cells fit, whatever the order of the records and however the input was
/// split: that keeps ``merge(_:)`` associative and commutative. (Reject traffic spreads over
/// ephemeral ports: a 1 GB test log has 257,000 distinct cells over 300 interfaces.)
public struct RejectMatrix: Sendable {
  /// The most cells the table holds (at levels below the last).
  public let cellLimit: Int
  /// How far ports are folded: 0 exact, 1-3 ports ≥ 1024 in ranges of 16, 256, 4,096,
  /// 4 ports ≥ 1024 as one range, 5 every port as one.
  public private(set) var level = 0
  /// The last level: one column per protocol.
  public static let lastLevel = 5
  /// Interface (or resource) ids of rejected records, interned.
  public private(set) var interfaces = ByteStringInterner()
  private var cells = FlatTable<UInt64, UInt64>(empty: 0)

  /// An empty matrix that keeps at most `cellLimit` (at least 1) cells before folding ports.
  public init(cellLimit: Int = 1 << 18) {
    precondition(cellLimit >= 1, "a matrix needs room for at least one cell")
    self.cellLimit = cellLimit
  }

  /// The number of cells with records.
  public var count: Int { cells.count }

  /// The first port of the range `port` falls in at `level`.
  public static func portRangeStart(_ port: UInt16, level: Int) -> UInt16 {
    switch level {
    case ...0: return port
    case Self.lastLevel...: return 0
    default:
      guard port >= 1024 else { return port }
      if level >= 4 { return 1024 }
      let width = UInt16(1) << (4 * level)  // 16, 256, 4096
      return max(1024, port & ~(width &- 1))
    }
  }

  /// The last port of the range that starts at `start` at `level`.
  public static func portRangeEnd(start: UInt16, level: Int) -> UInt16 {
    switch level {
    case ...0: return start
    case Self.lastLevel...: return .max
    default:
      guard start >= 1024 else { return start }
      if level >= 4 { return .max }
      let width = UInt16(1) << (4 * level)
      return start | (width &- 1)
    }
  }

  /// Counts one REJECT record of `interface` to `port`/`protocolNumber`.
  @inline(__always)
  public mutating func add(interface: UnsafeRawBufferPointer, port: UInt16, protocolNumber: UInt64) {
    add(interfaceID: UInt64(interfaces.id(of: interface)), port: port, protocolNumber: protocolNumber, count: 1)
  }

  @inline(__always)
  private mutating func add(interfaceID: UInt64, port: UInt16, protocolNumber: UInt64, count: UInt64) {
    let key = Self.key(
      interface: interfaceID, protocolNumber: protocolNumber, port: Self.portRangeStart(port, level: level))
    let isNew = cells.upsert(key) { $0 &+= count }
    if isNew && cells.count > cellLimit && level < Self.lastLevel { fold(toAtLeast: level + 1) }
  }

  /// Adds another matrix's counts (made with the same limit). Associative and commutative.
  public mutating func merge(_ other: RejectMatrix) {
    fold(toAtLeast: other.level, allowingMoreThanLimit: true)
    for (key, count) in other.cells.entries {
      let parts = Self.parts(of: key)
      let mine = other.interfaces.bytes(Int(parts.interface)).withUnsafeBytes { interfaces.id(of: $0) }
      add(interfaceID: UInt64(mine), port: parts.port, protocolNumber: parts.protocolNumber, count: count)
    }
  }

  /// Every cell as (interface id, protocol, first port of the range, count), in no particular order.
  public var entries: [(interface: String, protocolNumber: Int, portStart: Int, rejects: UInt64)] {
    var names: [Int: String] = [:]
    return cells.entries.map { key, count in
      let parts = Self.parts(of: key)
      let id = Int(parts.interface)
      let name = names[id] ?? interfaces.string(id)
      names[id] = name
      return (name, Int(parts.protocolNumber), Int(parts.port), count)
    }
  }

  /// Folds cells into the port ranges of `target` or coarser: the first level from `target` on
  /// at which they fit (or exactly `target` when `allowingMoreThanLimit`).
  private mutating func fold(toAtLeast target: Int, allowingMoreThanLimit: Bool = false) {
    guard target > level else { return }
    let old = cells.entries
    var newLevel = target
    while true {
      var folded = FlatTable<UInt64, UInt64>(empty: 0)
      for (key, count) in old {
        let parts = Self.parts(of: key)
        let start = Self.portRangeStart(parts.port, level: newLevel)
        folded.update(Self.key(interface: parts.interface, protocolNumber: parts.protocolNumber, port: start)) {
          $0 &+= count
        }
      }
      if allowingMoreThanLimit || folded.count <= cellLimit || newLevel >= Self.lastLevel {
        cells = folded
        level = newLevel
        return
      }
      newLevel += 1
    }
  }

  /// Protocol numbers are 0-255 (IANA); anything larger is kept as 0xFFFF so that it cannot
  /// spill into the interface bits.
  @inline(__always)
  static func key(interface: UInt64, protocolNumber: UInt64, port: UInt16) -> UInt64 {
    interface << 32 | min(protocolNumber, 0xFFFF) << 16 | UInt64(port)
  }

  @inline(__always)
  static func parts(of key: UInt64) -> (interface: UInt64, protocolNumber: UInt64, port: UInt16) {
    (key >> 32, key >> 16 & 0xFFFF, UInt16(truncatingIfNeeded: key))
  }
}

extension RejectMatrix {
  /// Writes the cells for a partial result.
  func write(to writer: inout StateWriter) {
    writer.count(cellLimit)
    writer.count(level)
    writer.value(interfaces)
    cells.write(to: &writer)
  }

  /// Reads cells written by ``write(to:)`` for a matrix of `cellLimit` cells.
  init(cellLimit: Int, from reader: inout StateReader) throws(StateError) {
    self.init(cellLimit: cellLimit)
    let at = reader.position
    guard try reader.uint() == UInt64(cellLimit) else {
      throw reader.error(at: at, "the heat map's cell limit does not match the options")
    }
    level = Int(try reader.uint(atMost: UInt64(Self.lastLevel), "heat map level"))
    interfaces = try reader.value()
    let tableAt = reader.position
    cells = try FlatTable(from: &reader, empty: 0)
    for (key, _) in cells.entries where Self.parts(of: key).interface >= UInt64(interfaces.count) {
      throw reader.error(
        at: tableAt, "a heat map cell names interface \(Self.parts(of: key).interface) of \(interfaces.count)")
    }
  }
}
