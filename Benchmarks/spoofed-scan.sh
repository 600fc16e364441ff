#!/usr/bin/env bash
# The high-cardinality benchmark: RECORDS flow log records, every one from a new source address
# (a spoofed flood through every table kept per source, with one real scanner hidden in it).
# Runs `flowlens summary` and `flowlens audit` RUNS times each and prints the median time, MB/s,
# records/s, the ratio to `wc -l` on the same file, and the peak RSS; fails if a peak RSS passes
# LIMIT_MIB, if the totals differ from what the generator wrote, or if the scanner is not found.
#
#   Benchmarks/spoofed-scan.sh [RECORDS] [RUNS]     defaults: 10000000 records, 3 runs
#
# Work files go to ${WORK:-/tmp/flowlens-spoofed}; LIMIT_MIB defaults to 256.
set -euo pipefail
records="${1:-10000000}"
runs="${2:-3}"
limit_mib="${LIMIT_MIB:-256}"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
work="${WORK:-/tmp/flowlens-spoofed}"
mkdir -p "$work"

(cd "$root" && swift build -c release --product flowlens 2>&1 | tail -1)
(cd "$here" && swift build -c release --product flowlog-gen 2>&1 | tail -1)
flowlens="$root/.build/release/flowlens"
log="$work/spoofed-$records.log"
if [ ! -s "$log" ]; then
  "$here/.build/release/flowlog-gen" --scenario spoofed-scan --records "$records" --seed 1 --header \
    --output "$log" --expect "$log.expect.json"
fi
bytes=$(stat -c %s "$log")

# Median of the numbers on standard input.
median() { sort -g | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }

# Runs a command RUNS times; prints "median-seconds max-peak-KiB". Its last output stays in $work/out.
measure() {
  local times=() peak=0
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/out" 2>"$work/err" || true
    read -r seconds kib <"$work/time"
    times+=("$seconds")
    [ "$kib" -gt "$peak" ] && peak=$kib
  done
  echo "$(printf '%s\n' "${times[@]}" | median) $peak"
}

read -r wc_s _ < <(measure wc -l "$log")
status=0
report() {  # name seconds peak-KiB
  local mib=$(($3 / 1024))
  awk -v n="$1" -v s="$2" -v b="$bytes" -v r="$records" -v w="$wc_s" -v m="$mib" 'BEGIN {
    printf "%-8s %6.2f s  %6.0f MB/s  %5.2f M records/s  %5.1fx wc -l  peak %d MiB\n", n, s, b / s / 1e6, r / s / 1e6, s / w, m }'
  if [ "$mib" -gt "$limit_mib" ]; then
    echo "!! $1 peak RSS $mib MiB is over $limit_mib MiB" >&2
    status=1
  fi
}
echo "$log: $bytes bytes, $records records, medians of $runs runs; wc -l $wc_s s"

read -r s kib < <(measure "$flowlens" summary --format json "$log")
report summary "$s" "$kib"
python3 - "$work/out" "$log.expect.json" <<'EOF' || status=1
import json, sys
report, expected = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
records = report["records"]
for key in ("records", "accept", "reject", "packets", "bytes"):
    got = records["total" if key == "records" else key]
    if got != expected[key]:
        sys.exit(f"!! summary {key}: {got}, the generator wrote {expected[key]}")
approximate = report.get("approximate")
print(f"summary: totals exact; source table {'approximate: ' + json.dumps(approximate) if approximate else 'exact'}")
EOF

read -r s kib < <(measure "$flowlens" audit --format json "$log")
report audit "$s" "$kib"
python3 - "$work/out" "$log.expect.json" <<'EOF' || status=1
import json, sys
report, expected = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
if report["records"]["total"] != expected["records"]:
    sys.exit(f"!! audit records: {report['records']['total']}, the generator wrote {expected['records']}")
scans = [f for f in report["findings"] if f["rule"] == "port-scan" and f.get("source") == "198.18.0.66" and f.get("port") is None]
if not scans:
    sys.exit("!! audit lost the hidden scanner 198.18.0.66")
tables = ", ".join(f"{t['table']} (max error {t['maximum_error']})" for t in report.get("approximate") or [])
omitted = sum(o["count"] for o in report.get("omitted_findings") or [])
print(f"audit: {scans[0]['message']}; approximate tables: {tables or 'none'}; {omitted} findings counted, not listed")
EOF
exit $status
