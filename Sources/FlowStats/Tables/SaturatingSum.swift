extension UInt64 {
  /// Adds `other`, stopping at `UInt64.max` (2^64 − 1) instead of wrapping past it.
  ///
  /// Packet and byte fields are 64-bit, so a few huge (or crafted) records can pass 2^64 when
  /// summed; a wrapped sum would look small and plausible. A saturated one is a lower bound, and
  /// the reports list where a sum reached `UInt64.max` (their `saturated` key). For unsigned values
  /// saturating addition is min(true sum, 2^64 − 1), so it stays associative and commutative and
  /// merged workers agree whatever the split.
  @inline(__always)
  mutating func addSaturating(_ other: UInt64) {
    let (sum, overflow) = addingReportingOverflow(other)
    self = overflow ? .max : sum
  }
}
