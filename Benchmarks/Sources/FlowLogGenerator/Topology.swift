#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// What an interface does; decides which connections it takes part in.
enum Role: UInt8, CaseIterable, Sendable {
  /// Web/API server: HTTPS/HTTP from the internet; client of databases, AWS services and DNS.
  case web
  /// Batch worker: HTTPS out to the internet and AWS services.
  case worker
  /// PostgreSQL server (5432) for web and worker clients.
  case postgres
  /// MySQL server (3306).
  case mysql
  /// SSH bastion: SSH from a few admin addresses, SSH into other hosts.
  case bastion
  /// Windows host: RDP (3389) from the corporate VPN over the virtual private gateway.
  case windows
  /// DNS server (53/udp) that forwards to public resolvers.
  case dns
  /// NAT gateway ENI (requester-managed: instance-id `-`); pkt-* addresses differ from src/dst.
  case nat
  /// Interface VPC endpoint ENI (requester-managed): HTTPS from inside the VPC.
  case endpoint
}

/// One network interface and the metadata the v3-v5 fields show for it.
struct Interface {
  var id: TextRef
  var account: TextRef
  var vpc: TextRef
  var subnet: TextRef
  var instance: TextRef
  var region: TextRef
  var az: TextRef
  var sublocationType: TextRef
  var sublocationID: TextRef
  var ipv4: UInt32
  /// Empty when the interface has no IPv6 address.
  var ipv6: TextRef
  var role: Role
  var vpcIndex: Int
  var regionIndex: Int
  /// Nitro instances report traffic-path 7/8 instead of 2 for gateway endpoint / internet gateway.
  var nitro: Bool
}

/// An address as written: IPv4 from its value, or IPv6 text from the pool.
struct Addr {
  var v4: UInt32
  var text: TextRef

  static func v4(_ value: UInt32) -> Addr { Addr(v4: value, text: .empty) }
  static func v6(_ text: TextRef) -> Addr { Addr(v4: 0, text: text) }

  var isIPv6: Bool { text.count > 0 }
}

/// Picks an index with fixed weights (binary search over the cumulative sum).
struct WeightedPicker {
  var items: [Int]
  var cumulative: [Double]

  init(items: [Int], weights: [Double]) {
    precondition(!items.isEmpty && items.count == weights.count)
    self.items = items
    var sum = 0.0
    cumulative = weights.map { w in
      sum += w
      return sum
    }
    for i in cumulative.indices { cumulative[i] /= sum }
  }

  @inline(__always)
  func pick(_ rng: inout Xoshiro256) -> Int {
    let u = rng.unit()
    var lo = 0
    var hi = cumulative.count - 1
    while lo < hi {
      let mid = (lo + hi) >> 1
      if cumulative[mid] > u { hi = mid } else { lo = mid + 1 }
    }
    return items[lo]
  }
}

/// A source of port scans: sweeps one interface's ports, then moves to another.
struct Scanner {
  var address: UInt32
  var target = 0
  var remaining = 0
  var cursor = 0
  var sourcePort: UInt16 = 0
  var bytesPerPacket: UInt64
}

/// The fixed world a generator draws connections from: accounts, VPCs, subnets, interfaces,
/// internet peers. Built once from the seed.
struct Topology {
  static let accounts = ["123456789010", "098765432109", "210987654321", "444455556666"]
  static let accountWeights = [0.58, 0.22, 0.12, 0.08]

  /// Region name, AZ ids, and the IPv6 prefix AWS allocates from there.
  static let regions: [(name: String, azs: [String], ipv6: String)] = [
    ("us-east-1", ["use1-az1", "use1-az2", "use1-az4", "use1-az6"], "2600:1f18"),
    ("eu-west-1", ["euw1-az1", "euw1-az2", "euw1-az3"], "2a05:d018"),
    ("ap-southeast-2", ["apse2-az1", "apse2-az2", "apse2-az3"], "2406:da1c"),
  ]

  /// Roles by traffic rank, repeating: the busiest interfaces are a fixed mix of roles, so the
  /// traffic mix does not swing with the seed.
  static let rolePattern: [Role] = [
    .web, .worker, .postgres, .web, .windows, .worker, .endpoint, .web, .nat, .mysql,
    .worker, .web, .dns, .worker, .web, .windows, .postgres, .web, .worker, .endpoint,
    .web, .worker, .mysql, .web, .windows, .worker, .bastion, .web, .nat, .worker,
    .web, .postgres, .worker, .web, .windows, .endpoint, .worker, .web, .mysql, .worker,
    .web, .windows, .worker, .web, .dns, .web, .worker, .web, .worker, .web,
  ]

  /// First octets of public IPv4 space used for internet peers.
  static let publicFirstOctets: [UInt32] = [
    3, 13, 18, 23, 34, 35, 44, 50, 52, 54, 63, 66, 68, 71, 73, 76, 81, 88, 91, 98, 104, 107, 129,
    142, 151, 157, 162, 165, 173, 185, 188, 193, 203, 209, 212, 217,
  ]

  static let ipv6ClientPrefixes = ["2a02:cf40", "2001:67c:2e8", "2604:a880:400", "2a01:4f8:c0c", "2400:cb00:2049"]
  static let ipv6ServerPrefixes = ["2606:4700", "2a04:4e42", "2620:1ec:bdf", "2607:f8b0:4004:c1b"]

  /// pkt-*-aws-service values, index 0 meaning `-`.
  static let serviceNames = ["-", "S3", "DYNAMODB", "AMAZON"]
  static let serviceS3: UInt8 = 1
  static let serviceDynamoDB: UInt8 = 2
  static let serviceAmazon: UInt8 = 3

  var interfaces: [Interface] = []
  /// By traffic (Zipf over the interface index).
  var busy: WeightedPicker
  /// The same weights restricted to each role (indexed by `Role.rawValue`).
  var byRole: [WeightedPicker] = []
  var clientsV4: [UInt32] = []
  var clientsV6: [TextRef] = []
  var serversV4: [UInt32] = []
  var serversV6: [TextRef] = []
  var adminHosts: [UInt32] = []
  var resolvers: [UInt32] = [0x0101_0101, 0x0808_0808, 0x0808_0404, 0x0909_0909]
  var scanners: [Scanner] = []
  var serviceText: [TextRef] = []
  var dash: TextRef
  var ingress: TextRef
  var egress: TextRef
  var typeIPv4: TextRef
  var typeIPv6: TextRef
  var pool: TextPool

  init(rng: inout Xoshiro256, interfaceCount: Int, zipfExponent: Double) {
    precondition(interfaceCount >= Role.allCases.count, "need at least one interface per role")
    var text = TextPoolBuilder()
    dash = text.add("-")
    ingress = text.add("ingress")
    egress = text.add("egress")
    typeIPv4 = text.add("IPv4")
    typeIPv6 = text.add("IPv6")
    serviceText = Self.serviceNames.map { text.add($0) }
    let accountRefs = Self.accounts.map { text.add($0) }
    let accountPicker = WeightedPicker(items: Array(accountRefs.indices), weights: Self.accountWeights)

    // VPCs: two per account, in a region chosen per VPC; four subnets each.
    struct Subnet {
      var id: TextRef
      var az: TextRef
      var thirdOctetBase: UInt32
      var ipv6Prefix: String
    }
    struct VPC {
      var id: TextRef
      var account: Int
      var region: Int
      var secondOctet: UInt32
      var subnets: [Subnet]
    }
    var vpcs: [VPC] = []
    let regionRefs = Self.regions.map { text.add($0.name) }
    for account in accountRefs.indices {
      for k in 0..<2 {
        let region = (account + k) % Self.regions.count
        let vpcID = text.add("vpc-" + Hex.fixed(rng.next(), digits: 17))
        let v6Site = Hex.group(UInt16(truncatingIfNeeded: rng.next()) | 0x1000)
        let azs = Self.regions[region].azs
        var subnets: [Subnet] = []
        for s in 0..<4 {
          subnets.append(
            Subnet(
              id: text.add("subnet-" + Hex.fixed(rng.next(), digits: 17)),
              az: text.add(azs[s % azs.count]),
              thirdOctetBase: UInt32(s * 32),
              ipv6Prefix: "\(Self.regions[region].ipv6):\(v6Site):\(Hex.group(UInt16(0x7c00 + s)))::"))
        }
        vpcs.append(
          VPC(id: vpcID, account: account, region: region, secondOctet: UInt32(10 + vpcs.count * 8), subnets: subnets))
      }
    }

    // Interfaces: index = traffic rank.
    var interfaces: [Interface] = []
    var usedIDs = Set<UInt64>()
    var usedIPv4 = Set<UInt32>()
    let outpostType = text.add("outpost")
    let outpostID = text.add("op-0d5e3c6bf2a1e7c94")
    let localZoneType = text.add("localzone")
    let localZoneID = text.add("use1-bos1-az1")
    for i in 0..<interfaceCount {
      let role = Self.rolePattern[i % Self.rolePattern.count]
      let account = accountPicker.pick(&rng)
      let vpcChoices = vpcs.indices.filter { vpcs[$0].account == account }
      let vpcIndex = vpcChoices[rng.below(vpcChoices.count)]
      let vpc = vpcs[vpcIndex]
      let subnet = vpc.subnets[rng.below(vpc.subnets.count)]
      var idBits = rng.next()
      while !usedIDs.insert(idBits).inserted { idBits = rng.next() }
      var ipv4: UInt32
      repeat {
        ipv4 =
          10 << 24 | vpc.secondOctet << 16 | (subnet.thirdOctetBase + UInt32(rng.below(32))) << 8
          | UInt32(4 + rng.below(250))
      } while !usedIPv4.insert(ipv4).inserted
      let requesterManaged = role == .nat || role == .endpoint
      // Dual stack on a fixed 3 in 5 by rank, so the IPv6 share does not swing with the seed.
      let hasIPv6 = !requesterManaged && i % 5 != 2 && i % 5 != 4
      var iface = Interface(
        id: text.add("eni-" + Hex.fixed(idBits, digits: 17)),
        account: accountRefs[account],
        vpc: vpc.id,
        subnet: subnet.id,
        instance: requesterManaged ? dash : text.add("i-" + Hex.fixed(rng.next(), digits: 17)),
        region: regionRefs[vpc.region],
        az: subnet.az,
        sublocationType: dash,
        sublocationID: dash,
        ipv4: ipv4,
        ipv6: hasIPv6 ? text.add(subnet.ipv6Prefix + Hex.group(UInt16(truncatingIfNeeded: rng.next()) | 0x10)) : .empty,
        role: role,
        vpcIndex: vpcIndex,
        regionIndex: vpc.region,
        nitro: rng.chance(0.8))
      // A few interfaces live in an Outpost or a Local Zone: az-id is `-` there.
      if i % 97 == 41 && vpc.region == 0 {
        iface.az = dash
        iface.sublocationType = i % 2 == 0 ? outpostType : localZoneType
        iface.sublocationID = i % 2 == 0 ? outpostID : localZoneID
      }
      interfaces.append(iface)
    }

    self.interfaces = interfaces
    let weights = (0..<interfaceCount).map { 1.0 / pow(Double($0 + 1), zipfExponent) }
    busy = WeightedPicker(items: Array(0..<interfaceCount), weights: weights)
    var byRole: [WeightedPicker] = []
    for role in Role.allCases {
      let members = (0..<interfaceCount).filter { interfaces[$0].role == role }
      byRole.append(WeightedPicker(items: members, weights: members.map { weights[$0] }))
    }
    self.byRole = byRole

    func publicIPv4(_ rng: inout Xoshiro256) -> UInt32 {
      let first = Self.publicFirstOctets[rng.below(Self.publicFirstOctets.count)]
      return first << 24 | UInt32(truncatingIfNeeded: rng.next() >> 48) << 8 | UInt32(1 + rng.below(254))
    }
    clientsV4 = (0..<4096).map { _ in publicIPv4(&rng) }
    serversV4 = (0..<1024).map { _ in publicIPv4(&rng) }
    adminHosts = (0..<6).map { _ in publicIPv4(&rng) }
    clientsV6 = (0..<256).map { _ in
      let prefix = Self.ipv6ClientPrefixes[rng.below(Self.ipv6ClientPrefixes.count)]
      let a = Hex.group(UInt16(truncatingIfNeeded: rng.next()))
      let b = Hex.group(UInt16(truncatingIfNeeded: rng.next()) | 1)
      return text.add(rng.chance(0.5) ? "\(prefix)::\(a):\(b)" : "\(prefix):\(a)::\(b)")
    }
    serversV6 = (0..<64).map { _ in
      let prefix = Self.ipv6ServerPrefixes[rng.below(Self.ipv6ServerPrefixes.count)]
      return text.add("\(prefix)::\(Hex.group(UInt16(truncatingIfNeeded: rng.next()) | 1))")
    }
    let scannerOctets: [UInt32] = [45, 185, 193, 89, 162, 198, 71, 209]
    scanners = scannerOctets.map { first in
      Scanner(
        address: first << 24 | UInt32(truncatingIfNeeded: rng.next() >> 48) << 8 | UInt32(1 + rng.below(254)),
        bytesPerPacket: [40, 44, 60][rng.below(3)])
    }
    pool = TextPool(text.bytes)
  }
}
