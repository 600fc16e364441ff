#!/usr/bin/env bash
# Checks the Swift sources against .swift-format (the toolchain's swift-format) and that generated
# code is current; `--fix` regenerates and formats.
set -euo pipefail
cd "$(dirname "$0")/.."
paths=(Package.swift Sources Tests Benchmarks/Package.swift Benchmarks/Sources Benchmarks/Benchmarks Fuzz/Package.swift Fuzz/Sources)
if [ "${1:-}" = "--fix" ]; then
  scripts/generate-detector-wiring.py
  swift format --in-place --recursive "${paths[@]}"
else
  # The detectors' wiring is generated from Sources/FlowStats/Audit/detectors.list.
  scripts/generate-detector-wiring.py --check
  swift format lint --strict --recursive "${paths[@]}"
fi
