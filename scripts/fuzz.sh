#!/usr/bin/env bash
# Builds the libFuzzer targets of Fuzz/ with AddressSanitizer and runs each for SECONDS (default 60)
# on a copy of its seed corpus. A crash leaves its input in Fuzz/findings/ and fails the script.
#   scripts/fuzz.sh 60            # every target, 60 s each
#   scripts/fuzz.sh 3600 FuzzRecord
set -uo pipefail
cd "$(dirname "$0")/../Fuzz"
seconds="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then targets=(FuzzRecord FuzzReader FuzzParquet FuzzPolicy FuzzFilter FuzzState); fi
# A trap in Swift would otherwise start the Swift backtracer, which hides the sanitizer's report.
export SWIFT_BACKTRACE=enable=no
# SwiftPM passes -sanitize=fuzzer, but Swift code gets no coverage counters without an explicit
# -sanitize-coverage (libFuzzer then reports no "cov:" and fuzzes blind).
if ! swift build -c release --sanitize fuzzer --sanitize address --scratch-path .build-fuzz \
    -Xswiftc -sanitize-coverage=edge,trace-cmp,inline-8bit-counters,pc-table >build.log 2>&1; then
  grep -vE "Cannot export local symbol" build.log | tail -20 >&2
  echo "fuzz build failed" >&2
  exit 1
fi
mkdir -p findings
status=0
for target in "${targets[@]}"; do
  case "$target" in
    FuzzRecord) corpus=record ;;
    FuzzReader) corpus=reader ;;
    FuzzParquet) corpus=parquet ;;
    FuzzPolicy) corpus=policy ;;
    FuzzFilter) corpus=filter ;;
    FuzzState) corpus=state ;;
    *) echo "unknown target $target" >&2; exit 2 ;;
  esac
  work=$(mktemp -d)
  cp -r "Corpus/$corpus/." "$work/"
  echo "== $target for ${seconds}s"
  if ! ".build-fuzz/release/$target" -max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
      -max_len=65536 -artifact_prefix="findings/$target-" "$work" 2>"findings/$target.log"; then
    status=1
    echo "!! $target found a problem: see Fuzz/findings/$target.log" >&2
  fi
  grep -E "^#[0-9]+.*(INITED|DONE)|stat::number_of_executed_units|stat::peak_rss_mb" "findings/$target.log" | tail -4
  if ! grep -qE "INITED cov: [0-9]+" "findings/$target.log"; then
    echo "!! $target ran without coverage counters" >&2
    status=1
  fi
  rm -rf "$work"
done
exit $status
