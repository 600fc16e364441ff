#!/usr/bin/env python3
"""The measuring half of Benchmarks/compare.sh (which builds, installs and makes the data files,
then runs this): cross-checks every peer's group-bys against flowlens's row by row, times every
command in interleaved rounds, and prints the table of issue 16 with a goal met / not met column.

    compare-table.py --flowlens BIN --log flows-N.log --runs 3 [--baseline BIN]

Beside LOG it reads LOG.zst, LOG.gz, LOG.parquet and (if present) LOG.expect.json, the
generator's own totals. Work files go to LOG's folder. Exit 1 when a count differs or a command
fails.

Each command is run as a whole process; wall time is measured around it, CPU time (user + sys)
and peak RSS come from the kernel's accounting of that one child (os.wait4). Round 0 is the
warm-up (page cache, library loading) and is not counted; rounds 1..RUNS are. Every round runs
every command once, starting one command further along each round, so drift and other load on
the machine hit all tools alike. Every peer run's output (its full group-bys) is checked, not
only the warm-up's.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
PEERS = ("duckdb", "polars", "chdb")
TIME = "/usr/bin/time"  # GNU time (Debian's package `time`)
FORMS = ("plain", "zst", "gz", "parquet")


def suffix(form):
    return "" if form == "plain" else "." + form


class Command:
    """One timed command and its measurements (seconds, KiB)."""

    def __init__(self, key, label, argv, stdout=None, ok_codes=(0,)):
        self.key, self.label, self.argv = key, label, argv
        self.stdout = stdout  # a file that keeps the output, or None for /dev/null
        self.ok_codes = ok_codes
        self.wall, self.cpu, self.rss = [], [], []

    def run(self, counted, work, may_fail=False):
        """Runs the command once under GNU time, which reports the peak RSS of the command alone:
        the kernel's ru_maxrss of a child started straight from this script would include this
        script's own resident size, which the child holds between fork and exec."""
        stats = os.path.join(work, "time.txt")
        err_path = os.path.join(work, "stderr.txt")
        with open(self.stdout or os.devnull, "wb") as out, open(err_path, "wb") as err:
            start = time.perf_counter()
            process = subprocess.Popen([TIME, "-f", "%M", "-o", stats, *self.argv], stdout=out,
                                       stderr=err, stdin=subprocess.DEVNULL)
            _, status, usage = os.wait4(process.pid, 0)
            wall = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode not in self.ok_codes:
            detail = open(err_path, errors="replace").read().strip()
            if may_fail:
                return detail.splitlines()[-1] if detail else f"exit status {process.returncode}"
            sys.exit(f"compare: {' '.join(self.argv)} exited with {process.returncode}\n{detail[-2000:]}")
        if counted:
            self.wall.append(wall)
            # GNU time's own CPU time (about a millisecond) is in this too.
            self.cpu.append(usage.ru_utime + usage.ru_stime)
            self.rss.append(int(open(stats).read().split()[-1]))
        return None

    def median_wall(self):
        return statistics.median(self.wall)

    def median_cpu(self):
        return statistics.median(self.cpu)

    def peak_mib(self):
        return max(self.rss) / 1024


def flowlens_groupbys(summary):
    """The three group-bys of compare-peers.py, out of `flowlens summary --format json --top 0`:
    by_interface and by_port count ACCEPT and REJECT records (by_port per port and protocol, so
    its rows are added up per port); by_source_cidr's IPv4 rows give the REJECTs per prefix."""
    if summary.get("approximate"):
        sys.exit(f"compare: flowlens says a table is approximate: {summary['approximate']}")
    for table in ("by_interface", "by_port", "by_source_cidr"):
        if len(summary[table]) != summary["table_sizes"][table]:
            sys.exit(f"compare: --top 0 gave {len(summary[table])} rows of {table}, "
                     f"table_sizes says {summary['table_sizes'][table]}")
    by_interface = {}
    for row in summary["by_interface"]:
        for action in ("accept", "reject"):
            if row[action]:
                by_interface[(row["interface_id"], action.upper())] = row[action]
    by_port = {}
    for row in summary["by_port"]:
        for action in ("accept", "reject"):
            if row[action]:
                key = (row["port"], action.upper())
                by_port[key] = by_port.get(key, 0) + row[action]
    by_source = {}
    for row in summary["by_source_cidr"]:
        if ":" in row["cidr"]:
            continue
        if not row["cidr"].endswith("/24"):
            sys.exit(f"compare: flowlens's IPv4 source prefix is not /24 ({row['cidr']}); "
                     "compare-peers.py groups by /24")
        if row["reject"]:
            by_source[row["cidr"]] = row["reject"]
    return {"by_interface_action": by_interface, "by_dstport_action": by_port,
            "reject_by_source": by_source}


def peer_groupbys(result):
    """A peer's JSON as dictionaries, keeping ACCEPT and REJECT rows (flowlens's tables count those
    alone; NODATA and SKIPDATA have no action). Also returns the rows with another action."""
    tables, other = {}, 0
    for name in ("by_interface_action", "by_dstport_action"):
        table = tables[name] = {}
        for key, action, count in result[name]:
            if action in ("ACCEPT", "REJECT"):
                if (key, action) in table:
                    sys.exit(f"compare: {result['tool']} gave ({key}, {action}) twice in {name}")
                table[(key, action)] = count
            elif name == "by_interface_action":
                other += count
    tables["reject_by_source"] = {net: count for net, count in result["reject_by_source"]}
    return tables, other


def differences(mine, theirs):
    """Row-by-row differences of two group-by tables: a few examples and how many in all."""
    lines = []
    for name in mine:
        a, b = mine[name], theirs[name]
        wrong = [key for key in a.keys() | b.keys() if a.get(key) != b.get(key)]
        if wrong:
            examples = ", ".join(f"{key}: flowlens {a.get(key)} vs {b.get(key)}"
                                 for key in sorted(wrong, key=str)[:3])
            lines.append(f"{name}: {len(wrong)} of {len(a)} rows differ ({examples})")
    return lines


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--flowlens", required=True)
    parser.add_argument("--baseline")
    parser.add_argument("--log", required=True)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    log, work = args.log, os.path.dirname(os.path.abspath(args.log))
    out = os.path.join(work, "out")
    os.makedirs(out, exist_ok=True)
    peers_script = os.path.join(HERE, "compare-peers.py")
    failures = []

    # The reference: flowlens's full tables on the plain file, and on every other form.
    print("== counts: every peer's three group-bys against flowlens's, row by row")
    reference = {}
    for form in FORMS:
        path = log + suffix(form)
        result = subprocess.run([args.flowlens, "summary", "--format", "json", "--top", "0", path],
                                capture_output=True)
        if result.returncode != 0:
            sys.exit(f"compare: {args.flowlens} summary --top 0 {path} exited with {result.returncode}\n"
                     + result.stderr.decode(errors="replace")[-2000:])
        summary = json.loads(result.stdout)
        reference[form] = flowlens_groupbys(summary)
        if form == "plain":
            plain_summary = summary
            mine = reference["plain"]
        elif reference[form] != mine:
            failures.append(f"flowlens on {form} differs from flowlens on plain")
    records = plain_summary["records"]
    print(f"  flowlens --top 0 (plain): {len(mine['by_interface_action'])} (interface, action) rows, "
          f"{len(mine['by_dstport_action'])} (dstport, action) rows, "
          f"{len(mine['reject_by_source'])} REJECT /24 rows; .zst, .gz, .parquet give the same: "
          f"{'ok' if not failures else 'DIFFERENT'}")
    expect_path = log + ".expect.json"
    if os.path.exists(expect_path):
        expect = json.load(open(expect_path))
        # (what, flowlens's count, the generator's)
        checks = [(key, records[name], expect[key]) for key, name in
                  (("records", "total"), ("accept", "accept"), ("reject", "reject"),
                   ("nodata", "nodata"), ("skipdata", "skipdata"))]
        # The tables' rows must add up to the generator's ACCEPT and REJECT counts too.
        for table in ("by_interface_action", "by_dstport_action"):
            for action in ("accept", "reject"):
                total = sum(n for (_, a), n in mine[table].items() if a == action.upper())
                checks.append((f"{action} in {table}", total, expect[action]))
        wrong = [f"{what} {mine_n} vs {theirs_n}" for what, mine_n, theirs_n in checks if mine_n != theirs_n]
        print(f"  flowlens totals vs the generator's ({os.path.basename(expect_path)}): "
              f"{'ok' if not wrong else 'DIFFERENT: ' + ', '.join(wrong)}")
        failures += [f"flowlens vs generator: {w}" for w in wrong]
    else:
        expect = None

    # Every command, in the order of a round.
    commands = []
    flowlens_name = os.path.basename(args.flowlens)
    for form in FORMS:
        path = log + suffix(form)
        commands.append(Command(("flowlens", form), f"flowlens summary --format json ({form})",
                                [args.flowlens, "summary", "--format", "json", path]))
        for peer in PEERS:
            commands.append(Command((peer, form), f"{peer} ({form})",
                                    [sys.executable, peers_script, peer, path],
                                    stdout=os.path.join(out, f"{peer}-{form}.json")))
        if form == "plain":
            commands.append(Command(("audit", form), "flowlens audit --format json (plain)",
                                    [args.flowlens, "audit", "--format", "json", path],
                                    ok_codes=(0, 1)))
            commands.append(Command(("wc", form), "wc -l (plain)", ["wc", "-l", path]))
            if args.baseline:
                commands.append(Command(("baseline", form), "baseline summary --format json (plain)",
                                        [args.baseline, "summary", "--format", "json", path]))
        if form == "zst":
            commands.append(Command(("zstd", form), "zstd -d to /dev/null (zst)",
                                    ["zstd", "-d", "-q", "-f", path, "-o", "/dev/null"]))
    by_key = {command.key: command for command in commands}

    peer_status = {peer: "ok" for peer in PEERS}

    def check(command):
        peer, form = command.key
        result = json.load(open(command.stdout))
        theirs, other = peer_groupbys(result)
        lines = differences(reference[form], theirs)
        if expect is not None and other != expect["nodata"] + expect["skipdata"]:
            lines.append(f"{other} records without ACCEPT/REJECT, the generator wrote "
                         f"{expect['nodata'] + expect['skipdata']} NODATA/SKIPDATA")
        for line in lines:
            if f"{peer} on {form}: {line}" not in failures:
                failures.append(f"{peer} on {form}: {line}")
            peer_status[peer] = "DIFFERENT"

    # A peer that cannot read a compressed form or Parquet says so in the table (a peer that
    # cannot read the plain file is an error).
    unreadable = {}
    start = time.time()
    for round_number in range(args.runs + 1):
        shift = round_number % len(commands)
        for command in commands[shift:] + commands[:shift]:
            peer, form = command.key
            may_fail = round_number == 0 and peer in PEERS and form != "plain"
            error = command.run(counted=round_number > 0, work=out, may_fail=may_fail)
            if error:
                unreadable[command.key] = error
            elif peer in PEERS:
                check(command)
        if round_number == 0:
            commands = [command for command in commands if command.key not in unreadable]
            for peer in PEERS:
                cannot = [f"cannot read .{form}: {unreadable[(peer, form)]}" for form in FORMS
                          if (peer, form) in unreadable]
                print(f"  {peer:7} {', '.join(f for f in FORMS if (peer, f) not in unreadable)}: "
                      f"{'; '.join([peer_status[peer]] + cannot)}")
            if failures:
                break  # timings of a wrong result measure nothing
            print(f"== timing: medians of {args.runs} interleaved rounds after a warm-up round")
        print(f"  round {round_number} {'(warm-up) ' if round_number == 0 else ''}done, "
              f"{time.time() - start:.0f} s", file=sys.stderr)

    if failures:
        print("== DIFFERENT counts:")
        for failure in failures:
            print(f"  {failure}")
        sys.exit(1)
    size = os.path.getsize(log)
    load = os.getloadavg()
    print(f"  input: {records['total']:,} records, {size / 1e6:,.0f} MB plain; {os.cpu_count()} cores; "
          f"load average now {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print()
    print("| command | wall median (min-max) | CPU median | peak RSS |")
    print("|---|---|---|---|")
    for command in commands:
        print(f"| {command.label} | {command.median_wall():.3f} s "
              f"({min(command.wall):.3f}-{max(command.wall):.3f}) | {command.median_cpu():.3f} s "
              f"| {command.peak_mib():.1f} MiB |")
    print()

    def ratios(slow, fast):
        """Wall and CPU ratios of two commands' medians."""
        return slow.median_wall() / fast.median_wall(), slow.median_cpu() / fast.median_cpu()

    def peers_on(form):
        """The fastest peer on FORM and the text listing them all, fastest first."""
        timed = sorted((by_key[(peer, form)] for peer in PEERS if (peer, form) not in unreadable),
                       key=Command.median_wall)
        text = ", ".join([f"{c.key[0]} {c.median_wall():.2f} s" for c in timed]
                         + [f"{peer} cannot read it" for peer in PEERS if (peer, form) in unreadable])
        return timed[0] if timed else None, text

    def faster(ratio):
        """A peer / flowlens ratio in words."""
        return f"{ratio:.2f}x faster" if ratio >= 1 else f"{1 / ratio:.2f}x slower"

    def met(ok):
        return "met" if ok else "NOT met"

    def against_peers(form, label, times=None):
        """A row of flowlens against the fastest peer; the goal: flowlens TIMES as fast."""
        lens = by_key[("flowlens", form)]
        goal = f">= {times}x faster" if times else "—"
        best, text = peers_on(form)
        if best is None:
            return (label, f"{lens.median_wall():.3f} s", text, "—", goal, "—")
        wall, cpu = ratios(best, lens)
        return (label, f"{lens.median_wall():.3f} s", f"{best.key[0]} ({text})",
                f"{faster(wall)} (CPU {faster(cpu)})", goal, met(wall >= times) if times else "—")

    lens = by_key[("flowlens", "plain")]
    rows = [against_peers("plain", "plain", 4)]
    rows[0] = (rows[0][0], f"{lens.median_wall():.3f} s, {lens.peak_mib():.1f} MiB peak "
               f"({records['total'] / lens.median_wall() / 1e6:.1f} M records/s, "
               f"{size / lens.median_wall() / 1e6:,.0f} MB/s)") + rows[0][2:]
    zst_lens, zstd = by_key[("flowlens", "zst")], by_key[("zstd", "zst")]
    wall, cpu = ratios(zst_lens, zstd)
    rows.append(("zst", f"{zst_lens.median_wall():.3f} s", f"`zstd -d` alone {zstd.median_wall():.3f} s "
                 f"(peers: {peers_on('zst')[1]})", f"{wall:.2f}x of zstd -d (CPU {cpu:.2f}x)", "<= 1.2x",
                 met(wall <= 1.2)))
    rows.append(against_peers("gz", "gz", 2))
    audit = by_key[("audit", "plain")]
    wall, cpu = ratios(audit, lens)
    rows.append(("audit vs summary, plain",
                 f"audit {audit.median_wall():.3f} s vs summary {lens.median_wall():.3f} s", "—",
                 f"{wall:.2f}x (CPU {cpu:.2f}x)", "<= 1.3x", met(wall <= 1.3)))
    wc = by_key[("wc", "plain")]
    wall, cpu = ratios(lens, wc)
    rows.append(("wc -l", f"{wc.median_wall():.3f} s", "—",
                 f"flowlens = {wall:.1f}x wc -l (CPU {cpu:.1f}x)", "(reference)", "—"))
    others = ", ".join(f".{form} {by_key[('flowlens', form)].peak_mib():.1f}" for form in FORMS[1:])
    rows.append(("peak memory of summary", f"{lens.peak_mib():.1f} MiB (plain; {others})",
                 "—", "—", "< 64 MiB", met(lens.peak_mib() < 64)))
    rows.append(against_peers("parquet", "parquet (extra)"))
    if args.baseline:
        base = by_key[("baseline", "plain")]
        wall, cpu = ratios(lens, base)
        rows.append(("baseline, plain (extra)",
                     f"this {lens.median_wall():.3f} s vs baseline {base.median_wall():.3f} s", "—",
                     f"this / baseline = {wall:.3f} (CPU {cpu:.3f})", "—", "—"))

    print(f"| input | flowlens `summary --format json` ({flowlens_name}) | fastest peer | ratio now "
          "| goal | goal met |")
    print("|---|---|---|---|---|---|")
    for row in rows:
        print("| " + " | ".join(row) + " |")
    print()
    print(f"counts: every run of every peer equals flowlens row by row ({', '.join(PEERS)}: "
          + ", ".join(peer_status[p] for p in PEERS) + ")")


if __name__ == "__main__":
    main()
