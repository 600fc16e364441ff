/// Why a `--by` value is not a list of KEYs.
public enum GroupLayoutError: Error, Sendable, Hashable, CustomStringConvertible {
  /// A KEY that is not one of ``GroupKeyKind``.
  case unknownKey(String)
  /// A KEY given twice.
  case repeatedKey(String)
  /// An empty KEY (`srcaddr,,dstaddr`, or an empty value).
  case emptyKey(String)

  public var description: String {
    let keys = GroupKeyKind.allCases.map(\.rawValue).joined(separator: ", ")
    switch self {
    case .unknownKey(let key): return "unknown key '\(key)' (keys: \(keys))"
    case .repeatedKey(let key):
      return "key '\(key)' given twice"
    case .emptyKey(let text): return "empty key in '\(text)' (give KEY[,KEY…] from: \(keys))"
    }
  }
}
