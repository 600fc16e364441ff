/// Generates realistic AWS VPC Flow Log text, deterministically from a seed, and counts what it
/// writes (``expected``) as an oracle independent of the flowlens parser.
///
/// The world: `interfaceCount` ENIs (`eni-` + 17 hex digits) in four accounts (one with a leading
/// zero) and eight VPCs over three regions, with Zipf-skewed traffic. Each connection is written as
/// a request record and a reply record (addresses and ports swapped) on the same ENI, and traffic
/// between two ENIs is recorded at both. The mix: HTTPS/HTTP, SSH, RDP, PostgreSQL, MySQL,
/// DNS over UDP, ICMP (ports 0); about 5% REJECT (port scanners sweeping many ports, blocked
/// SSH/RDP, ping replies denied by a network ACL), about 1% NODATA and 0.2% SKIPDATA records,
/// about 3% IPv6 records (compressed text such as `2600:1f18:4a3b:7c01::1a3f`). Times fall within
/// one UTC day with `end - start` between 1 and 600 seconds.
///
/// Records are written straight as bytes; nothing is allocated per record once `buffer` has grown.
/// The same seed gives the same flows in both layouts (only the columns differ).
public struct FlowLogGenerator {
  /// The columns written.
  public enum Layout: String, CaseIterable, Sendable {
    /// The 14 fields of the default format (version 2).
    case v2
    /// All 29 fields of versions 2-5 in AWS's table order; the version field is 5.
    case v5

    /// The field names in column order.
    public var fieldNames: [String] {
      let v2 = [
        "version", "account-id", "interface-id", "srcaddr", "dstaddr", "srcport", "dstport", "protocol",
        "packets", "bytes", "start", "end", "action", "log-status",
      ]
      switch self {
      case .v2: return v2
      case .v5:
        return v2 + [
          "vpc-id", "subnet-id", "instance-id", "tcp-flags", "type", "pkt-srcaddr", "pkt-dstaddr",
          "region", "az-id", "sublocation-type", "sublocation-id",
          "pkt-src-aws-service", "pkt-dst-aws-service", "flow-direction", "traffic-path",
        ]
      }
    }

    /// The S3 header line (without newline).
    public var headerLine: String { fieldNames.joined(separator: " ") }
  }

  /// Shares of the kinds of event (a connection writes 2 or 4 records, the others 1).
  public struct Mix: Sendable, Hashable {
    public var nodata = 0.025
    public var skipdata = 0.005
    public var scan = 0.10
    public var blocked = 0.025
    public var pingDeniedReply = 0.006
    /// Chance that an internet connection of an ENI with an IPv6 address uses IPv6.
    public var ipv6 = 0.14
    public init() {}
  }

  /// 2026-03-01T00:00:00Z, the default day.
  public static let defaultDay: UInt64 = 1_772_323_200

  public let seed: UInt64
  public let layout: Layout
  /// Unix seconds of the start of the day all records fall in.
  public let day: UInt64
  public let mix: Mix
  /// What has been written so far.
  public private(set) var expected = ExpectedTotals()

  private var rng: Xoshiro256
  private var world: Topology
  private var queue = FlowQueue()
  /// Per interface: bit 0 seen in any record, bit 1 seen in an OK record.
  private var seen: [UInt8]
  private let versionDigit: UInt8

  /// A generator.
  /// - Parameters:
  ///   - seed: Everything written is a function of the seed (and the other parameters).
  ///   - layout: The columns.
  ///   - interfaceCount: How many ENIs (at least 9).
  ///   - zipfExponent: Skew of traffic over ENIs (1.0: the busiest ENI carries ~16% of it with 300).
  ///   - day: Unix seconds of the UTC day the records fall in.
  public init(
    seed: UInt64, layout: Layout, interfaceCount: Int = 300, zipfExponent: Double = 1.0,
    day: UInt64 = FlowLogGenerator.defaultDay, mix: Mix = Mix()
  ) {
    self.seed = seed
    self.layout = layout
    self.day = day
    self.mix = mix
    rng = Xoshiro256(seed: seed)
    world = Topology(rng: &rng, interfaceCount: interfaceCount, zipfExponent: zipfExponent)
    seen = [UInt8](repeating: 0, count: interfaceCount)
    versionDigit = layout == .v2 ? UInt8(ascii: "2") : UInt8(ascii: "5")
  }

  // MARK: - Output

  /// Appends the S3 header line naming the layout's fields.
  public mutating func appendHeader(to buffer: inout [UInt8]) {
    let line = layout.headerLine + "\n"
    buffer.append(contentsOf: line.utf8)
    expected.headers += 1
    expected.lines += 1
    expected.textBytes += UInt64(line.utf8.count)
  }

  /// Appends one record line (with its newline).
  public mutating func appendRecord(to buffer: inout [UInt8]) {
    if queue.count < 8 || (queue.count <= FlowQueue.capacity - 4 && rng.next() & 1 == 0) {
      generateEvent()
    }
    let flow = queue.popFirst()
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 1024) { scratch in
      var w = ByteWriter(scratch.baseAddress!)
      write(flow, into: &w)
      buffer.append(contentsOf: UnsafeBufferPointer(start: scratch.baseAddress!, count: w.count))
    }
  }

  /// Appends records until `buffer` holds at least `count` bytes more (or `maxRecords` were added).
  public mutating func appendRecords(to buffer: inout [UInt8], bytes count: Int, maxRecords: UInt64 = .max) {
    let target = buffer.count + count
    var added: UInt64 = 0
    while buffer.count < target && added < maxRecords {
      appendRecord(to: &buffer)
      added += 1
    }
  }

  /// Generated text of about `bytes` bytes (whole lines, at least that many) and its totals.
  public static func sample(
    seed: UInt64, layout: Layout, bytes: Int, header: Bool = false
  ) -> (text: [UInt8], expected: ExpectedTotals) {
    var generator = FlowLogGenerator(seed: seed, layout: layout)
    var text: [UInt8] = []
    text.reserveCapacity(bytes + 1024)
    if header { generator.appendHeader(to: &text) }
    generator.appendRecords(to: &text, bytes: bytes - text.count)
    return (text, generator.expected)
  }

  private mutating func write(_ f: Flow, into w: inout ByteWriter) {
    let pool = world.pool.base
    let iface = world.interfaces[Int(f.interface)]
    let ok = f.status == .ok

    // Count first: the oracle is what is written below.
    expected.records += 1
    expected.lines += 1
    switch f.status {
    case .ok:
      if f.reject { expected.reject += 1 } else { expected.accept += 1 }
      expected.packets &+= f.packets
      expected.bytes &+= f.bytes
    case .nodata: expected.nodata += 1
    case .skipdata: expected.skipdata += 1
    }
    let mark = seen[Int(f.interface)]
    if mark & 1 == 0 { expected.interfaces += 1 }
    if ok && mark & 2 == 0 { expected.interfacesWithTraffic += 1 }
    seen[Int(f.interface)] = mark | 1 | (ok ? 2 : 0)
    expected.firstStart = min(expected.firstStart ?? f.start, f.start)
    expected.lastEnd = max(expected.lastEnd ?? f.end, f.end)

    w.byte(versionDigit)
    w.space()
    w.text(iface.account, pool)
    w.space()
    w.text(iface.id, pool)
    w.space()
    if ok {
      address(f.src, &w, pool)
      w.space()
      address(f.dst, &w, pool)
      w.space()
      w.decimal(UInt64(f.srcport))
      w.space()
      w.decimal(UInt64(f.dstport))
      w.space()
      w.decimal(UInt64(f.proto))
      w.space()
      w.decimal(f.packets)
      w.space()
      w.decimal(f.bytes)
      w.space()
    } else {
      w.literal("- - - - - - - ")
    }
    w.decimal(f.start)
    w.space()
    w.decimal(f.end)
    w.space()
    switch f.status {
    case .ok: w.literal(f.reject ? "REJECT OK" : "ACCEPT OK")
    case .nodata: w.literal("- NODATA")
    case .skipdata: w.literal("- SKIPDATA")
    }
    if layout == .v5 {
      w.space()
      w.text(iface.vpc, pool)
      w.space()
      w.text(iface.subnet, pool)
      w.space()
      w.text(iface.instance, pool)
      w.space()
      if ok {
        w.decimal(UInt64(f.tcpFlags))
        w.space()
        w.text(f.src.isIPv6 ? world.typeIPv6 : world.typeIPv4, pool)
        w.space()
        address(f.pktSrc, &w, pool)
        w.space()
        address(f.pktDst, &w, pool)
      } else {
        w.literal("- - - -")
      }
      w.space()
      w.text(iface.region, pool)
      w.space()
      w.text(iface.az, pool)
      w.space()
      w.text(iface.sublocationType, pool)
      w.space()
      w.text(iface.sublocationID, pool)
      w.space()
      if ok {
        w.text(world.serviceText[Int(f.srcService)], pool)
        w.space()
        w.text(world.serviceText[Int(f.dstService)], pool)
        w.space()
        w.text(f.egress ? world.egress : world.ingress, pool)
        w.space()
        if f.trafficPath == 0 { w.dash() } else { w.decimal(UInt64(f.trafficPath)) }
      } else {
        w.literal("- - - -")
      }
    }
    w.byte(0x0A)
    expected.textBytes += UInt64(w.count)
  }

  @inline(__always)
  private func address(_ a: Addr, _ w: inout ByteWriter, _ pool: UnsafeMutablePointer<UInt8>) {
    if a.isIPv6 { w.text(a.text, pool) } else { w.ipv4(a.v4) }
  }

  // MARK: - Events

  private mutating func generateEvent() {
    var r = rng.unit()
    r -= mix.nodata
    if r < 0 { return status(.nodata) }
    r -= mix.skipdata
    if r < 0 { return status(.skipdata) }
    r -= mix.scan
    if r < 0 { return scan() }
    r -= mix.blocked
    if r < 0 { return blockedInbound() }
    r -= mix.pingDeniedReply
    if r < 0 { return pingWithDeniedReply() }
    connection()
  }

  /// NODATA (an idle interface: any ENI) or SKIPDATA (a busy one), for a 1-10 minute window.
  private mutating func status(_ status: Flow.Status) {
    let e = status == .nodata ? rng.below(world.interfaces.count) : world.busy.pick(&rng)
    let start = day + UInt64(rng.below(86_400 - 600))
    var f = Flow(interface: Int32(e))
    f.status = status
    f.start = start
    f.end = start + 60 + UInt64(rng.below(541))
    queue.append(f)
  }

  /// One probe of a port sweep: a REJECT record for a SYN (or UDP/ICMP probe) from a scanner.
  private mutating func scan() {
    let s = rng.below(world.scanners.count)
    var scanner = world.scanners[s]
    if scanner.remaining == 0 {
      scanner.target = rng.below(world.interfaces.count)
      scanner.remaining = 20 + rng.below(200)
      scanner.cursor = 0
      scanner.sourcePort = ephemeralPort()
    }
    scanner.remaining -= 1
    let iface = world.interfaces[scanner.target]
    var f = Flow(interface: Int32(scanner.target))
    f.src = .v4(scanner.address)
    f.dst = .v4(iface.ipv4)
    f.srcport = scanner.sourcePort
    let kind = rng.below(100)
    if kind < 94 {
      f.proto = 6
      f.dstport =
        scanner.cursor < Self.scannedPorts.count ? Self.scannedPorts[scanner.cursor] : UInt16(1 + rng.below(65_535))
      f.tcpFlags = 2
    } else if kind < 98 {
      f.proto = 17
      f.dstport = Self.scannedUDPPorts[rng.below(Self.scannedUDPPorts.count)]
    } else {
      f.proto = 1
      f.srcport = 0
      f.dstport = 0
    }
    scanner.cursor += 1
    f.packets = rng.below(100) < 85 ? 1 : 2
    f.bytes = f.packets * (f.proto == 6 ? scanner.bytesPerPacket : 28 + UInt64(rng.below(40)))
    (f.start, f.end) = window()
    f.reject = true
    finish(&f, egress: false, path: 0)
    queue.append(f)
    world.scanners[s] = scanner
  }

  /// SSH/RDP/database port from the internet, denied by the security group: one REJECT record.
  private mutating func blockedInbound() {
    let e = rng.below(world.interfaces.count)
    let iface = world.interfaces[e]
    var f = Flow(interface: Int32(e))
    f.src = .v4(world.clientsV4[skewed(world.clientsV4.count)])
    f.dst = .v4(iface.ipv4)
    f.srcport = ephemeralPort()
    f.dstport = Self.blockedPorts[rng.below(Self.blockedPorts.count)]
    f.proto = 6
    f.tcpFlags = 2
    f.packets = UInt64(1 + rng.below(3))
    f.bytes = f.packets * 60
    (f.start, f.end) = window()
    f.reject = true
    finish(&f, egress: false, path: 0)
    queue.append(f)
  }

  /// An echo request from the internet accepted, its reply denied by a stateless network ACL
  /// (AWS's example pair A05/A06).
  private mutating func pingWithDeniedReply() {
    let e = world.busy.pick(&rng)
    let iface = world.interfaces[e]
    let n = UInt64(1 + rng.below(10))
    pair(
      at: e, client: .v4(world.clientsV4[skewed(world.clientsV4.count)]), server: .v4(iface.ipv4),
      clientPort: 0, serverPort: 0, proto: 1, clientIsLocal: false, path: internetPath(iface),
      volumes: Volumes(requestPackets: n, requestBytes: n * 84, replyPackets: n, replyBytes: n * 84),
      flags: (0, 0), time: window(), replyReject: true)
  }

  /// An accepted connection; what kind depends on the role of the (Zipf-picked) interface.
  private mutating func connection() {
    let e = world.busy.pick(&rng)
    let r = rng.below(1000)
    switch world.interfaces[e].role {
    case .web:
      if r < 700 {
        inboundInternet(e, port: r < 600 ? 443 : 80)
      } else if r < 820 {
        betweenInterfaces(client: e, server: pickServer(r & 1 == 0 ? .postgres : .mysql))
      } else if r < 920 {
        awsService(e)
      } else if r < 970 {
        dnsLookup(e)
      } else {
        betweenInterfaces(client: pickServer(.bastion), server: e, kind: .ping)
      }
    case .worker:
      if r < 450 {
        outboundInternet(e)
      } else if r < 700 {
        awsService(e)
      } else if r < 820 {
        dnsLookup(e)
      } else {
        betweenInterfaces(client: e, server: pickServer(r % 3 == 0 ? .postgres : r % 3 == 1 ? .mysql : .endpoint))
      }
    case .postgres, .mysql:
      let role = world.interfaces[e].role
      if r < 900 {
        betweenInterfaces(client: pickServer(r & 1 == 0 ? .web : .worker), server: e)
      } else if r < 950 {
        betweenInterfaces(client: pickServer(role), server: e)  // replication
      } else {
        betweenInterfaces(client: pickServer(.bastion), server: e, kind: .ping)
      }
    case .bastion:
      if r < 600 {
        inboundAdmin(e)
      } else {
        betweenInterfaces(client: e, server: world.busy.pick(&rng), kind: .ssh)
      }
    case .windows:
      if r < 600 {
        inboundVPN(e)
      } else if r < 900 {
        outboundInternet(e)
      } else {
        dnsLookup(e)
      }
    case .dns:
      if r < 800 {
        betweenInterfaces(client: world.busy.pick(&rng), server: e, kind: .dns)
      } else {
        let resolver = world.resolvers[rng.below(world.resolvers.count)]
        let iface = world.interfaces[e]
        pair(
          at: e, client: .v4(iface.ipv4), server: .v4(resolver), clientPort: ephemeralPort(), serverPort: 53,
          proto: 17, clientIsLocal: true, path: internetPath(iface), volumes: dnsVolumes(), flags: (0, 0),
          time: window())
      }
    case .nat:
      natForward(e)
    case .endpoint:
      betweenInterfaces(client: pickServer(r & 1 == 0 ? .web : .worker), server: e)
    }
  }

  /// HTTPS/HTTP from an internet client to the interface; IPv6 when both sides can.
  private mutating func inboundInternet(_ e: Int, port: UInt16) {
    let iface = world.interfaces[e]
    let v6 = iface.ipv6.count > 0 && rng.chance(mix.ipv6)
    let client: Addr =
      v6 ? .v6(world.clientsV6[skewed(world.clientsV6.count)]) : .v4(world.clientsV4[skewed(world.clientsV4.count)])
    let server: Addr = v6 ? .v6(iface.ipv6) : .v4(iface.ipv4)
    pair(
      at: e, client: client, server: server, clientPort: ephemeralPort(), serverPort: port, proto: 6,
      clientIsLocal: false, path: internetPath(iface), volumes: tcpVolumes(download: true, ipv6: v6),
      flags: tcpFlagPair(), time: window())
  }

  /// HTTPS from the interface to an internet server; IPv6 when both sides can.
  private mutating func outboundInternet(_ e: Int) {
    let iface = world.interfaces[e]
    let v6 = iface.ipv6.count > 0 && rng.chance(mix.ipv6)
    let server: Addr =
      v6 ? .v6(world.serversV6[skewed(world.serversV6.count)]) : .v4(world.serversV4[skewed(world.serversV4.count)])
    let client: Addr = v6 ? .v6(iface.ipv6) : .v4(iface.ipv4)
    pair(
      at: e, client: client, server: server, clientPort: ephemeralPort(), serverPort: 443, proto: 6,
      clientIsLocal: true, path: internetPath(iface), volumes: tcpVolumes(download: true, ipv6: v6),
      flags: tcpFlagPair(), time: window())
  }

  /// HTTPS to S3 or DynamoDB over a gateway endpoint, or to another AWS endpoint over the internet
  /// gateway; the pkt-dst-aws-service / pkt-src-aws-service fields name the service.
  private mutating func awsService(_ e: Int) {
    let iface = world.interfaces[e]
    let r = rng.below(10)
    let server: UInt32
    let service: UInt8
    let path: UInt8
    if r < 6 {
      server = (r < 4 ? 52 << 24 | 216 << 16 : 3 << 24 | 5 << 16) | UInt32(rng.below(65_536))
      service = Topology.serviceS3
      path = iface.nitro ? 7 : 2
    } else if r < 9 {
      server = 3 << 24 | 218 << 16 | UInt32(180 + rng.below(4)) << 8 | UInt32(rng.below(256))
      service = Topology.serviceDynamoDB
      path = iface.nitro ? 7 : 2
    } else {
      server = 54 << 24 | 239 << 16 | UInt32(rng.below(65_536))
      service = Topology.serviceAmazon
      path = internetPath(iface)
    }
    pair(
      at: e, client: .v4(iface.ipv4), server: .v4(server), clientPort: ephemeralPort(), serverPort: 443,
      proto: 6, clientIsLocal: true, path: path, volumes: tcpVolumes(download: r < 6, ipv6: false),
      flags: tcpFlagPair(), time: window(), serverService: service)
  }

  /// A DNS query over UDP: to a DNS-server ENI (recorded at both) or a public resolver.
  private mutating func dnsLookup(_ e: Int) {
    if rng.below(4) != 0 {
      betweenInterfaces(client: e, server: pickServer(.dns), kind: .dns)
    } else {
      let iface = world.interfaces[e]
      pair(
        at: e, client: .v4(iface.ipv4), server: .v4(world.resolvers[rng.below(world.resolvers.count)]),
        clientPort: ephemeralPort(), serverPort: 53, proto: 17, clientIsLocal: true, path: internetPath(iface),
        volumes: dnsVolumes(), flags: (0, 0), time: window())
    }
  }

  /// SSH from one of a few admin addresses on the internet.
  private mutating func inboundAdmin(_ e: Int) {
    let iface = world.interfaces[e]
    pair(
      at: e, client: .v4(world.adminHosts[rng.below(world.adminHosts.count)]), server: .v4(iface.ipv4),
      clientPort: ephemeralPort(), serverPort: 22, proto: 6, clientIsLocal: false, path: internetPath(iface),
      volumes: interactiveVolumes(), flags: tcpFlagPair(), time: window())
  }

  /// RDP from the corporate network (10.200.0.0/16) over the virtual private gateway.
  private mutating func inboundVPN(_ e: Int) {
    let iface = world.interfaces[e]
    let client: UInt32 = 10 << 24 | 200 << 16 | UInt32(rng.below(65_536))
    pair(
      at: e, client: .v4(client), server: .v4(iface.ipv4), clientPort: UInt16(49_152 + rng.below(16_384)),
      serverPort: 3389, proto: 6, clientIsLocal: false, path: 3, volumes: interactiveVolumes(),
      flags: tcpFlagPair(), time: window())
  }

  /// An instance reaching an internet server through a NAT gateway, as recorded on the NAT
  /// gateway's ENI (AWS's examples A16-A21): instance→NAT and NAT→internet, each with its reply.
  /// On the instance side the pkt-* addresses name the internet host.
  private mutating func natForward(_ e: Int) {
    let nat = world.interfaces[e]
    var instance = world.busy.pick(&rng)
    if world.interfaces[instance].role == .nat { instance = pickServer(.worker) }
    let inside = Addr.v4(world.interfaces[instance].ipv4)
    let natAddress = Addr.v4(nat.ipv4)
    let internet = Addr.v4(world.serversV4[skewed(world.serversV4.count)])
    let time = window()
    let volumes = tcpVolumes(download: true, ipv6: false)
    let flags = tcpFlagPair()
    let insidePort = ephemeralPort()
    let outsidePort = UInt16(1024 + rng.below(64_512))
    pair(
      at: e, client: inside, server: natAddress, clientPort: insidePort, serverPort: 443, proto: 6,
      clientIsLocal: false, path: 1, volumes: volumes, flags: flags, time: time, pktServer: internet)
    pair(
      at: e, client: natAddress, server: internet, clientPort: outsidePort, serverPort: 443, proto: 6,
      clientIsLocal: true, path: 2, volumes: volumes, flags: flags, time: time)
  }

  private enum InternalKind { case service, ssh, dns, ping }

  /// A connection between two monitored interfaces: recorded at the client's ENI and at the
  /// server's, each as a request and a reply (four records).
  private mutating func betweenInterfaces(client c: Int, server s: Int, kind: InternalKind = .service) {
    let server = world.interfaces[s]
    let port: UInt16
    let proto: UInt8
    var volumes: Volumes
    var flags: (UInt8, UInt8) = (0, 0)
    switch kind {
    case .service:
      port = server.role == .postgres ? 5432 : server.role == .mysql ? 3306 : 443
      proto = 6
      volumes = tcpVolumes(download: true, ipv6: false)
      flags = tcpFlagPair()
    case .ssh:
      port = 22
      proto = 6
      volumes = interactiveVolumes()
      flags = tcpFlagPair()
    case .dns:
      port = 53
      proto = 17
      volumes = dnsVolumes()
    case .ping:
      port = 0
      proto = 1
      let n = UInt64(1 + rng.below(5))
      volumes = Volumes(requestPackets: n, requestBytes: n * 84, replyPackets: n, replyBytes: n * 84)
    }
    let clientPort = proto == 1 ? 0 : ephemeralPort()
    let time = window()
    if c == s {
      // No self-connections: the client is then on the corporate network instead.
      let outside = Addr.v4(10 << 24 | 200 << 16 | UInt32(rng.below(65_536)))
      pair(
        at: s, client: outside, server: .v4(server.ipv4), clientPort: clientPort, serverPort: port, proto: proto,
        clientIsLocal: false, path: 3, volumes: volumes, flags: flags, time: time)
      return
    }
    let client = world.interfaces[c]
    let path: UInt8 =
      client.vpcIndex == server.vpcIndex ? 1 : client.regionIndex == server.regionIndex ? 4 : 5
    let (clientRequest, clientReply) = makePair(
      at: c, client: .v4(client.ipv4), server: .v4(server.ipv4), clientPort: clientPort, serverPort: port,
      proto: proto, clientIsLocal: true, path: path, volumes: volumes, flags: flags, time: time)
    let (serverRequest, serverReply) = makePair(
      at: s, client: .v4(client.ipv4), server: .v4(server.ipv4), clientPort: clientPort, serverPort: port,
      proto: proto, clientIsLocal: false, path: path, volumes: volumes, flags: flags, time: time)
    queue.append(clientRequest)
    queue.append(serverRequest)
    queue.append(serverReply)
    queue.append(clientReply)
  }

  // MARK: - Building records

  private struct Volumes {
    var requestPackets: UInt64
    var requestBytes: UInt64
    var replyPackets: UInt64
    var replyBytes: UInt64
  }

  private mutating func pair(
    at e: Int, client: Addr, server: Addr, clientPort: UInt16, serverPort: UInt16, proto: UInt8,
    clientIsLocal: Bool, path: UInt8, volumes: Volumes, flags: (UInt8, UInt8), time: (UInt64, UInt64),
    replyReject: Bool = false, serverService: UInt8 = 0, pktServer: Addr? = nil
  ) {
    let (request, reply) = makePair(
      at: e, client: client, server: server, clientPort: clientPort, serverPort: serverPort, proto: proto,
      clientIsLocal: clientIsLocal, path: path, volumes: volumes, flags: flags, time: time,
      replyReject: replyReject, serverService: serverService, pktServer: pktServer)
    queue.append(request)
    queue.append(reply)
  }

  /// The request record (client → server) and the reply (server → client), on interface `e`.
  private mutating func makePair(
    at e: Int, client: Addr, server: Addr, clientPort: UInt16, serverPort: UInt16, proto: UInt8,
    clientIsLocal: Bool, path: UInt8, volumes: Volumes, flags: (UInt8, UInt8), time: (UInt64, UInt64),
    replyReject: Bool = false, serverService: UInt8 = 0, pktServer: Addr? = nil
  ) -> (Flow, Flow) {
    var request = Flow(interface: Int32(e))
    request.src = client
    request.dst = server
    request.pktSrc = client
    request.pktDst = pktServer ?? server
    request.srcport = clientPort
    request.dstport = serverPort
    request.proto = proto
    request.packets = volumes.requestPackets
    request.bytes = volumes.requestBytes
    request.tcpFlags = flags.0
    request.start = time.0
    request.end = time.1
    request.dstService = serverService
    request.egress = clientIsLocal
    request.trafficPath = clientIsLocal ? path : 0

    var reply = Flow(interface: Int32(e))
    reply.src = server
    reply.dst = client
    reply.pktSrc = pktServer ?? server
    reply.pktDst = client
    reply.srcport = serverPort
    reply.dstport = clientPort
    reply.proto = proto
    reply.packets = volumes.replyPackets
    reply.bytes = volumes.replyBytes
    reply.tcpFlags = flags.1
    // The reply's first packet can come a second later, within the same interval.
    reply.start = time.1 - time.0 >= 2 ? time.0 + UInt64(rng.below(2)) : time.0
    reply.end = time.1
    reply.srcService = serverService
    reply.egress = !clientIsLocal
    reply.trafficPath = clientIsLocal ? 0 : path
    reply.reject = replyReject
    return (request, reply)
  }

  private func finish(_ f: inout Flow, egress: Bool, path: UInt8) {
    f.pktSrc = f.src
    f.pktDst = f.dst
    f.egress = egress
    f.trafficPath = egress ? path : 0
  }

  /// A start within the day and an end 1-600 s later (mostly within a minute, as on Nitro).
  @inline(__always)
  private mutating func window() -> (UInt64, UInt64) {
    let start = day + UInt64(rng.below(86_400 - 600))
    let duration = rng.below(100) < 80 ? 1 + rng.below(60) : 1 + rng.below(600)
    return (start, start + UInt64(duration))
  }

  @inline(__always)
  private mutating func ephemeralPort() -> UInt16 {
    UInt16(32_768 + rng.below(32_768))
  }

  /// An index in `0..<n` skewed towards 0 (a few heavy hitters, a long tail).
  @inline(__always)
  private mutating func skewed(_ n: Int) -> Int {
    let u = rng.unit()
    return min(n - 1, Int(u * u * u * Double(n)))
  }

  private mutating func pickServer(_ role: Role) -> Int {
    world.byRole[Int(role.rawValue)].pick(&rng)
  }

  private func internetPath(_ iface: Interface) -> UInt8 {
    iface.role == .nat ? 2 : iface.nitro ? 8 : 2
  }

  /// TCP flags OR-ed over the interval for (request, reply): a whole short connection (3, 19),
  /// its opening (2, 18), the middle of a long one (0, 0) or its end (1, 1).
  private mutating func tcpFlagPair() -> (UInt8, UInt8) {
    let r = rng.below(100)
    if r < 62 { return (3, 19) }
    if r < 80 { return (2, 18) }
    if r < 94 { return (0, 0) }
    return (1, 1)
  }

  /// Heavy-tailed packet counts (log-uniform up to 1024, 0.5% elephants up to 2^16) and bytes per
  /// packet between 40 (IPv6: 60) and 1500; replies carry the bulk when `download`.
  private mutating func tcpVolumes(download: Bool, ipv6: Bool) -> Volumes {
    var k = rng.below(11)
    if rng.below(200) == 0 { k = 11 + rng.below(6) }
    let requestPackets = UInt64(1 + rng.below(1 << k))
    let replyPackets = max(1, requestPackets * UInt64(60 + rng.below(90)) / 100)
    let header: UInt64 = ipv6 ? 60 : 40
    let requestSize = header + UInt64(rng.below(download ? 360 : 1460))
    let replySize = header + UInt64(rng.below(download ? 1460 : 360))
    return Volumes(
      requestPackets: requestPackets, requestBytes: requestPackets * requestSize,
      replyPackets: replyPackets, replyBytes: replyPackets * replySize)
  }

  private mutating func interactiveVolumes() -> Volumes {
    let packets = UInt64(10 + rng.below(3000))
    return Volumes(
      requestPackets: packets, requestBytes: packets * UInt64(52 + rng.below(150)),
      replyPackets: packets + UInt64(rng.below(200)), replyBytes: packets * UInt64(80 + rng.below(900)))
  }

  private mutating func dnsVolumes() -> Volumes {
    let packets = UInt64(1 + rng.below(2))
    return Volumes(
      requestPackets: packets, requestBytes: packets * UInt64(60 + rng.below(40)),
      replyPackets: packets, replyBytes: packets * UInt64(80 + rng.below(432)))
  }

  static let scannedPorts: [UInt16] = [
    22, 23, 80, 443, 3389, 445, 21, 25, 8080, 3306, 5432, 1433, 6379, 9200, 27017, 5900, 8443, 110, 143,
    135, 139, 993, 995, 1521, 1723, 2375, 5060, 5985, 6443, 7001, 8000, 8888, 9000, 9090, 10250, 11211,
  ]
  static let blockedPorts: [UInt16] = [22, 22, 3389, 3389, 5432, 3306, 23, 445]
  static let scannedUDPPorts: [UInt16] = [53, 123, 161, 500, 1900, 5353, 11211]
}

/// One record to write.
struct Flow {
  enum Status: UInt8 { case ok, nodata, skipdata }

  var interface: Int32
  var src = Addr.v4(0)
  var dst = Addr.v4(0)
  var pktSrc = Addr.v4(0)
  var pktDst = Addr.v4(0)
  var srcport: UInt16 = 0
  var dstport: UInt16 = 0
  var proto: UInt8 = 6
  var status = Status.ok
  var reject = false
  var egress = false
  var tcpFlags: UInt8 = 0
  /// 0 writes `-`.
  var trafficPath: UInt8 = 0
  /// Indices into `Topology.serviceNames` (0 writes `-`).
  var srcService: UInt8 = 0
  var dstService: UInt8 = 0
  var packets: UInt64 = 0
  var bytes: UInt64 = 0
  var start: UInt64 = 0
  var end: UInt64 = 0

  init(interface: Int32) { self.interface = interface }
}

/// A small FIFO of records waiting to be written, so that a connection's records interleave with
/// other connections' as they do in real files.
struct FlowQueue {
  static let capacity = 64
  private var slots = [Flow](repeating: Flow(interface: 0), count: FlowQueue.capacity)
  private var head = 0
  private(set) var count = 0

  @inline(__always)
  mutating func append(_ flow: Flow) {
    precondition(count < Self.capacity)
    slots[(head + count) & (Self.capacity - 1)] = flow
    count += 1
  }

  @inline(__always)
  mutating func popFirst() -> Flow {
    let flow = slots[head]
    head = (head + 1) & (Self.capacity - 1)
    count -= 1
    return flow
  }
}
