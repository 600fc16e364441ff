/// One decoded flow log record.
///
/// A record is a view: integers, addresses and the action are decoded, while identifiers stay
/// byte ranges of the line they came from. It is valid only inside the callback that receives it;
/// copy out what you need (``string(_:)`` makes a String).
public struct FlowRecord {
  /// The fields of the layout that carry a value; a field given as `-` is not in the set.
  public let fields: FieldSet
  /// The record's text, without any CloudWatch export timestamp.
  public let line: UnsafeRawBufferPointer
  @usableFromInline let rawAction: UInt8
  @usableFromInline let rawLogStatus: UInt8
  @usableFromInline unowned(unsafe) let storage: RecordStorage

  init(fields: FieldSet, line: UnsafeRawBufferPointer, action: UInt8, logStatus: UInt8, storage: RecordStorage) {
    self.fields = fields
    self.line = line
    self.rawAction = action
    self.rawLogStatus = logStatus
    self.storage = storage
  }

  /// `ACCEPT` or `REJECT`; nil when the field is `-` (NODATA, SKIPDATA) or not in the layout.
  @inlinable public var action: FlowAction? { FlowAction(rawValue: rawAction) }

  /// `OK`, `NODATA` or `SKIPDATA`; nil when the field is not in the layout.
  @inlinable public var logStatus: LogStatus? { LogStatus(rawValue: rawLogStatus) }

  /// The value of an integer or timestamp field (ports, protocol, packets, bytes, start, end,
  /// tcp-flags, traffic-path, …); nil when absent. Timestamps are in Unix seconds.
  @inlinable @inline(__always)
  public func integer(_ field: FlowField) -> UInt64? {
    fields.contains(field) ? storage.integers[Int(field.rawValue)] : nil
  }

  /// The value of an address field (srcaddr, dstaddr, pkt-srcaddr, pkt-dstaddr); nil when absent.
  @inlinable @inline(__always)
  public func address(_ field: FlowField) -> IPAddress? {
    fields.contains(field) ? storage.addresses[Int(field.rawValue)] : nil
  }

  /// The bytes of a text field (identifiers, names, tags); nil when absent.
  /// The bytes belong to the input buffer: valid only while the record is.
  @inlinable @inline(__always)
  public func text(_ field: FlowField) -> UnsafeRawBufferPointer? {
    guard fields.contains(field) else { return nil }
    let range = storage.texts[Int(field.rawValue)]
    return UnsafeRawBufferPointer(rebasing: line[Int(range.start)..<Int(range.start + range.count)])
  }

  /// The text of any field as it appears in the record; nil when absent. Allocates: not for hot paths.
  public func string(_ field: FlowField) -> String? {
    switch field.kind {
    case .text: text(field).map { String(decoding: $0, as: UTF8.self) }
    case .integer, .timestamp: integer(field).map { String($0) }
    case .address: address(field).map(\.description)
    case .action: action?.name
    case .logStatus: logStatus?.name
    }
  }

  /// The `version` field.
  @inlinable public var version: UInt64? { integer(.version) }
  /// The source port.
  @inlinable public var srcport: UInt16? { integer(.srcport).map { UInt16(truncatingIfNeeded: $0) } }
  /// The destination port.
  @inlinable public var dstport: UInt16? { integer(.dstport).map { UInt16(truncatingIfNeeded: $0) } }
  /// The IANA protocol number (6 TCP, 17 UDP, 1 ICMP, 58 ICMPv6).
  @inlinable public var protocolNumber: UInt8? {
    integer(.protocol).map { UInt8(truncatingIfNeeded: $0) }
  }
  /// Packets in the flow during the interval.
  @inlinable public var packets: UInt64? { integer(.packets) }
  /// Bytes in the flow during the interval.
  @inlinable public var bytes: UInt64? { integer(.bytes) }
  /// Unix seconds of the first packet in the interval.
  @inlinable public var start: UInt64? { integer(.start) }
  /// Unix seconds of the last packet in the interval.
  @inlinable public var end: UInt64? { integer(.end) }
  /// The source address at the interface.
  @inlinable public var srcaddr: IPAddress? { address(.srcaddr) }
  /// The destination address at the interface.
  @inlinable public var dstaddr: IPAddress? { address(.dstaddr) }
  /// The interface (ENI) id bytes.
  @inlinable public var interfaceID: UnsafeRawBufferPointer? { text(.interfaceID) }
}

/// Where a text field's bytes are in the line.
@usableFromInline
struct TextRange {
  @usableFromInline var start: UInt32
  @usableFromInline var count: UInt32
}

/// Decoded values of the current record, one slot per field, reused from record to record so that
/// decoding allocates nothing.
@usableFromInline
final class RecordStorage {
  @usableFromInline let integers: UnsafeMutablePointer<UInt64>
  @usableFromInline let addresses: UnsafeMutablePointer<IPAddress>
  @usableFromInline let texts: UnsafeMutablePointer<TextRange>

  init() {
    let n = FlowField.allCases.count
    integers = .allocate(capacity: n)
    integers.initialize(repeating: 0, count: n)
    addresses = .allocate(capacity: n)
    addresses.initialize(repeating: IPAddress(ipv4: 0), count: n)
    texts = .allocate(capacity: n)
    texts.initialize(repeating: TextRange(start: 0, count: 0), count: n)
  }

  deinit {
    integers.deallocate()
    addresses.deallocate()
    texts.deallocate()
  }
}
