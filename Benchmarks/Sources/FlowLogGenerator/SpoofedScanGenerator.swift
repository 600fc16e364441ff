/// A source of generated flow log text, record by record, that counts what it wrote.
public protocol FlowLogWriting {
  /// What was written so far.
  var expected: ExpectedTotals { get }
  /// Appends the S3 header line.
  mutating func appendHeader(to buffer: inout [UInt8])
  /// Appends one record.
  mutating func appendRecord(to buffer: inout [UInt8])
}

extension FlowLogGenerator: FlowLogWriting {}

/// The worst case for memory: every record from a source address not seen before (a spoofed
/// flood), hitting every table a detector keeps per source, with one real scanner hidden in it.
///
/// Records cycle through three kinds, each from a fresh source (sources walk the IPv4 space by an
/// odd stride, so the first 2^32 are all distinct and each /24 holds few of them):
/// - REJECTed probes to random ports of a few hosts (the port-scan tables);
/// - SSH ACCEPTed from the internet (the allow-list groups of the built-in `admin-exposure` rule);
/// - REJECTed reply-shaped records from port 443 to an ephemeral port (the rejected replies kept by
///   `nacl-return-blocked`).
/// Every `scannerEvery`-th record is instead the scanner ``scanner``: REJECTed on a new port of
/// 10.0.0.5 each time, all within one 600 s window, so a bounded audit must still report it.
public struct SpoofedScanGenerator: Sendable, FlowLogWriting {
  /// The hidden scanner's address.
  public static let scanner = "198.18.0.66"
  /// Every how many records the scanner probes again.
  public let scannerEvery: UInt64
  /// What was written so far.
  public private(set) var expected = ExpectedTotals()
  /// Probes the scanner made so far (each on a distinct port).
  public private(set) var scannerProbes: UInt64 = 0
  private var random: Xoshiro256
  private var source: UInt32 = 0x0100_0001
  private let start: UInt64 = 1_700_000_000

  /// A generator for `seed`; the scanner probes once per `scannerEvery` records.
  public init(seed: UInt64, scannerEvery: UInt64 = 10_000) {
    random = Xoshiro256(seed: seed)
    self.scannerEvery = max(2, scannerEvery)
  }

  /// The S3 header line of the default format.
  public mutating func appendHeader(to buffer: inout [UInt8]) {
    let line =
      "version account-id interface-id srcaddr dstaddr srcport dstport protocol packets bytes start end action log-status\n"
    buffer.append(contentsOf: line.utf8)
    expected.headers += 1
    expected.lines += 1
    expected.textBytes += UInt64(line.utf8.count)
  }

  /// Appends one record.
  public mutating func appendRecord(to buffer: inout [UInt8]) {
    let index = expected.records
    let before = buffer.count
    let time = start + (index & 511)  // all within one window: the worst case for the scan tables
    var srcaddr: UInt32
    var dstaddr: UInt32 = 0x0A00_0005  // 10.0.0.5
    var srcport: UInt64
    var dstport: UInt64
    var accept = false
    if index % scannerEvery == scannerEvery - 1 {
      srcaddr = 0xC612_0042  // 198.18.0.66
      srcport = 40_000
      dstport = 1 + scannerProbes % 65_535
      scannerProbes += 1
    } else {
      srcaddr = source
      source &+= 0x0001_0107  // odd: a full cycle of 2^32, and a new /24 almost every time
      switch index % 3 {
      case 0:
        srcport = 1024 + UInt64(random.below(60_000))
        dstport = 1 + UInt64(random.below(65_535))
        dstaddr = 0x0A00_0000 | UInt32(random.below(4) + 5)
      case 1:
        srcport = 1024 + UInt64(random.below(60_000))
        dstport = 22
        accept = true
      default:
        // A reply from 10.0.0.5:443 to the spoofed client, rejected on the way out.
        swap(&srcaddr, &dstaddr)
        srcport = 443
        dstport = 1024 + UInt64(random.below(60_000))
      }
    }
    var line = "2 123456789012 eni-0a1b2c3d4e5f60718 "
    line += Self.dotted(srcaddr) + " " + Self.dotted(dstaddr) + " \(srcport) \(dstport) 6 1 44 \(time) \(time + 1) "
    line += accept ? "ACCEPT OK\n" : "REJECT OK\n"
    buffer.append(contentsOf: line.utf8)
    expected.records += 1
    expected.lines += 1
    if accept { expected.accept += 1 } else { expected.reject += 1 }
    expected.packets += 1
    expected.bytes += 44
    expected.textBytes += UInt64(buffer.count - before)
    expected.interfaces = 1
    expected.interfacesWithTraffic = 1
    expected.firstStart = start
    expected.lastEnd = max(expected.lastEnd ?? 0, time + 1)
  }

  private static func dotted(_ a: UInt32) -> String {
    "\(a >> 24).\(a >> 16 & 255).\(a >> 8 & 255).\(a & 255)"
  }
}
