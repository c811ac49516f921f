#!/usr/bin/env bash
# Builds and runs the tests under a sanitizer (issue 12; docs on sanitizers):
#   scripts/sanitize.sh asan   ASan+UBSan (clang): every ctest test except e2e, the cluster test (tests/cluster/: processes of the main build) and the web client
#                              (TANDEM_SAN_LABELS_EXCLUDE widens the exclusion, e.g. "e2e|crash|fuzz").
#                              The same build holds the libFuzzer targets: scripts/fuzz.sh uses it.
#   scripts/sanitize.sh tsan   TSan: the threaded server tests (server_test, session_test,
#                              convergence_test), each binary in 2 gtest shards at once
# Build folders: build-asan / build-tsan at the top (TANDEM_SAN_BUILD_DIR overrides).
# Suppressions, each with its reason: tests/sanitizers/*.supp.
set -euo pipefail
cd "$(dirname "$0")/.."
root="$(pwd)"
kind="${1:-}"
jobs="${TANDEM_JOBS:-$(nproc)}"
supp="$root/tests/sanitizers"

case "$kind" in
  asan)
    sanitize=address
    targets=(storage_test model_test access_test session_test server_test convergence_test crash_test cli_test transfer_test
             cluster_placement_test tandem
             tandem_faulty model_ops_fuzz endpoint_fuzz)
    # clang: its libFuzzer shares this build (tests/fuzz/CMakeLists.txt), one instrumented
    # build instead of two in CI.
    compiler=(-DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DTANDEM_FUZZ=ON)
    ;;
  tsan)
    sanitize=thread
    targets=(server_test session_test convergence_test)
    compiler=()
    ;;
  *)
    echo "usage: scripts/sanitize.sh asan|tsan" >&2
    exit 2
    ;;
esac
build="${TANDEM_SAN_BUILD_DIR:-$root/build-$kind}"

scripts/install-deps.sh
start=$(date +%s)
# A folder configured with another compiler cannot be reconfigured: start it again.
if [ -f "$build/CMakeCache.txt" ] && [ "$kind" = asan ] && ! grep -q 'CMAKE_CXX_COMPILER:.*clang' "$build/CMakeCache.txt"; then
  rm -rf "$build"
fi
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DTANDEM_SANITIZE="$sanitize" "${compiler[@]}" >/dev/null
cmake --build "$build" -j "$jobs" --target "${targets[@]}"
built=$(date +%s)
echo "sanitize.sh $kind: build $((built - start)) s"

# abort_on_error/halt_on_error: a finding fails the test (UBSan also compiled with
# -fno-sanitize-recover=undefined, top-level CMakeLists.txt).
export ASAN_OPTIONS="abort_on_error=1:detect_leaks=1:strict_string_checks=1:detect_stack_use_after_return=1:check_initialization_order=1${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$supp/ubsan.supp${UBSAN_OPTIONS:+:$UBSAN_OPTIONS}"
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:history_size=4:suppressions=$supp/tsan.supp${TSAN_OPTIONS:+:$TSAN_OPTIONS}"

status=0
if [ "$kind" = asan ]; then
  (cd "$build" && ctest --output-on-failure -j "${TANDEM_TEST_JOBS:-2}" \
     -LE "${TANDEM_SAN_LABELS_EXCLUDE:-e2e|cluster}" -E '^web_client|^cluster_test' --timeout 600) || status=$?
else
  # TSan slows these tests 5-15x; gtest sharding keeps both cores busy without
  # paying ctest's one-process-per-case start-up (TSan's shadow set-up) per case.
  shards=2
  # The 10,000-item backlog case is one long single-board run (5 min under TSan, most of the
  # stage); it runs in the main and asan stages. TANDEM_TSAN_FILTER="*" runs it here too.
  filter="${TANDEM_TSAN_FILTER:--Convergence.ABacklogOf10000ItemsKeepsOneTotalOrder}"
  for t in "${targets[@]}"; do
    bin="$build/tests/$t"
    [ -x "$bin" ] || continue
    pids=()
    for i in $(seq 0 $((shards - 1))); do
      GTEST_TOTAL_SHARDS=$shards GTEST_SHARD_INDEX=$i timeout 1200 "$bin" --gtest_brief=1 --gtest_filter="$filter" \
        >"$build/$t.shard$i.log" 2>&1 &
      pids+=($!)
    done
    for i in "${!pids[@]}"; do
      if wait "${pids[$i]}"; then
        echo "tsan: $t shard $i passed"
      else
        status=1
        echo "tsan: $t shard $i FAILED (log: $build/$t.shard$i.log)"
        tail -n 80 "$build/$t.shard$i.log"
      fi
    done
  done
fi
echo "sanitize.sh $kind: tests $(( $(date +%s) - built )) s, exit $status"
exit $status
