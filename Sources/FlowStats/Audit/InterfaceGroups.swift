/// A grouping key that names an interface by its interned number.
protocol InterfaceKeyed: Hashable {
  var interface: Int32 { get set }
}

/// Another worker's interned interface number in this worker's numbering (-1, none, stays -1).
@inline(__always)
func translated(_ interface: Int32, _ interfaceMap: [Int32]) -> Int32 {
  interface >= 0 ? interfaceMap[Int(interface)] : -1
}

extension Dictionary where Key: InterfaceKeyed, Value == FindingCounts {
  /// Adds the groups of another worker, whose interface numbers `interfaceMap` translates.
  mutating func merge(groups other: [Key: FindingCounts], interfaceMap: [Int32]) {
    for (key, counts) in other {
      var mapped = key
      mapped.interface = translated(key.interface, interfaceMap)
      self[mapped, default: FindingCounts()].merge(counts)
    }
  }
}

extension HeavyHitterTable where Key: InterfaceKeyed {
  /// Adds the groups of another worker, whose interface numbers `interfaceMap` translates.
  mutating func merge(groups other: Self, interfaceMap: [Int32]) {
    merge(other) { key, _ in key.interface = translated(key.interface, interfaceMap) }
  }
}

extension HeavyHitterTable {
  /// The table as the audit report states it, when it went past its capacity.
  func approximation(_ name: String) -> AuditReport.Approximation? {
    isApproximate ? AuditReport.Approximation(table: name, keptKeys: count, maximumError: maximumError) : nil
  }
}

/// Mixes the fields of a grouping key into a table hash.
@inline(__always)
func groupHash(_ a: UInt64, _ b: UInt64) -> UInt64 {
  let h = (a ^ (b &* 0xFF51_AFD7_ED55_8CCD)) &* 0x9E37_79B9_7F4A_7C15
  return h ^ (h >> 29)
}
