import ArgumentParser
import FlowLensOutput
import FlowLogParser
import FlowStats

#if canImport(Glibc)
  import Glibc
#endif

/// `--where`, `--since`, `--until`: which records every command reads. Part of ``InputOptions``,
/// so that `summary`, `audit`, `report` and `records` answer the same question the same way.
struct FilterOptions: ParsableArguments {
  @Option(
    name: .customLong("where"),
    help: ArgumentHelp(
      "Only records matching EXPR, e.g. 'src net 10.0.0.0/8 and dst port 22 and action accept'. Tests: "
        + "[src|dst] host ADDR, [src|dst] net CIDR|@NAME (a network of the policy), [src|dst] port N[-M], "
        + "proto tcp|udp|icmp|icmpv6|N, action accept|reject, status ok|nodata|skipdata, interface ID, "
        + "account ID, vpc ID, subnet ID, instance ID, direction ingress|egress, [src|dst] service NAME, "
        + "packets|bytes =|!=|<|<=|>|>= N; joined with and, or, not, ( ). A test on a field a record lacks "
        + "is false.",
      valueName: "expr"))
  var expression: String?

  @Option(
    help: ArgumentHelp(
      "Only records whose end is at or after TIME: 2024-11-26T00:10:00Z (no zone: UTC), 2024-11-26, Unix "
        + "seconds, or a span back from now (30m, 1h, 7d).",
      valueName: "time"))
  var since: String?

  @Option(help: ArgumentHelp("Only records whose start is before TIME (as --since).", valueName: "time"))
  var until: String?

  /// The expression and times, checked before any input is read.
  struct Parsed {
    var expression: FilterExpression?
    var since: UInt64?
    var until: UInt64?
  }

  func validate() throws { _ = try parsed() }

  /// The options parsed; a mistake is a usage error that points at its column.
  func parsed() throws(ValidationError) -> Parsed {
    var result = Parsed()
    if let expression {
      do {
        result.expression = try FilterParser.parse(expression)
      } catch {
        throw ValidationError(Self.message("--where", error, expression: expression))
      }
    }
    let now = UInt64(max(0, time(nil)))
    do {
      result.since = try since.map { text throws(FilterError) in try FilterTime.parse(text, now: now) }
    } catch {
      throw ValidationError("--since: \(error)")
    }
    do {
      result.until = try until.map { text throws(FilterError) in try FilterTime.parse(text, now: now) }
    } catch {
      throw ValidationError("--until: \(error)")
    }
    if let since = result.since, let until = result.until, since >= until {
      throw ValidationError(
        "--since (\(UTCTime.isoText(since))) must be before --until (\(UTCTime.isoText(until))): no record could match")
    }
    return result
  }

  /// The filter the options describe, with `@NAME` taken from `policy`'s networks; nil without
  /// any of the options. An unknown network name is reported on standard error and exits with 2.
  func compiled(policy: Policy) throws -> CompiledFilter? {
    let parsed = try parsed()
    guard parsed.expression != nil || parsed.since != nil || parsed.until != nil else { return nil }
    var networks: [String: AddressSet] = [:]
    for network in policy.networks where networks[network.name] == nil { networks[network.name] = network.addresses }
    do {
      return try CompiledFilter(
        expression: parsed.expression, text: expression, since: parsed.since, until: parsed.until,
        networks: networks)
    } catch {
      StandardError.write("flowlens: \(Self.message("--where", error, expression: expression ?? ""))\n")
      throw ExitCode(2)
    }
  }

  /// `--where: column 17: expected a port number, found "ssh"`, then the expression with a caret.
  static func message(_ option: String, _ error: FilterError, expression: String) -> String {
    "\(option): \(error)" + (error.pointer(in: expression).map { "\n" + $0 } ?? "")
  }
}
