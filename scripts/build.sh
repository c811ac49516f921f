#!/usr/bin/env bash
# Configures and builds everything: the server, tests and benchmarks into ./build
# (RelWithDebInfo), and the web client into web-client/dist.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
jobs="${TANDEM_JOBS:-$(nproc)}"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build build -j "$jobs"

# The web client: install its npm packages when the lock file changed, then build.
(
  cd web-client
  if [ ! -f node_modules/.tandem-lock ] || ! cmp -s package-lock.json node_modules/.tandem-lock; then
    # npm ci refuses this lock file under npm 11 (platform-optional packages of
    # rollup); npm install honours the locked versions just the same.
    npm install --no-audit --no-fund --loglevel=error
    cp package-lock.json node_modules/.tandem-lock
  fi
  npm run --silent build
)
