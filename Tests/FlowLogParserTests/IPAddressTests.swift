import FlowLogParser
import Testing

@Suite("IP addresses")
struct IPAddressTests {
  @Test(
    "IPv4 text",
    arguments: [
      ("0.0.0.0", UInt32(0)), ("10.0.1.5", 0x0A00_0105), ("255.255.255.255", 0xFFFF_FFFF),
      ("172.31.16.139", 0xAC1F_108B), ("1.2.3.4", 0x0102_0304),
    ])
  func ipv4(text: String, value: UInt32) throws {
    let address = try #require(IPAddress(text: text))
    #expect(!address.isIPv6)
    #expect(address.ipv4 == value)
    #expect(address.description == text)
  }

  @Test(
    "IPv6 text forms (RFC 4291) print in RFC 5952 form",
    arguments: [
      ("2001:0db8:0000:0000:0000:ff00:0042:8329", "2001:db8::ff00:42:8329"),
      ("2001:db8::ff00:42:8329", "2001:db8::ff00:42:8329"),
      ("::", "::"),
      ("::1", "::1"),
      ("1::", "1::"),
      ("2001:DB8::1", "2001:db8::1"),
      ("2001:db8:0:0:1:0:0:1", "2001:db8::1:0:0:1"),  // first of two equal runs
      ("2001:0:0:1:0:0:0:1", "2001:0:0:1::1"),  // the longer run
      ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),  // a single zero group is not ::
      ("::ffff:192.0.2.1", "::ffff:c000:201"),
      ("64:ff9b::192.0.2.33", "64:ff9b::c000:221"),
      ("2600:1f14:fb:4b00:48a2:f44f:1b7:3e4e", "2600:1f14:fb:4b00:48a2:f44f:1b7:3e4e"),
      ("fe80:0000:0000:0000:0204:61ff:fe9d:f156", "fe80::204:61ff:fe9d:f156"),
      ("1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"),
      ("::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8"),
    ])
  func ipv6(text: String, canonical: String) throws {
    let address = try #require(IPAddress(text: text))
    #expect(address.isIPv6)
    #expect(address.description == canonical)
    #expect(IPAddress(text: canonical) == address)
  }

  @Test(
    "invalid address text is rejected, never trapped on",
    arguments: [
      "", "-", "1.2.3", "1.2.3.4.5", "256.0.0.1", "1.2.3.04", "01.2.3.4", "1..2.3", "a.b.c.d", "1.2.3.4 ",
      ":", ":::", "1:::2", "2001:db8::1::2", "12345::", "1:2:3:4:5:6:7:8:9", "1:2:3:4:5:6:7", "g::1",
      "::1.2.3", "1:2:3:4:5:6:7:1.2.3.4", ":1::", "1:", "::ffff:256.1.1.1", "1.2.3.4::",
      "2001:db8:0:0:0:0:0:0:0", String(repeating: "1", count: 60),
    ])
  func invalid(text: String) {
    #expect(IPAddress(text: text) == nil)
  }

  @Test(
    "masking to a prefix",
    arguments: [
      ("203.0.113.77", 24, "203.0.113.0"), ("203.0.113.77", 32, "203.0.113.77"), ("203.0.113.77", 0, "0.0.0.0"),
      ("203.0.113.77", 17, "203.0.0.0"), ("2001:db8:1234:5678:9abc::1", 64, "2001:db8:1234:5678::"),
      ("2001:db8:1234:5678:9abc::1", 48, "2001:db8:1234::"),
      ("2001:db8:1234:5678:9abc::1", 72, "2001:db8:1234:5678:9a00::"),
      ("2001:db8::1", 128, "2001:db8::1"), ("2001:db8::1", 0, "::"),
    ])
  func masking(text: String, prefix: Int, expected: String) throws {
    let address = try #require(IPAddress(text: text))
    #expect(address.masked(toPrefix: prefix).description == expected)
  }

  @Test("IPv4 and IPv6 of the same bits differ")
  func familiesDiffer() throws {
    let v4 = try #require(IPAddress(text: "0.0.0.1"))
    let v6 = try #require(IPAddress(text: "::1"))
    #expect(v4 != v6)
    #expect(v4 < v6)
  }
}
