#!/usr/bin/env bash
# Builds everything, then runs every test (unit, integration, e2e) through ctest.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
cd build
ctest --output-on-failure -j "${TANDEM_TEST_JOBS:-2}" "$@"
