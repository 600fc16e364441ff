/// The policy file `flowlens policy init` writes: the built-in policy (``Policy/builtIn``) spelled out,
/// every detector with its default settings, and comments that explain each section.
public enum PolicyTemplate {
  /// The commented YAML text. ``PolicyParser`` reads it back as exactly ``Policy/builtIn``.
  public static let yaml = """
    # flowlens policy: what your network is meant to allow.
    #
    # Use it with `flowlens audit --policy <this file>`. As written, this file is exactly the
    # built-in policy flowlens applies without --policy; edit it to describe your network.
    # Unknown keys are errors, so a misspelt key is reported rather than ignored.

    # The format version. Required; must be 1.
    version: 1

    # Named sets of addresses, used by the rules and detectors below.
    # Each name maps to a list of IPv4 or IPv6 CIDRs (network addresses: 10.0.0.0/8, not 10.0.0.1/8),
    # bare addresses (a /32 or /128), or the names of other networks (which must not refer back to
    # each other in a cycle).
    # Names start with a letter and hold letters, digits, '-', '_' or '.'.
    networks:
      # Private address space: RFC 1918 and RFC 4193 (unique local IPv6).
      private:
        - 10.0.0.0/8
        - 172.16.0.0/12
        - 192.168.0.0/16
        - fc00::/7
      # Your office or VPN egress ranges, for example:
      # corporate:
      #   - 198.51.100.0/24
      #   - 2001:db8:100::/48
      # A network made of other networks:
      # trusted: [private, corporate]

    # Allow-list rules. Traffic to a rule's ports (over its protocol, to its destinations) is
    # allowed only from the sources in `allow_from`; from anywhere else it is a finding.
    #   id          required; a unique name, reported with each finding
    #   ports       required; port numbers 0-65535 and "low-high" ranges, such as [22, "8000-8100"]
    #   protocol    tcp, udp, icmp, icmpv6, any, or a protocol number 0-255 (default: any)
    #   allow_from  required; network names, CIDRs or addresses ([] allows no source at all)
    #   to          the destinations the rule covers: network names, CIDRs or addresses
    #               (default: every destination)
    #   severity    info, low, medium, high or critical (default: high)
    #   remedy      the fix to suggest with each finding (default: a generic hint)
    rules:
      # SSH, RDP, WinRM (HTTP and HTTPS) and Telnet.
      - id: admin-exposure
        ports: [22, 3389, 5985, 5986, 23]
        protocol: tcp
        allow_from: [private]
        severity: high
        remedy: "Remove 0.0.0.0/0 and ::/0 from security group rules for admin ports; reach instances through SSM Session Manager, a bastion or a VPN."

      # MySQL, PostgreSQL, SQL Server, Oracle, MongoDB, Redis, Elasticsearch/OpenSearch, Memcached
      # and Redshift.
      - id: database-exposure
        ports: [3306, 5432, 1433, 1521, 27017, 6379, 9200, 11211, 5439]
        protocol: tcp
        allow_from: [private]
        severity: critical
        remedy: "Keep databases in private subnets; allow their ports only from the application's security group."

      # With the `corporate` network above, a rule that keeps internal dashboards to the office:
      # - id: dashboards-from-corporate
      #   ports: [8080, "8443-8445"]
      #   protocol: tcp
      #   allow_from: [corporate]
      #   to: [10.0.0.0/16]
      #   severity: medium
      #   remedy: "Reach the dashboards through the office network or the VPN."
      #
      # To let the office reach the admin ports too, write `allow_from: [private, corporate]`
      # in admin-exposure.

    # The built-in detectors, each shown with its default settings. Every detector is on by default;
    # turn one off with `enabled: false` (or write, say, `port_scan: false`). A detector left out of
    # this section keeps its defaults.
    detectors:
      # One source REJECTed on many ports (a scan), or on many hosts of one port (a sweep), within
      # a window.
      port_scan:
        enabled: true
        min_ports: 20          # distinct destination ports that make a scan
        min_hosts: 20          # distinct destination hosts on one port that make a sweep
        window_seconds: 600    # windows are aligned to the Unix epoch
        severity: medium

      # An ACCEPTed flow whose reply is REJECTed on the same interface: a stateless network ACL
      # dropping return traffic (usually the ephemeral ports 1024-65535).
      nacl_return_blocked:
        enabled: true
        window_seconds: 600    # the flow and its rejected reply must share a window (epoch-aligned)
        severity: medium

      # Traffic through a NAT gateway or internet gateway to a service that a (free) gateway VPC
      # endpoint would carry.
      nat_endpoint_candidate:
        enabled: true
        services: [S3, DYNAMODB]   # pkt-dst-aws-service values a gateway endpoint serves
        destinations: []           # those services' ranges, for logs without pkt-dst-aws-service,
                                   # for example [52.216.0.0/15]
        nat_interfaces: []         # NAT gateway interfaces, for logs without interface-type,
                                   # for example [eni-0123456789abcdef0]
        cost_per_gb: 0.045         # NAT gateway data processing charge in USD per GB (10^9 bytes)
        severity: low

      # Interfaces in private subnets whose egress takes an internet gateway path. Does nothing
      # until `subnets` names the private subnets: subnet ids (subnet-...), CIDRs or network names.
      private_egress_path:
        enabled: true
        subnets: []                # for example [subnet-0abc1234def567890, 10.0.1.0/24]
        severity: high

      # Intervals the logs could not record (SKIPDATA records), per interface and hour.
      coverage_gap:
        enabled: true
        severity: low

    """
}
