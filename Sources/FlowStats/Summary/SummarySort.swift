/// What `summary --sort` ranks every table's rows by, heaviest first; ties go to the row with
/// more records, then to the lower key, so that the order is the same for any split of the input.
public enum SummarySort: String, CaseIterable, Sendable, Hashable, Codable {
  /// Records (the default; ACCEPT + REJECT for the fixed tables).
  case records
  /// The sum of packets.
  case packets
  /// The sum of bytes.
  case bytes

  /// The value a row is ranked by, given its records, packets and bytes.
  @inline(__always)
  public func rank(records: UInt64, packets: UInt64, bytes: UInt64) -> UInt64 {
    switch self {
    case .records: records
    case .packets: packets
    case .bytes: bytes
    }
  }

  /// Whether row `a` comes before row `b`: heavier first, then more records, then `keyLess`.
  @inline(__always)
  func precedes(
    _ a: (records: UInt64, packets: UInt64, bytes: UInt64), _ b: (records: UInt64, packets: UInt64, bytes: UInt64),
    keyLess: () -> Bool
  ) -> Bool {
    let ra = rank(records: a.records, packets: a.packets, bytes: a.bytes)
    let rb = rank(records: b.records, packets: b.packets, bytes: b.bytes)
    if ra != rb { return ra > rb }
    if a.records != b.records { return a.records > b.records }
    return keyLess()
  }
}
