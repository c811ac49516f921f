#!/usr/bin/env bash
# Builds the libFuzzer targets (tests/fuzz/, clang + ASan + UBSan, in the same build folder
# as scripts/sanitize.sh asan) and runs each for a bounded time, printing its executions.
# Docs: docs/ROBUSTNESS.md (fuzzing).
#
#   scripts/fuzz.sh                 every target, 60 s each (what CI runs)
#   scripts/fuzz.sh 3600            every target, an hour each (a long run)
#   scripts/fuzz.sh 600 model_ops_fuzz
#   scripts/fuzz.sh seeds           regenerate the committed seed corpus (tests/fuzz/corpus/)
#
# Environment: FUZZ_BUILD (build folder, default <repo>/build-asan), FUZZ_JOBS (parallel
# fuzzing processes per target, default 1). New inputs go to $FUZZ_BUILD/fuzz-corpus/<target>
# (kept between runs, never into the repository); a crash or a broken invariant leaves its
# input in $FUZZ_BUILD/fuzz-crashes/<target>/ and makes the script fail.
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BUILD="${FUZZ_BUILD:-$ROOT/build-asan}"
JOBS="${FUZZ_JOBS:-1}"
ALL=(model_ops_fuzz endpoint_fuzz)

configure() {
  # The configuration of scripts/sanitize.sh asan, so that both share one build.
  if [ -f "$BUILD/CMakeCache.txt" ] && ! grep -q 'CMAKE_CXX_COMPILER:.*clang' "$BUILD/CMakeCache.txt"; then
    rm -rf "$BUILD"
  fi
  cmake -S "$ROOT" -B "$BUILD" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang \
    -DCMAKE_CXX_COMPILER=clang++ -DTANDEM_SANITIZE=address -DTANDEM_FUZZ=ON >/dev/null
}

if [[ "${1:-}" == "seeds" ]]; then
  configure
  cmake --build "$BUILD" --target fuzz_seeds
  "$BUILD/tests/fuzz/fuzz_seeds" "$ROOT/tests/fuzz/corpus"
  exit 0
fi

SECS="${1:-60}"
shift || true
TARGETS=("$@")
[[ ${#TARGETS[@]} -eq 0 ]] && TARGETS=("${ALL[@]}")

configure
cmake --build "$BUILD" --target "${TARGETS[@]}"

export ASAN_OPTIONS="${ASAN_OPTIONS:-abort_on_error=1:detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
failed=0
for t in "${TARGETS[@]}"; do
  work="$BUILD/fuzz-corpus/$t"
  crashes="$BUILD/fuzz-crashes/$t"
  log="$BUILD/fuzz-$t.log"
  rm -rf "$BUILD/fuzz-jobs-$t"
  mkdir -p "$work" "$crashes"
  echo "== $t: ${SECS}s"
  set +e
  if [[ "$JOBS" -gt 1 ]]; then
    mkdir -p "$BUILD/fuzz-jobs-$t"
    (cd "$BUILD/fuzz-jobs-$t" && "$BUILD/tests/fuzz/$t" -max_total_time="$SECS" -print_final_stats=1 -timeout=20 \
      -rss_limit_mb=2048 -artifact_prefix="$crashes/" -jobs="$JOBS" -workers="$JOBS" \
      "$work" "$ROOT/tests/fuzz/corpus/$t" >"$log" 2>&1)
    rc=$?
  else
    "$BUILD/tests/fuzz/$t" -max_total_time="$SECS" -print_final_stats=1 -timeout=20 -rss_limit_mb=2048 \
      -artifact_prefix="$crashes/" "$work" "$ROOT/tests/fuzz/corpus/$t" >"$log" 2>&1
    rc=$?
  fi
  set -e
  execs=$(grep -h 'stat::number_of_executed_units' "$log" "$BUILD/fuzz-jobs-$t"/fuzz-*.log 2>/dev/null | awk '{s+=$2} END {print s+0}' || true)
  cov=$(grep -E '^#[0-9]+.*(DONE|pulse|NEW|REDUCE)' "$log" | tail -1 | sed -E 's/.*cov: ([0-9]+).*/\1/' || true)
  echo "$t: $execs executions in ${SECS}s, coverage ${cov:-?} edges, corpus $(find "$work" -type f | wc -l) files, exit $rc"
  if [[ $rc -ne 0 ]]; then
    failed=1
    echo "$t FAILED: input(s) in $crashes; log $log"
    grep -E 'ERROR|invariant|SUMMARY|refused' "$log" | head -20 || true
  fi
done
exit $failed
