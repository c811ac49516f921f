#!/usr/bin/env bash
# Configures and builds into ./build (RelWithDebInfo), and the web client into web-client/dist.
#   scripts/build.sh         everything: the server, tests and benchmarks (scripts/test.sh)
#   scripts/build.sh serve   only what serving needs: the tandem binary and the page (scripts/run.sh)
# Changes no tracked file: npm installs exactly what package-lock.json says (npm ci).
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-all}"
if [ "$what" = serve ]; then tests=OFF; else tests=ON; fi
scripts/install-deps.sh "$what"
jobs="${TANDEM_JOBS:-$(nproc)}"
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTANDEM_TESTS=$tests >/dev/null
if [ "$what" = serve ]; then
  cmake --build build -j "$jobs" --target tandem
else
  cmake --build build -j "$jobs"
fi

# The web client: install its npm packages when the lock file changed, then build.
(
  cd web-client
  if [ ! -f node_modules/.tandem-lock ] || ! cmp -s package-lock.json node_modules/.tandem-lock; then
    # Exactly the lock file's packages; the lock file itself is never rewritten.
    npm ci --no-audit --no-fund --loglevel=error
    cp package-lock.json node_modules/.tandem-lock
  fi
  npm run --silent build
)
