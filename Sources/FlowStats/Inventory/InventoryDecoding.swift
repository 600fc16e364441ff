import FlowLogParser

/// Helpers for decoding AWS CLI output: addresses and prefixes are checked as they are read, so
/// that a bad one is an error naming its JSON path (the decoder's coding path).
extension KeyedDecodingContainer {
  /// A required address (`10.0.1.10`, `2600:1f18::12`).
  func decodeAddress(forKey key: Key) throws -> IPAddress {
    let text = try decode(String.self, forKey: key)
    guard let address = IPAddress(text: text) else {
      throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "not an IP address: '\(text)'")
    }
    return address
  }

  /// An optional address: absent or null is nil.
  func decodeAddressIfPresent(forKey key: Key) throws -> IPAddress? {
    guard try decodeIfPresent(String.self, forKey: key) != nil else { return nil }
    return try decodeAddress(forKey: key)
  }

  /// A required prefix (`10.0.0.0/16`, `2600:1f18:abcd::/56`).
  func decodeCIDR(forKey key: Key) throws -> CIDR {
    let text = try decode(String.self, forKey: key)
    guard let cidr = CIDR(text) else {
      throw DecodingError.dataCorruptedError(forKey: key, in: self, debugDescription: "not a CIDR block: '\(text)'")
    }
    return cidr
  }

  /// An optional prefix: absent or null is nil.
  func decodeCIDRIfPresent(forKey key: Key) throws -> CIDR? {
    guard try decodeIfPresent(String.self, forKey: key) != nil else { return nil }
    return try decodeCIDR(forKey: key)
  }

  /// An optional array: absent or null is empty.
  func decodeList<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> [T] {
    try decodeIfPresent([T].self, forKey: key) ?? []
  }
}
