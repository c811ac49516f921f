#!/usr/bin/env bash
# Builds everything, then runs every test, in stages (CI runs all of them: .ci/run):
#   main   ctest in ./build: unit, integration, crash, convergence, the deploy files, the web
#          client's vitest suite and the Chromium end-to-end tests (label e2e)
#   asan   the C++ tests again under ASan+UBSan, with the fuzz corpus replayed
#          (scripts/sanitize.sh asan; clang, build-asan)
#   fuzz   each libFuzzer target for TANDEM_FUZZ_SECONDS (default 60) in that same build
#          (scripts/fuzz.sh)
#   tsan   the threaded server tests under TSan (scripts/sanitize.sh tsan; build-tsan)
# TANDEM_TEST_STAGES picks stages ("main" for the quick local loop); arguments go to the main
# stage's ctest (e.g. scripts/test.sh -LE e2e). A failing stage does not stop the next; the
# script fails if any failed, and prints each stage's time.
set -euo pipefail
cd "$(dirname "$0")/.."
stages="${TANDEM_TEST_STAGES:-main asan fuzz tsan}"
failed=()
summary=()

stage() {
  local name="$1"
  shift
  case " $stages " in *" $name "*) ;; *) return 0 ;; esac
  local start rc=0
  start=$(date +%s)
  echo "=== test.sh: stage $name"
  "$@" || rc=$?
  summary+=("$name: $(( $(date +%s) - start )) s, exit $rc")
  [ "$rc" -eq 0 ] || failed+=("$name")
}

main_stage() {
  scripts/build.sh
  (cd build && ctest --output-on-failure -j "${TANDEM_TEST_JOBS:-2}" "$@")
}

stage main main_stage "$@"
stage asan scripts/sanitize.sh asan
stage fuzz scripts/fuzz.sh "${TANDEM_FUZZ_SECONDS:-60}"
stage tsan scripts/sanitize.sh tsan

echo "=== test.sh: done"
printf '  %s\n' "${summary[@]}"
if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED stages: ${failed[*]}"
  exit 1
fi
