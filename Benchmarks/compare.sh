#!/usr/bin/env bash
# Times `flowlens summary` against `wc -l`, `zstd -d` and DuckDB on the same generated flow logs
# (plain, .zst and .gz, and as AWS-style Parquet: GZIP, 1 M-row groups, written by DuckDB), checks
# that their counts agree, and prints medians and ratios.
#
#   Benchmarks/compare.sh [RECORDS] [RUNS]     defaults: 10000000 records, 3 runs each
#   BASELINE=/path/to/older/flowlens Benchmarks/compare.sh     also times an older build's
#                                              `summary` on the plain file, in the same run
#
# Needs hyperfine, zstd and pigz (apt) and DuckDB (pip; installed here if missing). Work files go
# to ${WORK:-/tmp/flowlens-compare}. DuckDB runs the three group-bys "records per (interface,
# action)", "per (dstport, action)" and "REJECTs per source /24"; flowlens summary computes those
# and more.
set -euo pipefail
records="${1:-10000000}"
runs="${2:-3}"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
work="${WORK:-/tmp/flowlens-compare}"
mkdir -p "$work"

for tool in hyperfine zstd pigz; do
  command -v "$tool" >/dev/null || { apt-get update -qq && apt-get install -y -qq hyperfine zstd pigz >/dev/null; }
done
python3 -c "import duckdb" 2>/dev/null || pip install -q duckdb

(cd "$root" && swift build -c release --product flowlens 2>&1 | tail -1)
(cd "$here" && swift build -c release --product flowlog-gen 2>&1 | tail -1)
flowlens="$root/.build/release/flowlens"
log="$work/flows-$records.log"
if [ ! -s "$log" ]; then
  "$here/.build/release/flowlog-gen" --records "$records" --seed 7 --layout v2 --header --output "$log" --expect "$log.expect.json"
fi
[ -s "$log.zst" ] || zstd -q -T2 -3 -f "$log" -o "$log.zst"
[ -s "$log.gz" ] || pigz -k -6 -f "$log"
if [ ! -s "$log.parquet" ]; then
  # AWS's column names (underscores) and types, GZIP pages, row groups of 1 M rows.
  python3 - "$log" "$log.parquet" <<'PY'
import sys, duckdb
src, out = sys.argv[1], sys.argv[2]
con = duckdb.connect()
con.execute("SET threads TO 2")
con.execute(f"""COPY (SELECT "version" AS version, "account-id" AS account_id, "interface-id" AS interface_id,
  srcaddr, dstaddr, srcport, dstport, protocol, packets, bytes, start, "end" AS "end", action,
  "log-status" AS log_status FROM read_csv('{src}', delim=' ', header=true, nullstr='-',
  columns={{'version':'INTEGER','account-id':'VARCHAR','interface-id':'VARCHAR','srcaddr':'VARCHAR',
  'dstaddr':'VARCHAR','srcport':'INTEGER','dstport':'INTEGER','protocol':'INTEGER','packets':'BIGINT',
  'bytes':'BIGINT','start':'BIGINT','end':'BIGINT','action':'VARCHAR','log-status':'VARCHAR'}}))
  TO '{out}' (FORMAT parquet, COMPRESSION gzip, ROW_GROUP_SIZE 1000000)""")
PY
fi

cat > "$work/duckdb_groupbys.py" <<'PY'
import json, sys, duckdb
path = sys.argv[1]
compression = "gzip" if path.endswith(".gz") else "zstd" if path.endswith(".zst") else "none"
con = duckdb.connect()
con.execute("SET threads TO 2")
if path.endswith(".parquet"):
  src = f"(SELECT interface_id AS \"interface-id\", * FROM read_parquet('{path}'))"
else:
  src = f"""read_csv('{path}', delim=' ', header=true, nullstr='-', compression='{compression}',
  columns={{'version':'INTEGER','account-id':'VARCHAR','interface-id':'VARCHAR','srcaddr':'VARCHAR',
  'dstaddr':'VARCHAR','srcport':'INTEGER','dstport':'INTEGER','protocol':'INTEGER','packets':'BIGINT',
  'bytes':'BIGINT','start':'BIGINT','end':'BIGINT','action':'VARCHAR','log-status':'VARCHAR'}})"""
con.execute(f"CREATE TEMP TABLE t AS SELECT \"interface-id\" AS eni, dstport, action, srcaddr FROM {src}")
by_eni = con.execute("SELECT eni, action, count(*) FROM t GROUP BY 1, 2").fetchall()
by_port = con.execute("SELECT dstport, action, count(*) FROM t GROUP BY 1, 2").fetchall()
by_src = con.execute("""SELECT regexp_replace(srcaddr, '\\.[0-9]+$', '.0') AS net, count(*) FROM t
  WHERE action = 'REJECT' AND srcaddr NOT LIKE '%:%' GROUP BY 1""").fetchall()
accept = sum(n for _, a, n in by_eni if a == "ACCEPT")
reject = sum(n for _, a, n in by_eni if a == "REJECT")
print(json.dumps({"records": sum(n for *_, n in by_eni), "accept": accept, "reject": reject,
                  "interfaces": len({e for e, _, _ in by_eni if e is not None}),
                  "reject_v4_sources": sum(n for _, n in by_src)}))
PY

echo "== counts"
python3 "$work/duckdb_groupbys.py" "$log" > "$work/duckdb-counts.json"
"$flowlens" summary --format json --top 0 "$log" > "$work/flowlens-summary.json"
python3 - "$work/duckdb-counts.json" "$work/flowlens-summary.json" <<'PY'
import json, sys
duck, lens = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
r = lens["records"]
mine = {"records": r["total"], "accept": r["accept"], "reject": r["reject"],
        "interfaces": len(lens["by_interface"]),
        "reject_v4_sources": sum(row["reject"] for row in lens["by_source_cidr"] if ":" not in row["cidr"])}
ok = all(mine[k] == duck[k] for k in duck)
for k in duck: print(f"  {k:18} duckdb {duck[k]:>12}  flowlens {mine[k]:>12}  {'ok' if mine[k] == duck[k] else 'DIFFERENT'}")
sys.exit(0 if ok else 1)
PY

echo "== timing (medians of $runs runs)"
baseline=()
if [ -n "${BASELINE:-}" ]; then baseline=("$BASELINE summary $log"); fi
hyperfine -N -w 1 -r "$runs" --export-json "$work/times.json" \
  "${baseline[@]}" \
  "wc -l $log" \
  "$flowlens summary $log" \
  "python3 $work/duckdb_groupbys.py $log" \
  "zstd -d -c $log.zst -o /dev/null" \
  "$flowlens summary $log.zst" \
  "python3 $work/duckdb_groupbys.py $log.zst" \
  "$flowlens summary $log.gz" \
  "python3 $work/duckdb_groupbys.py $log.gz" \
  "$flowlens summary $log.parquet" \
  "python3 $work/duckdb_groupbys.py $log.parquet" >/dev/null 2>&1
python3 - "$work/times.json" "$records" "$log" "${BASELINE:-}" <<'PY'
import json, os, sys
results = json.load(open(sys.argv[1]))["results"]
records, size = int(sys.argv[2]), os.path.getsize(sys.argv[3])
baseline = sys.argv[4]
median, baseline_median = {}, None
for r in results:
    t = sorted(r["times"])
    if baseline and r["command"].startswith(baseline + " "):
        baseline_median = t[len(t) // 2]
    else:
        median[r["command"]] = t[len(t) // 2]
def find(word, suffix):
    # By the program run (the work folder's name holds "flowlens" too), then by the input's suffix.
    for command, m in median.items():
        tokens = command.split()
        program = tokens[1] if tokens[0] == "python3" else tokens[0]
        path = next(token for token in tokens if "/flows-" in token and not token.endswith(".py"))
        if os.path.basename(program).startswith(word) and path.endswith(suffix):
            return m
    return None
rows = []
for label, suffix in (("plain", ".log"), ("zst", ".zst"), ("gz", ".gz"), ("pq", ".parquet")):
    lens, duck = find("flowlens", suffix), find("duckdb_groupbys", suffix)
    rows.append((label, lens, duck))
wc, zstd = find("wc", ".log"), find("zstd", ".zst")
print(f"  input: {records:,} records, {size / 1e6:.0f} MB plain")
print(f"  wc -l {wc:.3f} s   zstd -d {zstd:.3f} s")
for label, lens, duck in rows:
    print(f"  {label:5}  flowlens {lens:6.3f} s ({records / lens / 1e6:5.1f} M rec/s, {size / lens / 1e6:6.0f} MB/s)"
          f"  duckdb {duck:6.3f} s   flowlens is {duck / lens:4.2f}x faster than DuckDB")
print(f"  zst: flowlens / zstd -d = {rows[1][1] / zstd:.2f}   plain: flowlens / wc -l = {rows[0][1] / wc:.1f}")
if baseline_median:
    print(f"  plain summary: this build {rows[0][1]:.3f} s, baseline {baseline_median:.3f} s"
          f" (this / baseline = {rows[0][1] / baseline_median:.3f})")
PY
