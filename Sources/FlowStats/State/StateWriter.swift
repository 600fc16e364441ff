/// Writes the binary partial-state format (docs/partial-format.md): little-endian fixed-width
/// integers, LEB128 variable-length unsigned integers, zigzag for signed ones, and length-prefixed
/// byte strings.
///
/// The format is written by hand rather than through `Codable` with a library encoder: the state
/// holds tables of hundreds of thousands of entries (a generic `Codable` encoder boxes each one),
/// its layout must be documented byte for byte and stay stable across Swift versions, and decoding
/// must check every count and index against what the bytes can hold, which a generic decoder
/// leaves to each type anyway. No binary-serialization library is among the project's dependencies,
/// and the format needs about a hundred lines.
public struct StateWriter: Sendable {
  /// The bytes written so far.
  public private(set) var bytes: [UInt8] = []

  /// An empty writer.
  public init() {}

  /// Writes one byte.
  public mutating func byte(_ value: UInt8) { bytes.append(value) }

  /// Writes a Boolean as one byte, 0 or 1.
  public mutating func bool(_ value: Bool) { bytes.append(value ? 1 : 0) }

  /// Writes `value` as a LEB128 variable-length integer (1 to 10 bytes).
  public mutating func uint(_ value: UInt64) {
    var v = value
    while v >= 0x80 {
      bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
      v >>= 7
    }
    bytes.append(UInt8(v))
  }

  /// Writes a count or index (never negative) as a variable-length integer.
  public mutating func count(_ value: Int) { uint(UInt64(max(0, value))) }

  /// Writes a signed integer zigzag-encoded as a variable-length integer.
  public mutating func int(_ value: Int64) { uint(UInt64(bitPattern: (value << 1) ^ (value >> 63))) }

  /// Writes a 32-bit value, little-endian.
  public mutating func fixed32(_ value: UInt32) {
    for shift in stride(from: 0, to: 32, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
  }

  /// Writes a 64-bit value, little-endian.
  public mutating func fixed64(_ value: UInt64) {
    for shift in stride(from: 0, to: 64, by: 8) { bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
  }

  /// Writes a byte string: its length, then its bytes.
  public mutating func data(_ value: some Collection<UInt8>) {
    count(value.count)
    bytes.append(contentsOf: value)
  }

  /// Writes a string as its UTF-8 bytes.
  public mutating func string(_ value: String) { data(Array(value.utf8)) }

  /// Writes an optional: a presence byte, then the value when there is one.
  public mutating func optional<T>(_ value: T?, _ write: (inout StateWriter, T) -> Void) {
    bool(value != nil)
    if let value { write(&self, value) }
  }

  /// Writes a value that can write itself.
  public mutating func value<T: StateCodable>(_ value: T) { value.write(to: &self) }

  /// Writes an array: its count, then each element.
  public mutating func array<T: StateCodable>(_ values: [T]) {
    count(values.count)
    for value in values { value.write(to: &self) }
  }

  /// Appends bytes written elsewhere.
  public mutating func append(contentsOf other: [UInt8]) { bytes.append(contentsOf: other) }
}
