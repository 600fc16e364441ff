#!/usr/bin/env bash
# Builds the Benchmarks package (release, with ordo-one/benchmark) and checks every benchmark's
# malloc count against the thresholds committed in Benchmarks/Thresholds/<swift version>/, as
# swift-nio does. Malloc counts are deterministic, so they must match exactly: more allocations is
# a regression, fewer means the thresholds are stale. Either way the script fails and says how to
# update them. Only mallocCountTotal is measured here: the sampler behind the memory metrics
# allocates in the same process, and times are not stable on a shared machine.
#   scripts/check-benchmark-thresholds.sh            # check (about 10 s of runs after the build)
#   scripts/check-benchmark-thresholds.sh --update   # rewrite the thresholds from a run; review the diff
# The first build takes a few minutes (the benchmark tool and a release build of flowlens).
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
"$root/scripts/setup.sh" || exit 1
cd "$root/Benchmarks" || exit 1

swift_version=$(swift --version 2>/dev/null | sed -n 's/.*Swift version \([0-9][0-9]*\.[0-9][0-9]*\).*/\1/p' | head -1)
if [ -z "$swift_version" ]; then
  echo "check-benchmark-thresholds: cannot tell the Swift version from 'swift --version'" >&2
  exit 1
fi
thresholds="Thresholds/$swift_version"
metric=(--metric mallocCountTotal)

if [ "${1:-}" = "--update" ]; then
  swift package --allow-writing-to-package-directory benchmark thresholds update "${metric[@]}" \
    --path "$thresholds" --no-progress || exit 1
  git -C "$root" status --short -- "Benchmarks/$thresholds"
  exit 0
fi

if [ ! -d "$thresholds" ]; then
  echo "check-benchmark-thresholds: no thresholds for Swift $swift_version in Benchmarks/$thresholds;" \
    "run scripts/check-benchmark-thresholds.sh --update and commit them" >&2
  exit 1
fi

# `swift package` exits 1 for any failure of the plugin, so the verdict is read from the output.
log=$(mktemp)
trap 'rm -f "$log"' EXIT
swift package benchmark thresholds check "${metric[@]}" --path "$thresholds" --no-progress 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
if [ "$status" -eq 0 ]; then
  echo "benchmark thresholds: every malloc count as committed in Benchmarks/$thresholds"
elif grep -q "is WORSE than the defined thresholds" "$log"; then
  echo "check-benchmark-thresholds: more allocations than Benchmarks/$thresholds allows (above)." \
    "If that is intended, run scripts/check-benchmark-thresholds.sh --update and commit the new thresholds" >&2
elif grep -q "is BETTER than the defined thresholds" "$log"; then
  echo "check-benchmark-thresholds: fewer allocations than Benchmarks/$thresholds says (above):" \
    "run scripts/check-benchmark-thresholds.sh --update and commit the lower thresholds" >&2
else
  echo "check-benchmark-thresholds: the benchmarks did not build or run (exit $status)" >&2
fi
exit "$status"
