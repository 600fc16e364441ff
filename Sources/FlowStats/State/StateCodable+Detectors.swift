import FlowLogParser

// The partial-state encoding of the audit detectors' table keys and values
// (docs/partial-format.md). Interface and rule numbers are checked against what the aggregator
// being read holds.

extension AllowListDetector.Key: StateCodable {
  func write(to writer: inout StateWriter) {
    writer.int(Int64(rule))
    writer.int(Int64(interface))
    writer.value(source)
    writer.uint(UInt64(port))
    writer.byte(proto)
  }

  init(from reader: inout StateReader) throws(StateError) {
    let at = reader.position
    let rule = try reader.int32("rule number")
    guard rule >= 0 && Int(rule) < reader.ruleCount else {
      throw reader.error(at: at, "rule number \(rule) is out of range (\(reader.ruleCount) rules)")
    }
    self.init(
      rule: rule, interface: try reader.interface(), source: try reader.value(),
      port: UInt16(try reader.uint(atMost: UInt64(UInt16.max), "port")), proto: try reader.byte())
  }
}

extension AllowListDetector.Group: StateCodable {
  func write(to writer: inout StateWriter) {
    writer.value(counts)
    writer.bool(hasIngressRecord)
  }

  init(from reader: inout StateReader) throws(StateError) {
    self.init(counts: try reader.value(), hasIngressRecord: try reader.bool())
  }
}

extension NACLReturnDetector.ReplyKey: StateCodable {
  func write(to writer: inout StateWriter) {
    writer.fixed64(fingerprint)
    writer.uint(UInt64(firstWindow))
    writer.uint(UInt64(lastWindow))
  }

  init(from reader: inout StateReader) throws(StateError) {
    let fingerprint = try reader.fixed64()
    let at = reader.position
    let first = UInt32(try reader.uint(atMost: UInt64(UInt32.max), "window"))
    let last = UInt32(try reader.uint(atMost: UInt64(UInt32.max), "window"))
    guard first <= last else { throw reader.error(at: at, "window \(first) after window \(last)") }
    self.init(fingerprint: fingerprint, firstWindow: first, lastWindow: last)
  }
}

extension NACLReturnDetector.Reply: StateCodable {
  func write(to writer: inout StateWriter) {
    writer.int(Int64(interface))
    writer.value(peer)
    writer.uint(UInt64(servicePort))
    writer.byte(proto)
    writer.value(counts)
  }

  init(from reader: inout StateReader) throws(StateError) {
    self.init(
      interface: try reader.interface(), peer: try reader.value(),
      servicePort: UInt16(try reader.uint(atMost: UInt64(UInt16.max), "port")), proto: try reader.byte(),
      counts: try reader.value())
  }
}

extension PrivateEgressDetector.Key: StateCodable {
  func write(to writer: inout StateWriter) {
    writer.int(Int64(interface))
    writer.value(source)
  }

  init(from reader: inout StateReader) throws(StateError) {
    self.init(interface: try reader.interface(), source: try reader.value())
  }
}

extension PortScanDetector.SourceWindow: StateCodable {
  func write(to writer: inout StateWriter) {
    writer.value(source)
    writer.uint(UInt64(window))
  }

  init(from reader: inout StateReader) throws(StateError) {
    self.init(source: try reader.value(), window: UInt32(try reader.uint(atMost: UInt64(UInt32.max), "window")))
  }
}

extension PortScanDetector.PortProbe: StateCodable {
  func write(to writer: inout StateWriter) {
    writer.value(window)
    writer.uint(UInt64(port))
  }

  init(from reader: inout StateReader) throws(StateError) {
    let window: PortScanDetector.SourceWindow = try reader.value()
    self.init(window: window, port: UInt16(try reader.uint(atMost: UInt64(UInt16.max), "port")))
  }
}

extension PortScanDetector.WindowState: StateCodable {
  func write(to writer: inout StateWriter) {
    writer.value(ports)
    writer.value(counts)
  }

  init(from reader: inout StateReader) throws(StateError) {
    self.init(ports: try reader.value(), counts: try reader.value())
  }
}

extension PortScanDetector.ProbeState: StateCodable {
  func write(to writer: inout StateWriter) {
    writer.value(hosts)
    writer.value(counts)
  }

  init(from reader: inout StateReader) throws(StateError) {
    self.init(hosts: try reader.value(), counts: try reader.value())
  }
}
