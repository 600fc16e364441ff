/// A grouping key that names an interface by its interned number.
protocol InterfaceKeyed: Hashable {
  var interface: Int32 { get set }
}

extension Dictionary where Key: InterfaceKeyed, Value == FindingCounts {
  /// Adds the groups of another worker, whose interface numbers `interfaceMap` translates.
  mutating func merge(groups other: [Key: FindingCounts], interfaceMap: [Int32]) {
    for (key, counts) in other {
      var mapped = key
      mapped.interface = key.interface >= 0 ? interfaceMap[Int(key.interface)] : -1
      self[mapped, default: FindingCounts()].merge(counts)
    }
  }
}
