#!/usr/bin/env bash
# Checks the Swift sources against .swift-format (the toolchain's swift-format); `--fix` formats them.
set -euo pipefail
cd "$(dirname "$0")/.."
paths=(Package.swift Sources Tests Benchmarks/Package.swift Benchmarks/Sources Benchmarks/Benchmarks Fuzz/Package.swift Fuzz/Sources)
if [ "${1:-}" = "--fix" ]; then
  swift format --in-place --recursive "${paths[@]}"
else
  swift format lint --strict --recursive "${paths[@]}"
fi
