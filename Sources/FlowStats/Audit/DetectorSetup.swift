/// What the detectors of one aggregator share when they are made.
struct DetectorSetup {
  /// The keys each bounded table may hold (one worker's; merging raises it).
  var capacity: Int
  /// The filter of accepted requests that every worker shares (`nacl-return-blocked`).
  var requestFilter: SplitBlockBloomFilter
  /// Whether detectors also keep exactly what they put in bounded filters (for a partial result).
  var keepsRequestKeys = false
  /// Interface names interned so far. A detector may intern names from the policy here, so that
  /// every worker gives them the same numbers; the aggregator then goes on with this interner.
  var interfaces = ByteStringInterner()
  /// The hash of each interned interface's bytes, by interned number.
  var interfaceHashes: [UInt64] = []

  /// The interned number of interface `name`, interning it if new.
  mutating func intern(_ name: String) -> Int32 {
    let bytes = Array(name.utf8)
    let id = bytes.withUnsafeBytes { interfaces.id(of: $0) }
    if id == interfaceHashes.count { interfaceHashes.append(bytes.withUnsafeBytes { ByteStringInterner.hash($0) }) }
    return Int32(id)
  }
}
