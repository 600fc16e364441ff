import FlowLogParser

/// The KEYs of one `summary --by` table and where each value sits in a ``GroupKey``.
///
/// A port KEY (`srcport`, `dstport`) brings `protocol` along, right after it (once), because a
/// port means nothing without its protocol; the row then carries both.
public struct GroupLayout: Sendable, Hashable {
  /// One value of the key.
  struct Column: Sendable, Hashable {
    var kind: GroupKeyKind
    /// The value's first bit.
    var offset: Int
    /// The bit that says the value is present (absent: the record lacks it, or it is `-`).
    var presentBit: Int
    /// For addresses, the bit that says the address is IPv6.
    var familyBit: Int
  }

  /// The KEYs, in row order (an implied `protocol` included).
  public let kinds: [GroupKeyKind]
  /// The KEYs as the user gave them (for messages and the table's title).
  public let given: String
  let columns: [Column]

  /// Parses `--by`'s value: KEYs separated by commas.
  /// - Throws: ``GroupLayoutError`` naming an unknown, repeated or missing KEY.
  public init(parsing text: String) throws(GroupLayoutError) {
    let names = text.split(separator: ",", omittingEmptySubsequences: false).map {
      String($0.filter { $0 != " " })
    }
    var kinds: [GroupKeyKind] = []
    for name in names {
      guard !name.isEmpty else { throw .emptyKey(text) }
      guard let kind = GroupKeyKind(rawValue: name.lowercased()) else { throw .unknownKey(name) }
      guard !kinds.contains(kind) else { throw .repeatedKey(name) }
      kinds.append(kind)
      if kind.storage == .port && !names.contains(where: { $0.lowercased() == "protocol" })
        && !kinds.contains(.protocol)
      {
        kinds.append(.protocol)
      }
    }
    self.init(kinds: kinds, given: names.joined(separator: ","))
  }

  /// A layout of the given KEYs, in row order.
  init(kinds: [GroupKeyKind], given: String) {
    self.kinds = kinds
    self.given = given
    // Widest first: every width is a power of two at most 64 bits or a multiple of 64 bits, so
    // each value is aligned to its width and none crosses a word.
    let order = kinds.indices.sorted { a, b in
      let wa = kinds[a].storage.bits
      let wb = kinds[b].storage.bits
      return wa != wb ? wa > wb : a < b
    }
    var offsets = Array(repeating: 0, count: kinds.count)
    var next = 0
    for index in order {
      offsets[index] = next
      next += kinds[index].storage.bits
    }
    var columns: [Column] = []
    for (index, kind) in kinds.enumerated() {
      columns.append(Column(kind: kind, offset: offsets[index], presentBit: next, familyBit: next + 1))
      next += kind.storage == .address ? 2 : 1
    }
    precondition(next <= GroupKey.wordCount * 64, "every KEY at most once fits a GroupKey")
    self.columns = columns
  }

  /// The KEYs' names in JSON, in row order.
  public var jsonNames: [String] { kinds.map(\.jsonName) }

  /// Whether any KEY is held as interned text.
  var hasText: Bool { kinds.contains { $0.storage == .text } }
}
