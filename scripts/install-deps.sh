#!/usr/bin/env bash
# Installs the Debian packages Tandem's build and tests need, when they are missing.
# Safe to run again: it only calls apt-get when a package is not installed.
#   scripts/install-deps.sh         everything: the server, the tests, benchmarks, sanitizers
#   scripts/install-deps.sh serve   only what building and running the server needs (scripts/run.sh)
#   scripts/install-deps.sh cluster what serve needs, and HAProxy and Redis (scripts/cluster.sh)
set -euo pipefail

packages=(
  g++ cmake ninja-build pkg-config
  libboost1.81-dev
  libprotobuf-dev protobuf-compiler
  librocksdb-dev
  libssl-dev        # HMAC-SHA256 of invite tokens (libcrypto)
  libcli11-dev      # the command line (server/cli/)
  libspdlog-dev     # the server log (server/log.hpp)
  libhiredis-dev    # the cluster placement's Redis client (server/cluster/, docs/CLUSTER.md)
)
if [ "${1:-all}" = cluster ]; then packages+=(haproxy redis-server); fi
if [ "${1:-all}" = all ]; then
  packages+=(
    libgtest-dev
    libbenchmark-dev  # bench/snapshot_bench.cpp (Google Benchmark)
    time              # bench/run3.sh measures CPU with /usr/bin/time
    chromium          # the web client's end-to-end tests drive Debian's Chromium
    clang libclang-rt-14-dev  # ASan+UBSan and libFuzzer build (scripts/sanitize.sh, scripts/fuzz.sh)
    prometheus        # promtool checks /metrics in a test
    haproxy nginx-light  # docs/deploy/ configurations checked by the tools themselves
    redis-server      # the cluster test's placement store (tests/cluster/, with redis-cli)
  )
fi
# Node.js builds the web client. The machine image ships Node 20; Debian 12's own
# nodejs (18) is only a fallback and too old for Vite 7.
if ! command -v node >/dev/null 2>&1; then packages+=(nodejs npm); fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
