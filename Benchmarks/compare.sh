#!/usr/bin/env bash
# Prints, in one run, the comparison table of issue 16: `flowlens summary --format json` against
# DuckDB, Polars and chDB (the same three group-bys, each peer's fastest honest form; see
# compare-peers.py) and against `zstd -d` and `wc -l`, on the same generated flow logs: plain,
# .zst, .gz, and AWS-style Parquet (GZIP, 1 M-row groups, written by DuckDB). Every peer's
# group-bys are checked against flowlens's row by row on every input, in every run; any difference
# exits 1. Timing: whole processes, medians of RUNS interleaved rounds after a warm-up round;
# wall time, CPU time (user + sys) and peak RSS (compare-table.py).
#
#   Benchmarks/compare.sh [RECORDS] [RUNS]
#
# Settings (environment; the arguments win over RECORDS and RUNS):
#   RECORDS   records in the generated file (default 10000000)
#   RUNS      counted rounds (default 3)
#   WORK      folder of the data files (default /tmp/flowlens-compare); flows-$RECORDS.log and its
#             .zst, .gz, .parquet and .expect.json there are reused when present
#   FLOWLENS  the flowlens binary to test (default: a release build of this checkout)
#   BASELINE  an older flowlens binary, also timed on plain `summary` in the same rounds
#
# Needs zstd, pigz and GNU time (apt) and duckdb, polars and chdb (pip); installs what is missing.
set -euo pipefail
records="${1:-${RECORDS:-10000000}}"
runs="${2:-${RUNS:-3}}"
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
work="${WORK:-/tmp/flowlens-compare}"
mkdir -p "$work"

if ! command -v zstd >/dev/null || ! command -v pigz >/dev/null || [ ! -x /usr/bin/time ]; then
  apt-get update -qq && apt-get install -y -qq zstd pigz time >/dev/null
fi
python3 -c "import duckdb, polars, chdb" 2>/dev/null || python3 -m pip install -q duckdb polars chdb

if [ -n "${FLOWLENS:-}" ]; then
  flowlens="$FLOWLENS"
else
  (cd "$root" && swift build -c release --product flowlens 2>&1 | tail -1)
  flowlens="$root/.build/release/flowlens"
fi
log="$work/flows-$records.log"
if [ ! -s "$log" ]; then
  (cd "$here" && swift build -c release --product flowlog-gen 2>&1 | tail -1)
  "$here/.build/release/flowlog-gen" --records "$records" --seed 7 --layout v2 --header \
    --output "$log" --expect "$log.expect.json"
fi
[ -s "$log.zst" ] || zstd -q -T0 -3 -f "$log" -o "$log.zst"
[ -s "$log.gz" ] || pigz -k -6 -f "$log"
if [ ! -s "$log.parquet" ]; then
  # AWS's column names (underscores) and types, GZIP pages, row groups of 1 M rows.
  python3 - "$log" "$log.parquet" <<'PY'
import sys, duckdb
src, out = sys.argv[1], sys.argv[2]
con = duckdb.connect()
con.execute(f"""COPY (SELECT "version" AS version, "account-id" AS account_id, "interface-id" AS interface_id,
  srcaddr, dstaddr, srcport, dstport, protocol, packets, bytes, start, "end" AS "end", action,
  "log-status" AS log_status FROM read_csv('{src}', delim=' ', header=true, nullstr='-',
  columns={{'version':'INTEGER','account-id':'VARCHAR','interface-id':'VARCHAR','srcaddr':'VARCHAR',
  'dstaddr':'VARCHAR','srcport':'INTEGER','dstport':'INTEGER','protocol':'INTEGER','packets':'BIGINT',
  'bytes':'BIGINT','start':'BIGINT','end':'BIGINT','action':'VARCHAR','log-status':'VARCHAR'}}))
  TO '{out}' (FORMAT parquet, COMPRESSION gzip, ROW_GROUP_SIZE 1000000)""")
PY
fi

echo "flowlens: $flowlens${BASELINE:+, baseline: $BASELINE}; $(uptime | sed 's/^ *//')"
python3 -c 'import duckdb, polars, chdb; print(f"peers: duckdb {duckdb.__version__}, polars {polars.__version__}, chdb {chdb.__version__}")'
echo "zstd $(zstd -V | grep -o 'v[0-9.]*'), $(wc --version | head -1)"
python3 "$here/compare-table.py" --flowlens "$flowlens" ${BASELINE:+--baseline "$BASELINE"} \
  --log "$log" --runs "$runs"
