import FlowLogParser

/// Byte-wise JSON object members for writers that build each line into the reused buffer
/// (``OCSFNetworkActivityWriter``): keys and fixed captions are static text, so that writing a
/// record allocates nothing.
extension OutputBuffer {
  /// Appends the bytes of a literal.
  @inline(__always)
  mutating func append(static text: StaticString) {
    text.withUTF8Buffer { bytes.append(contentsOf: $0) }
  }

  /// Appends `"key":`, after a comma unless it is the object's first member.
  @inline(__always)
  mutating func appendKey(_ key: StaticString, first: inout Bool) {
    if !first { bytes.append(UInt8(ascii: ",")) }
    first = false
    bytes.append(UInt8(ascii: "\""))
    append(static: key)
    bytes.append(UInt8(ascii: "\""))
    bytes.append(UInt8(ascii: ":"))
  }

  /// Appends `"key":value` for a whole number.
  @inline(__always)
  mutating func appendMember(_ key: StaticString, _ value: UInt64, first: inout Bool) {
    appendKey(key, first: &first)
    appendDecimal(value)
  }

  /// Appends `"key":"value"` for fixed text (no escaping needed).
  @inline(__always)
  mutating func appendMember(_ key: StaticString, _ value: StaticString, first: inout Bool) {
    appendKey(key, first: &first)
    bytes.append(UInt8(ascii: "\""))
    append(static: value)
    bytes.append(UInt8(ascii: "\""))
  }

  /// Appends `"key":"value"` for text from log data, escaped.
  @inline(__always)
  mutating func appendMember(_ key: StaticString, text value: UnsafeRawBufferPointer, first: inout Bool) {
    appendKey(key, first: &first)
    bytes.append(UInt8(ascii: "\""))
    TextEscaping.appendJSONString(value, to: &self)
    bytes.append(UInt8(ascii: "\""))
  }

  /// Appends `"key":"address"` (IPv6 in RFC 5952 form).
  @inline(__always)
  mutating func appendMember(_ key: StaticString, address value: IPAddress, first: inout Bool) {
    appendKey(key, first: &first)
    bytes.append(UInt8(ascii: "\""))
    value.append(to: &bytes)
    bytes.append(UInt8(ascii: "\""))
  }

  /// Opens `"key":{` and returns where it started, for ``closeObject(openedAt:hasMembers:outerFirst:)``.
  @inline(__always)
  mutating func openObject(_ key: StaticString, first: inout Bool) -> (mark: Int, outerFirst: Bool) {
    let opened = (bytes.count, first)
    appendKey(key, first: &first)
    bytes.append(UInt8(ascii: "{"))
    return opened
  }

  /// Closes an object opened by ``openObject(_:first:)``; an object that got no member is taken
  /// back out, key and all, so that an absent value leaves no empty object.
  @inline(__always)
  mutating func closeObject(openedAt opened: (mark: Int, outerFirst: Bool), hasMembers: Bool, first: inout Bool) {
    if hasMembers {
      bytes.append(UInt8(ascii: "}"))
    } else {
      bytes.removeLast(bytes.count - opened.mark)
      first = opened.outerFirst
    }
  }
}
