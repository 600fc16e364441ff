#!/usr/bin/env bash
# Renders `flowlens report` pages in headless Chromium and checks the DOM the browser built:
#  - the bundled sample (with Fixtures/policies/corporate.yaml): every chart has the bars that
#    `summary --format json`, `records` and `audit --format json` say it should
#    (scripts/check_report_dom.py computes them);
#  - a hostile fixture whose interface ids, file name, parse issues and policy carry script: none
#    of it ran (the title is unchanged, no script element or event handler exists) and it shows
#    as text;
#  - a control page with the same payload unescaped, to show that the check catches script that
#    runs (Chromium runs it before --dump-dom).
# Also writes screenshots (light and dark) and a PDF print of the sample.
#
# Usage: scripts/check-report.sh [OUTPUT_DIR]   (default: a new temporary directory)
# Environment: FLOWLENS_SCRATCH, the build folder (default .build).
set -euo pipefail
cd "$(dirname "$0")/.."

scratch="${FLOWLENS_SCRATCH:-.build}"
out="${1:-$(mktemp -d "${TMPDIR:-/tmp}/flowlens-report-check.XXXXXX")}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

chromium="$(command -v chromium || command -v chromium-browser || true)"
if [ -z "$chromium" ]; then
  echo "check-report: chromium is not installed (apt-get install chromium)" >&2
  exit 2
fi

swift build --scratch-path "$scratch" --product flowlens >"$out/build.log" 2>&1 || { cat "$out/build.log" >&2; exit 2; }
flowlens="$(swift build --scratch-path "$scratch" --show-bin-path)/flowlens"

# One headless Chromium run; its own profile, its noise on stderr kept in a log.
browser() {
  timeout 180 "$chromium" --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
    --user-data-dir="$out/chromium-profile" "$@" 2>>"$out/chromium.log"
}

failures=0

# check NAME POLICY INPUT [check_report_dom.py options...]
check() {
  local name=$1 policy=$2 input=$3
  shift 3
  echo "== $name"
  "$flowlens" report --quiet --policy "$policy" "$input" -o "$out/$name.html"
  "$flowlens" summary --quiet --format json --top 0 "$input" >"$out/$name-summary.json"
  "$flowlens" records --quiet "$input" >"$out/$name-records.ndjson"
  "$flowlens" audit --quiet --format json --policy "$policy" "$input" >"$out/$name-audit.json"
  browser --dump-dom "file://$out/$name.html" >"$out/$name.dom.html"
  if ! python3 scripts/check_report_dom.py "$out/$name.dom.html" --summary "$out/$name-summary.json" \
    --records "$out/$name-records.ndjson" --audit "$out/$name-audit.json" "$@"; then
    failures=$((failures + 1))
  fi
}

check sample Fixtures/policies/corporate.yaml Fixtures/sample

# The hostile fixture, under a file name that is markup too.
mkdir -p "$out/hostile-input"
cp Fixtures/hostile/hostile.log "$out/hostile-input/<svg onload=document.title='PWNED-FILE'>.log"
check hostile Fixtures/policies/hostile.yaml "$out/hostile-input" \
  --expect-text "eni-<script>document.title='PWNED'</script>" \
  --expect-text "eni-<svg/onload=document.title='PWNED-SVG'>" \
  --expect-text "<b>ssh</b>-<script>document.title='PWNED-RULE'</script>" \
  --expect-text "<img src=x onerror=\"document.title='PWNED-REMEDY'\"> & restrict port 22 | see runbook" \
  --expect-text "<svg onload=document.title='PWNED-FILE'>.log"

echo "== control: the same payloads unescaped must be caught"
cat >"$out/control.html" <<'HTML'
<!DOCTYPE html><html><head><title>flowlens report</title></head><body><main>
<p>eni-<script>document.title='PWNED'</script></p><p>eni-<svg/onload=document.body.setAttribute('data-pwned','1')></p>
</main></body></html>
HTML
browser --dump-dom "file://$out/control.html" >"$out/control.dom.html"
if python3 scripts/check_report_dom.py "$out/control.dom.html" --safety-only >"$out/control-check.txt"; then
  echo "FAIL  the control page passed: the DOM check cannot see script that ran"
  failures=$((failures + 1))
else
  grep -c '^FAIL  ' "$out/control-check.txt" | xargs printf 'ok    the control page failed %s safety checks, as it should\n'
fi

echo "== screenshots and print"
browser --window-size=1280,4200 --screenshot="$out/sample.png" "file://$out/sample.html" >/dev/null
browser --window-size=1280,1600 --force-dark-mode --screenshot="$out/sample-dark.png" "file://$out/sample.html" >/dev/null
browser --window-size=1280,3200 --screenshot="$out/hostile.png" "file://$out/hostile.html" >/dev/null
browser --no-pdf-header-footer --print-to-pdf="$out/sample.pdf" "file://$out/sample.html" >/dev/null
for file in sample.png sample-dark.png hostile.png sample.pdf; do
  if [ -s "$out/$file" ]; then
    echo "ok    $out/$file ($(wc -c <"$out/$file") bytes)"
  else
    echo "FAIL  $out/$file was not written"
    failures=$((failures + 1))
  fi
done
if ! head -c 5 "$out/sample.pdf" | grep -q '%PDF-'; then
  echo "FAIL  $out/sample.pdf is not a PDF"
  failures=$((failures + 1))
fi

if [ "$failures" -gt 0 ]; then
  echo "check-report: $failures check(s) failed; pages, DOMs and logs are in $out" >&2
  exit 1
fi
echo "check-report: all checks passed; pages, DOMs, screenshots and the PDF are in $out"
