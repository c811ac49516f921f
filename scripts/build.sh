#!/usr/bin/env bash
# Configures and builds everything into ./build (Release with debug info).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
jobs="${TANDEM_JOBS:-$(nproc)}"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$jobs"
