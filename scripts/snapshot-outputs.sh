#!/usr/bin/env bash
# Writes the output of every command and format of a flowlens binary over some inputs, one file
# each (large outputs as a SHA-256), so that two builds can be compared with `diff -r`: a
# refactoring must leave every byte the same.
#
#   scripts/snapshot-outputs.sh BINARY OUT_DIR [INPUT ...]     default INPUT: Fixtures/sample
#   diff -r before/ after/
set -uo pipefail
bin="$1"; out="$2"; shift 2
inputs=("$@")
if [ ${#inputs[@]} -eq 0 ]; then inputs=(Fixtures/sample); fi
mkdir -p "$out"
run() {
  local name="$1"; shift
  "$bin" "$@" "${inputs[@]}" >"$out/$name.out" 2>"$out/$name.err"
  echo "exit $?" >>"$out/$name.err"
  # Outputs over 1 MB are kept as their hash.
  if [ "$(stat -c %s "$out/$name.out")" -gt 1000000 ]; then
    sha256sum <"$out/$name.out" >"$out/$name.sha256" && rm "$out/$name.out"
  fi
}
for f in text json csv markdown; do run "summary-$f" summary --format "$f" --quiet; done
run summary-top0-json summary --format json --top 0 --quiet
for f in text json ndjson markdown; do run "audit-$f" audit --format "$f" --quiet --findings-per-rule 0; done
run audit-policy-json audit --format json --quiet --policy Fixtures/policies/corporate.yaml
for f in html json; do run "report-$f" report --format "$f" -o - --quiet; done
for f in ndjson csv; do run "records-$f" records --format "$f" --quiet; done
