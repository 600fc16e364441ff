/// A set of ``FlowField``s as a 128-bit mask: which fields a layout holds, or which fields of a
/// record carry a value (a field given as `-` is absent).
public struct FieldSet: Hashable, Sendable, Codable {
  @usableFromInline var low: UInt64 = 0
  @usableFromInline var high: UInt64 = 0

  /// The empty set.
  public init() {}

  /// The set of the given fields.
  public init(_ fields: some Sequence<FlowField>) {
    for field in fields { insert(field) }
  }

  /// Whether `field` is in the set.
  @inlinable @inline(__always)
  public func contains(_ field: FlowField) -> Bool {
    let i = field.rawValue
    return i < 64 ? low & (1 << UInt64(i)) != 0 : high & (1 << UInt64(i - 64)) != 0
  }

  /// Adds `field` to the set.
  @inlinable @inline(__always)
  public mutating func insert(_ field: FlowField) {
    let i = field.rawValue
    if i < 64 { low |= 1 << UInt64(i) } else { high |= 1 << UInt64(i - 64) }
  }

  /// Adds the field whose raw value is `rawValue` (which must be a valid field index).
  @inlinable @inline(__always)
  mutating func insert(rawValue i: UInt8) {
    if i < 64 { low |= 1 << UInt64(i) } else { high |= 1 << UInt64(i - 64) }
  }

  /// Adds the fields of `other`.
  @inlinable @inline(__always)
  public mutating func formUnion(_ other: FieldSet) {
    low |= other.low
    high |= other.high
  }

  /// Whether the set has no field.
  public var isEmpty: Bool { low == 0 && high == 0 }
}
