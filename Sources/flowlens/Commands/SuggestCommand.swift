import ArgumentParser
import FlowLensOutput
import FlowLogParser
import FlowStats

/// `flowlens suggest`: least-privilege security groups from the traffic they accepted.
struct SuggestCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "suggest",
    abstract: "Compare every security group's inbound rules with the accepted traffic, and propose narrower ones.",
    discussion: """
      For each inbound rule (protocol, ports, and each CIDR block, prefix list or referenced group) \
      of every security group in --inventory, the accepted records into the group's interfaces \
      (dstaddr one of the interface's addresses) say whether it is used, unused (remove it) or \
      wider than used (replace it with the observed sources, aggregated to --aggregate-v4 / \
      --aggregate-v6 prefixes, or with a network of --policy that holds them all). A record counts \
      for the most specific rule that allows it. TCP and UDP records from a port below 1024 to a \
      port of 1024 or above are replies to the interface's own connections and count for no rule. \
      Rules of groups none of whose interfaces appear in the logs are 'not-logged'.

      The output states the evidence window (first and last record) and warns when it is shorter \
      than a week. --format aws-cli prints the aws ec2 commands that apply the proposal; flowlens \
      runs nothing.

      Examples:
        flowlens suggest --inventory inventory/ AWSLogs/
        flowlens suggest --inventory inventory/ --policy policy.yaml --format json AWSLogs/
        flowlens suggest --inventory inventory/ --format aws-cli AWSLogs/ > apply.sh
      """)

  enum Format: String, ExpressibleByArgument, CaseIterable {
    case text, json
    case awsCLI = "aws-cli"
  }

  @OptionGroup var input: InputOptions

  @Option(
    help: ArgumentHelp(
      "AWS CLI JSON (describe-network-interfaces, -security-groups, …): a file or a directory of .json files.",
      valueName: "path"))
  var inventory: String

  @Option(
    help: ArgumentHelp(
      "Policy file (YAML): a proposal is one of its networks when every source falls in it; --where can name them.",
      valueName: "file"))
  var policy: String?

  @Option(help: "Output format: \(Format.allCases.map(\.rawValue).joined(separator: ", ")).")
  var format: Format = .text

  @Option(
    name: .customLong("aggregate-v4"), parsing: .unconditional,
    help: "Prefix length IPv4 sources are proposed as (0-32).")
  var aggregateV4: Int = 24

  @Option(
    name: .customLong("aggregate-v6"), parsing: .unconditional,
    help: "Prefix length IPv6 sources are proposed as (0-128).")
  var aggregateV6: Int = 48

  @Option(
    parsing: .unconditional,
    help: ArgumentHelp(
      "Distinct sources listed per rule; past that they are counted per prefix (IPv4 /24, /16, …; IPv6 /64, /48, …).",
      discussion: "Counts stay exact and the output is the same for any --jobs; a proposal then covers whole prefixes.")
  )
  var sourceCapacity: Int = 4_096

  func validate() throws {
    guard (0...32).contains(aggregateV4) else {
      throw ValidationError("--aggregate-v4 must be a whole number from 0 to 32, not \(aggregateV4)")
    }
    guard (0...128).contains(aggregateV6) else {
      throw ValidationError("--aggregate-v6 must be a whole number from 0 to 128, not \(aggregateV6)")
    }
    guard sourceCapacity >= 16 else {
      throw ValidationError("--source-capacity must be 16 or more, not \(sourceCapacity)")
    }
  }

  func run() throws {
    let loadedPolicy = try PolicyLoader.loadOrExit(path: policy)
    let inventory = try InventoryOption.load(self.inventory, quiet: input.quiet)
    let options = SuggestOptions(
      aggregateV4: aggregateV4, aggregateV6: aggregateV6, sourceCapacity: sourceCapacity,
      networks: policy == nil ? [] : loadedPolicy.networks)
    let rules = SecurityGroupRuleSet(inventory: inventory)
    let capacity = sourceCapacity
    let (run, aggregator) = try InputRun.readInParallel(input, filter: try input.filters.compiled(policy: loadedPolicy))
    {
      _ in SecurityGroupUsageAggregator(rules: rules, sourceCapacity: capacity)
    }
    var report = SuggestReport(aggregate: aggregator, options: options)
    report.filter = run.filterSummary
    var out = OutputBuffer()
    switch format {
    case .text: out.append(SuggestTextRenderer.render(report))
    case .json: out.append(try JSONOutput.encode(report))
    case .awsCLI: out.append(SuggestAWSCLIRenderer.render(report))
    }
    out.flush()
    try run.finish(input)
  }
}
