#!/usr/bin/env bash
# Installs what flowlens needs to build on Debian/Ubuntu: the zstd, zlib, ISA-L and snappy (Parquet pages)
# headers and pkg-config. Safe to run again: it installs nothing when pkg-config already finds all four libraries.
set -euo pipefail
if pkg-config --exists libzstd zlib libisal snappy 2>/dev/null; then
  exit 0
fi
sudo=""
if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq libzstd-dev zlib1g-dev libisal-dev libsnappy-dev pkg-config >/dev/null
pkg-config --exists libzstd zlib libisal snappy
