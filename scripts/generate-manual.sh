#!/usr/bin/env bash
# Writes the flowlens man page, flowlens.1 (one page, every subcommand), into DIR (default: the
# current directory). It is generated from the commands' --help text by swift-argument-parser's
# generate-manual plugin, so it never drifts from the binary. The page is dated with the last
# commit, so the same commit gives the same page.
#   scripts/generate-manual.sh /tmp/man && man -l /tmp/man/flowlens.1
#   sudo scripts/generate-manual.sh /usr/local/share/man/man1
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="${1:-.}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
"$root/scripts/setup.sh"
cd "$root"
date="$(git log -1 --format=%cs 2>/dev/null || date -u +%F)"
page=".build/plugins/GenerateManual/outputs/flowlens/flowlens.1"
rm -f "$page"
log="$(mktemp)"
trap 'rm -f "$log"' EXIT
# A debug build is enough (the page comes from the help text) and is the one `swift test` leaves.
if ! swift package generate-manual --configuration debug --date "$date" >"$log" 2>&1 || [ ! -s "$page" ]; then
  tail -20 "$log" >&2
  echo "generate-manual: no man page was generated" >&2
  exit 1
fi
cp "$page" "$out/flowlens.1"
echo "$out/flowlens.1"
