#!/usr/bin/env bash
# The benchmark of record (issue "A room of 200"): every scenario of DESIGN section 6
# plus the 200-client room, idle connections, join of a 10,000-note board, restart
# with 1,000,000 changes and 200 boards x 5 clients; each run 3 times by bench/run3.sh
# (median, range, and the CPU other processes used meanwhile). Builds nothing: the
# binaries come from $TANDEM_BUILD (default build/, as scripts/build.sh makes them).
#   bench/run.sh [--out FILE.md] [--only LABEL[,LABEL...]]
# Prints one table and writes it as Markdown to --out. Figures in README and docs are
# copied from this output. About 7 minutes on the 2-core dev machine.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
build="${TANDEM_BUILD:-$repo/build}"
out=""
only=""
while [ $# -gt 0 ]; do
  case "$1" in
    --out) out="$2"; shift 2 ;;
    --only) only=",$2,"; shift 2 ;;
    *) echo "usage: bench/run.sh [--out FILE.md] [--only LABEL,...]" >&2; exit 2 ;;
  esac
done
load="$build/bench/tandem_load"
for bin in "$load" "$build/server/tandem"; do
  [ -x "$bin" ] || { echo "missing $bin: build first (scripts/build.sh) or set TANDEM_BUILD" >&2; exit 1; }
done
tsv=$(mktemp)
targets=$(mktemp)
trap 'rm -f "$tsv" "$targets"' EXIT
start=$(date +%s)
commit=$(git -C "$repo" rev-parse HEAD 2>/dev/null | cut -c1-12 || echo unknown)
built=$(date -u -r "$build/server/tandem" "+%Y-%m-%d %H:%M UTC")

# scenario LABEL "KEY[:target] ..." ARGS...: one row per key, run 3 times.
scenario() {
  local label="$1" spec="$2"; shift 2
  [ -z "$only" ] || [[ "$only" == *",$label,"* ]] || return 0
  local keys="" item
  for item in $spec; do
    keys+="${item%%:*} cpu_us_per_op cpu_us_per_delivery "
    [[ "$item" == *:* ]] && printf '%s\t%s\t%s\n' "$label" "${item%%:*}" "${item#*:}" >>"$targets"
  done
  keys=$(printf '%s\n' $keys | awk '!seen[$0]++' | tr '\n' ' ')
  echo "== $label: tandem_load $*" >&2
  "$repo/bench/run3.sh" --keys "$keys" --label "$label" --tsv "$tsv" "$load" "$@" >&2
}

# DESIGN section 6. Targets use '_' for spaces.
scenario sat2 "accepted_ops_per_s fanout_ms_p99" --clients 2 --seconds 10
scenario sat20 "accepted_ops_per_s:>=_35,000 fanout_ms_p99:<_20 cpu_us_per_delivery:<=_1.5" --clients 20 --window 16 --seconds 10
scenario sat20-wal "accepted_ops_per_s fanout_ms_p99 cpu_us_per_delivery" --clients 20 --window 16 --seconds 10 --durability wal
scenario workshop50 "fanout_ms_p99:<_2 cpu_us_per_op:<_300" --clients 50 --rate 2 --seconds 10
# The same workshop while private writing is on (FAC-4): 50 members, each change filtered
# per view (VIS-6); the others get it without ops (VIS-5), counted but not timed.
scenario workshop50-private "ack_ms_p99 hidden_deliveries_per_s cpu_us_per_op" --clients 50 --rate 2 --private-writing --seconds 10
# The room of 200: distinct members, 1 op/s and cursors at 30 Hz each.
scenario room200 "fanout_ms_p99:<_30 ack_ms_p99 lost_deliveries:0 unanswered:0 cursor_hz_per_peer_min_client:30 cursor_hz_per_peer_p50_client:30 presence_ms_p99 server_cores:<_1 load_generator_cores" \
  --clients 200 --rate 1 --cursor-hz 30 --distinct-members --seconds 10
# 10,000 idle connections (50 per board, over 127.0.0.2-254) beside 2 active clients.
scenario idle10k "idle_kib_per_conn:<=_10 idle_connections:10000 idle_open_s" --clients 2 --rate 2 --idle 10000 --seconds 2
# Joins of a 10,000-note board (one after another, second half of the window) while 5
# members send 20 ops/s each: their fan-out before and during the joins.
scenario join10k "join_ms_p50:<_30 join_ms_p99:<_30 fanout_before_joins_ms_p99 fanout_during_joins_ms_p99 join_extra_fanout_p99_ms:<_5 joins" \
  --clients 5 --rate 20 --join-notes 10000 --seconds 10
# Restart: 1,000,000 changes written (4 clients saturating, wal), SIGTERM, start again,
# time until a join of the board is answered with a Welcome.
scenario restart1m "restart_welcome_ms restart_listen_ms restart_stop_ms restart_changes:>=_1,000,000 fill_ops_per_s" \
  --clients 4 --window 64 --durability wal --restart-changes 1000000
# 200 boards x 5 clients, 1 op/s each.
scenario boards200 "accepted_ops_per_s fanout_ms_p99 lost_deliveries:0 cpu_us_per_op" --clients 1000 --boards 200 --rate 1 --seconds 10

# What a join costs the board's strand: encoding a snapshot of 10,000 and 100,000 notes
# (Google Benchmark, 3 repetitions; median and range of the CPU time).
snap="$build/bench/tandem_snapshot_bench"
snapshot_rows=""
if [ -x "$snap" ] && { [ -z "$only" ] || [[ "$only" == *",snapshot,"* ]]; }; then
  echo "== snapshot: tandem_snapshot_bench" >&2
  snapshot_rows=$("$snap" --benchmark_repetitions=3 --benchmark_format=csv 2>/dev/null | awk -F, '
    NR > 1 && $1 !~ /_(mean|median|stddev|cv)"?$/ { n = $1; gsub("\"", "", n); v[n] = v[n] " " $4; if (!(n in seen)) { seen[n] = 1; order[++k] = n } }
    END { for (i = 1; i <= k; ++i) { m = split(v[order[i]], a, " ")
            for (x = 1; x <= m; ++x) for (y = x + 1; y <= m; ++y) if (a[y] + 0 < a[x] + 0) { t = a[x]; a[x] = a[y]; a[y] = t }
            printf "| %s | %.2f | %.2f-%.2f |\n", order[i], a[int((m + 1) / 2)], a[1], a[m] } }')
fi

elapsed=$(( $(date +%s) - start ))
# The table: one row per figure; the CPU columns and other-process CPU on each scenario's first row.
render() {
  awk -F'\t' -v md="$1" -v targets="$targets" '
    BEGIN { while ((getline l < targets) > 0) { split(l, tt, "\t"); tg[tt[1] SUBSEP tt[2]] = tt[3] } }
    $2 == "other_cpu_s" { other[$1] = $3; next }
    { if (!($1 in seen)) { seen[$1] = 1; order[++n] = $1 }
      v[$1 SUBSEP $2] = $3; r[$1 SUBSEP $2] = $4 "-" $5; if (!(($1 SUBSEP $2) in has)) { has[$1 SUBSEP $2] = 1; ks[$1] = ks[$1] " " $2 } }
    END {
      if (md) { print "| scenario | figure | median | range | target | server CPU per op (us) | server CPU per delivery (us) | other processes CPU per run (s) |"
                print "|---|---|---|---|---|---|---|---|" }
      else printf "%-10s %-32s %12s %-24s %-10s %10s %10s %s\n", "scenario", "figure", "median", "range", "target", "us/op", "us/deliv", "other CPU s"
      for (i = 1; i <= n; ++i) {
        s = order[i]; m = split(ks[s], kk, " "); first = 1
        for (j = 1; j <= m; ++j) {
          k = kk[j]; if (k == "cpu_us_per_op" || k == "cpu_us_per_delivery") continue
          t = tg[s SUBSEP k]; gsub("_", " ", t); if (t == "") t = "-"
          op = first ? v[s SUBSEP "cpu_us_per_op"] " (" r[s SUBSEP "cpu_us_per_op"] ")" : ""
          dl = first ? v[s SUBSEP "cpu_us_per_delivery"] " (" r[s SUBSEP "cpu_us_per_delivery"] ")" : ""
          oc = first ? other[s] : ""
          if (md) printf "| %s | %s | %s | %s | %s | %s | %s | %s |\n", first ? s : "", k, v[s SUBSEP k], r[s SUBSEP k], t, op, dl, oc
          else printf "%-10s %-32s %12s %-24s %-10s %10s %10s %s\n", first ? s : "", k, v[s SUBSEP k], r[s SUBSEP k], t, \
                      first ? v[s SUBSEP "cpu_us_per_op"] : "", first ? v[s SUBSEP "cpu_us_per_delivery"] : "", oc
          first = 0
        }
      }
    }' "$tsv"
}
render 0
if [ -n "$snapshot_rows" ]; then printf '\nsnapshot encoding, ms of CPU (median, range of 3):\n%s\n' "$snapshot_rows"; fi
echo "total: ${elapsed} s"
if [ -n "$out" ]; then
  { echo "$(date -u +%Y-%m-%d), HEAD $commit when the run started, server binary built $built, $(nproc) cores, total ${elapsed} s; each figure the median of 3 runs (bench/run.sh)."
    echo
    render 1
    if [ -n "$snapshot_rows" ]; then
      printf '\nEncoding a joiner'"'"'s snapshot (tandem_snapshot_bench, CPU ms, 3 repetitions):\n\n| benchmark/notes | median | range |\n|---|---|---|\n%s\n' "$snapshot_rows"
    fi; } >"$out"
  echo "wrote $out"
fi
