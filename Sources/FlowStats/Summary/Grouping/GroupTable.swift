import FlowLogParser

/// The counts of one `summary --by` table while records are read: a row per distinct key, exact up
/// to `capacity` rows and then the heaviest (``HeavyHitterTable``), so that memory stays bounded
/// whatever the input (a spoofed flood of distinct sources).
///
/// Texts (interface, account, … ids) are interned into 32-bit ids. The interner grows only with a
/// new text, and when evictions leave it holding many texts no row uses any more, it is rebuilt
/// from the rows kept: it never holds more than about twice the texts the rows can use.
public struct GroupTable: Sendable {
  /// The KEYs and where their values sit in a key.
  public let layout: GroupLayout
  /// Interned texts of the rows' text values (worker-local ids; merges translate them).
  private(set) var texts = ByteStringInterner()
  /// The rows.
  private(set) var rows: HeavyHitterTable<GroupKey, GroupCounters>
  /// Texts beyond which the interner is rebuilt from the kept rows.
  private let textLimit: Int

  /// An empty table of `layout`'s KEYs, exact up to `capacity` rows.
  public init(layout: GroupLayout, capacity: Int) {
    self.layout = layout
    rows = HeavyHitterTable(capacity: capacity, empty: GroupCounters())
    let textColumns = layout.kinds.filter { $0.storage == .text }.count
    textLimit = max(4_096, 2 * rows.capacity * max(1, textColumns))
  }

  /// Counts one record carrying traffic. `flowLog` is the index of its input's flow log id, if
  /// the input's name gave one; `inventory` and `position` (the record's interface in it, -1 when
  /// not listed) give subnet and VPC where the record has none, and the inventory-only KEYs.
  @inline(__always)
  public mutating func add(
    _ record: FlowRecord, flowLog: Int32, prefixV4: Int, prefixV6: Int, action: FlowAction?, packets: UInt64,
    bytes: UInt64, inventory: InventoryJoin? = nil, position: Int32 = -1
  ) {
    var key = GroupKey()
    for column in layout.columns {
      switch column.kind {
      case .srcaddr: Self.set(record.srcaddr, column, &key)
      case .dstaddr: Self.set(record.dstaddr, column, &key)
      case .srcPrefix:
        Self.set(record.srcaddr.map { $0.masked(toPrefix: $0.isIPv6 ? prefixV6 : prefixV4) }, column, &key)
      case .dstPrefix:
        Self.set(record.dstaddr.map { $0.masked(toPrefix: $0.isIPv6 ? prefixV6 : prefixV4) }, column, &key)
      case .srcport: Self.set(record.integer(.srcport), column, &key)
      case .dstport: Self.set(record.integer(.dstport), column, &key)
      case .protocol: Self.set(record.integer(.protocol), column, &key)
      case .action: Self.set(action.map { UInt64($0.rawValue) }, column, &key)
      case .trafficPath: Self.set(record.integer(.trafficPath), column, &key)
      case .flowLog: Self.set(flowLog < 0 ? nil : UInt64(flowLog), column, &key)
      case .interface: setText(record.interfaceOrResourceID, column, &key)
      case .account: setText(record.text(.accountID), column, &key)
      case .vpc:
        if let text = record.text(.vpcID) {
          setText(text, column, &key)
        } else if let inventory, position >= 0 {
          setText(inventory.vpc[Int(position)], column, &key)
        }
      case .subnet:
        if let text = record.text(.subnetID) {
          setText(text, column, &key)
        } else if let inventory, position >= 0 {
          setText(inventory.subnet[Int(position)], column, &key)
        }
      case .securityGroup:
        if let inventory, position >= 0 { setText(inventory.securityGroups[Int(position)], column, &key) }
      case .interfaceType:
        if let inventory, position >= 0 { setText(inventory.interfaceType[Int(position)], column, &key) }
      case .instance: setText(record.text(.instanceID), column, &key)
      case .direction: setText(record.text(.flowDirection), column, &key)
      case .service: setText(record.text(.pktDstAWSService) ?? record.text(.pktSrcAWSService), column, &key)
      case .rejectReason: setText(record.text(.rejectReason), column, &key)
      }
    }
    rows.update(key) { $0.add(action: action, packets: packets, bytes: bytes) }
    if texts.count > textLimit { compactTexts() }
  }

  @inline(__always)
  private static func set(_ value: UInt64?, _ column: GroupLayout.Column, _ key: inout GroupKey) {
    guard let value else { return }
    key.setBits(at: column.presentBit, to: 1)
    key.setBits(at: column.offset, to: value)
  }

  @inline(__always)
  private static func set(_ address: IPAddress?, _ column: GroupLayout.Column, _ key: inout GroupKey) {
    guard let address else { return }
    key.setBits(at: column.presentBit, to: 1)
    if address.isIPv6 { key.setBits(at: column.familyBit, to: 1) }
    key.setBits(at: column.offset, to: address.low)
    key.setBits(at: column.offset + 64, to: address.high)
  }

  @inline(__always)
  private mutating func setText(_ bytes: UnsafeRawBufferPointer?, _ column: GroupLayout.Column, _ key: inout GroupKey) {
    guard let bytes else { return }
    key.setBits(at: column.presentBit, to: 1)
    key.setBits(at: column.offset, to: UInt64(texts.id(of: bytes)))
  }

  @inline(__always)
  private mutating func setText(_ bytes: [UInt8]?, _ column: GroupLayout.Column, _ key: inout GroupKey) {
    guard let bytes else { return }
    bytes.withUnsafeBytes { setText($0, column, &key) }
  }

  /// Rebuilds the interner with only the texts the kept rows use.
  private mutating func compactTexts() {
    var fresh = ByteStringInterner()
    var mapped = Array(repeating: Int32(-1), count: texts.count)
    var table = HeavyHitterTable<GroupKey, GroupCounters>(capacity: rows.capacity, empty: GroupCounters())
    let old = texts
    let layout = layout
    table.merge(rows) { key, _ in
      key = Self.translated(key, layout: layout) { id in
        if mapped[id] < 0 { mapped[id] = Int32(old.bytes(id).withUnsafeBytes { fresh.id(of: $0) }) }
        return Int(mapped[id])
      }
    }
    texts = fresh
    rows = table
  }

  /// `key` with every text id replaced by `map(id)`.
  private static func translated(_ key: GroupKey, layout: GroupLayout, _ map: (Int) -> Int) -> GroupKey {
    guard layout.hasText else { return key }
    var result = key
    for column in layout.columns where column.kind.storage == .text && key.bits(at: column.presentBit, width: 1) == 1 {
      let id = Int(key.bits(at: column.offset, width: 32))
      // Clear the old id, then set the new one.
      let word = column.offset >> 6
      result[word: word] &= ~(UInt64(0xFFFF_FFFF) << UInt64(column.offset & 63))
      result.setBits(at: column.offset, to: UInt64(map(id)))
    }
    return result
  }

  /// Whether the table holds more than one worker's share of its capacity (see
  /// ``HeavyHitterTable/holdsMoreThanShare(ofWorkers:)``).
  public func holdsMoreThanShare(ofWorkers workers: Int) -> Bool {
    rows.holdsMoreThanShare(ofWorkers: workers)
  }

  /// Adds the rows of another worker's table of the same layout.
  public mutating func merge(_ other: GroupTable) {
    var mapped = Array(repeating: Int32(-1), count: other.texts.count)
    var mine = ByteStringInterner()
    swap(&mine, &texts)
    let layout = layout
    rows.merge(other.rows) { key, _ in
      key = Self.translated(key, layout: layout) { id in
        if mapped[id] < 0 { mapped[id] = Int32(other.texts.bytes(id).withUnsafeBytes { mine.id(of: $0) }) }
        return Int(mapped[id])
      }
    }
    texts = mine
    if texts.count > textLimit { compactTexts() }
  }

  /// The values of `key`, in the layout's order. `flowLogs` names the flow log indexes.
  func values(of key: GroupKey, flowLogs: [String], prefixV4: Int, prefixV6: Int) -> [GroupValue] {
    layout.columns.map { column in
      guard key.bits(at: column.presentBit, width: 1) == 1 else { return .absent }
      switch column.kind.storage {
      case .address:
        let low = key.bits(at: column.offset, width: 64)
        let high = key.bits(at: column.offset + 64, width: 64)
        let address =
          key.bits(at: column.familyBit, width: 1) == 1
          ? IPAddress(ipv6High: high, low: low) : IPAddress(ipv4: UInt32(truncatingIfNeeded: low))
        guard column.kind == .srcPrefix || column.kind == .dstPrefix else { return .address(address) }
        return .prefix(address, length: min(address.isIPv6 ? prefixV6 : prefixV4, address.bitWidth))
      case .text: return .text(texts.string(Int(key.bits(at: column.offset, width: 32))))
      case .flowLog: return .text(flowLogs[Int(key.bits(at: column.offset, width: 32))])
      case .port, .integer: return .number(key.bits(at: column.offset, width: column.kind.storage.bits))
      case .byte:
        let value = key.bits(at: column.offset, width: 8)
        guard column.kind == .action else { return .number(value) }
        return .text(FlowAction(rawValue: UInt8(value))?.name ?? "-")
      }
    }
  }
}

extension GroupTable {
  /// Writes the texts and rows for a partial result.
  func write(to writer: inout StateWriter) {
    writer.value(texts)
    rows.write(to: &writer)
  }

  /// Reads a table of `layout` written by ``write(to:)``. Text numbers in keys are checked against
  /// the texts read, and flow-log numbers are translated by `reader.flowLogMap`.
  init(layout: GroupLayout, from reader: inout StateReader) throws(StateError) {
    self.init(layout: layout, capacity: reader.groupCapacity)
    texts = try reader.value()
    reader.groupColumns = layout.columns
    reader.groupTextCount = texts.count
    defer { reader.groupColumns = [] }
    rows = try HeavyHitterTable(from: &reader, empty: GroupCounters(), expectedCapacity: reader.groupCapacity)
  }
}
