#!/usr/bin/env bash
# Throughput of many boards on one node against the same load on a cluster behind HAProxy
# (issue 14, docs/CLUSTER.md). Everything runs on this machine, on loopback:
#   bench/cluster.sh single [LOAD OPTIONS]   one node, no Redis, no HAProxy (the single-node server)
#   bench/cluster.sh N [LOAD OPTIONS]        Redis + HAProxy + N nodes; the load goes through HAProxy
# The load is build/bench/tandem_load against the running server(s) (--port), by default
# --boards 200 --clients 1000 --window 4 --seconds 10 (5 clients a board, saturating).
# Besides tandem_load's figures it prints the CPU each part used over the load's run, in
# cores (`cpu_nodes_cores`, `cpu_haproxy_cores`, `cpu_redis_cores`), and their sum per
# accepted change (`cpu_us_per_op_all`, load generator excluded). Use bench/run3.sh for
# figures: bench/run3.sh --keys "accepted_ops_per_s cpu_us_per_op_all" bench/cluster.sh 3
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/cluster_lib.sh
mode="${1:?single or a node count}"
shift
load=(build/bench/tandem_load --boards 200 --clients 1000 --window 4 --seconds 10 "$@")
tandem=build/server/tandem
[ -x "$tandem" ] && [ -x "${load[0]}" ] || { echo "build first: scripts/build.sh" >&2; exit 1; }

dir=$(mktemp -d /tmp/tandem-cluster-bench-XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill -9 "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT

ticks() { local t=0 p; for p in "$@"; do t=$((t + $(awk '{print $14+$15}' "/proc/$p/stat"))); done; echo "$t"; }

head -c 32 /dev/urandom >"$dir/secret"
node_pids=(); haproxy_pid=""; redis_pid=""
if [ "$mode" = single ]; then
  port=$(free_port)
  with_secret "$dir/n1" "$dir/secret"
  "$tandem" serve --port "$port" --data "$dir/n1" --durability wal --log-level warn >"$dir/n1.log" 2>&1 &
  node_pids+=($!); pids+=($!)
  wait_ready "$port"
  entry=$port
else
  redis_port=$(free_port); entry=$(free_port)
  redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" >"$dir/redis.log" 2>&1 &
  redis_pid=$!; pids+=($!)
  ports=()
  for i in $(seq "$mode"); do
    port=$(free_port)
    with_secret "$dir/n$i" "$dir/secret"
    mapfile -t args < <(node_args "$tandem" "$dir/n$i" "$port" "n$i" "$redis_port" "$entry")
    "${args[@]}" --durability wal --log-level warn >"$dir/n$i.log" 2>&1 &
    node_pids+=($!); pids+=($!); ports+=("$port")
  done
  for p in "${ports[@]}"; do wait_ready "$p"; done
  write_haproxy_cfg "$dir/haproxy.cfg" "$entry" "${ports[@]}"
  haproxy -f "$dir/haproxy.cfg" -db >"$dir/haproxy.log" 2>&1 &
  haproxy_pid=$!; pids+=($!)
  wait_ready "$entry"
fi

hz=$(getconf CLK_TCK)
n0=$(ticks "${node_pids[@]}"); h0=0; r0=0
[ -n "$haproxy_pid" ] && h0=$(ticks "$haproxy_pid") && r0=$(ticks "$redis_pid")
t0=$(date +%s.%N)
out=$("${load[@]}" --port "$entry")
t1=$(date +%s.%N)
n1=$(ticks "${node_pids[@]}"); h1=0; r1=0
[ -n "$haproxy_pid" ] && h1=$(ticks "$haproxy_pid") && r1=$(ticks "$redis_pid")
echo "$out"
ops=$(echo "$out" | grep -o 'accepted_ops_per_s=[0-9.]*' | sed 's/.*=//')
secs=$(echo "$out" | grep -o 'seconds=[0-9.]*' | head -1 | sed 's/.*=//')
awk -v n=$((n1 - n0)) -v h=$((h1 - h0)) -v r=$((r1 - r0)) -v hz="$hz" -v t0="$t0" -v t1="$t1" -v ops="${ops:-0}" 'BEGIN {
  el = t1 - t0
  printf "mode_nodes=%s cpu_nodes_cores=%.2f cpu_haproxy_cores=%.2f cpu_redis_cores=%.3f\n", "'"$mode"'", n/hz/el, h/hz/el, r/hz/el
  # CPU over the whole run (setup included) per change accepted in the window: a ratio, not an
  # absolute (setup is the same in every mode).
  if (ops > 0) printf "cpu_us_per_op_all=%.1f\n", (n + h + r) / hz * 1e6 / (ops * el)
}'
