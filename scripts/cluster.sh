#!/usr/bin/env bash
# Many Tandem nodes on this machine, to try what docs/CLUSTER.md describes: Redis holds the
# board leases, HAProxy routes each board to its node, and every node keeps its own data.
#   scripts/cluster.sh [NODES]      builds what serving needs, starts Redis, NODES nodes
#                                   (default 3) and HAProxy, and prints the URL and each node
#   scripts/cluster.sh node K       starts node K again, alone, in the foreground (after a
#                                   kill -9 of it, say), with the flags it had
# Ports: HAProxy on $PORT (default 8080), node K on PORT+K, Redis on PORT+100. Data stays in
# ${TANDEM_DATA:-./data-cluster} (nK/ per node, redis/ with an append-only file), so a
# second run finds the boards where it left them. Ctrl+C stops everything; the nodes write
# what they acknowledged first.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/cluster_lib.sh
base=${PORT:-8080}
data=${TANDEM_DATA:-./data-cluster}
tandem=build/server/tandem
redis_port=$((base + 100))

node_cmd() {  # K: node K's command line
  mapfile -t args < <(node_args "$tandem" "$data/n$1" $((base + $1)) "n$1" "$redis_port" "$base")
}

if [ "${1:-}" = node ]; then
  k=${2:?scripts/cluster.sh node K}
  [ -d "$data/n$k" ] || { echo "no node $k in $data (start the cluster first)" >&2; exit 2; }
  node_cmd "$k"
  exec "${args[@]}"
fi

nodes=${1:-3}
case "$nodes" in '' | *[!0-9]* | 0) echo "NODES is a count of nodes: scripts/cluster.sh 3" >&2; exit 2 ;; esac
scripts/install-deps.sh cluster
scripts/build.sh serve

mkdir -p "$data/redis"
[ -f "$data/secret" ] || { head -c 32 /dev/urandom >"$data/secret" && chmod 600 "$data/secret"; }
pids=()
stop() {
  trap - EXIT INT TERM
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop EXIT INT TERM

# appendonly: a restarted Redis keeps the placement (docs/CLUSTER.md, "Left out").
redis-server --port "$redis_port" --bind 127.0.0.1 --save '' --appendonly yes --dir "$(realpath "$data/redis")" \
  >"$data/redis.log" 2>&1 &
pids+=($!)
ports=()
for k in $(seq "$nodes"); do
  with_secret "$data/n$k" "$data/secret"
  node_cmd "$k"
  "${args[@]}" >"$data/n$k.log" 2>&1 &
  pids+=($!)
  ports+=($((base + k)))
done
for p in "${ports[@]}"; do wait_ready "$p"; done
write_haproxy_cfg "$data/haproxy.cfg" "$base" "${ports[@]}"
haproxy -f "$data/haproxy.cfg" -db >"$data/haproxy.log" 2>&1 &
pids+=($!)
wait_ready "$base"

echo "Tandem cluster is running: open http://127.0.0.1:$base/  ($nodes nodes behind HAProxy, data: $data)"
for k in $(seq "$nodes"); do
  echo "  node n$k: pid ${pids[$k]}, http://127.0.0.1:$((base + k)), log $data/n$k.log"
done
echo "  drain a node:   $tandem node drain --server http://127.0.0.1:$((base + 1)) --data $data/n1"
echo "  kill one:       kill -9 ${pids[1]}    and start it again: scripts/cluster.sh node 1"
echo "  where boards are: $tandem node status --server http://127.0.0.1:$((base + 1)) --data $data/n1"
echo "Ctrl+C stops them all."
wait -n "${pids[0]}" "${pids[-1]}" || true
echo "Redis or HAProxy stopped; stopping the nodes." >&2
