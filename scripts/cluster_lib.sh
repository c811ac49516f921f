# Shell functions that start Tandem nodes behind HAProxy with Redis on loopback, for
# scripts/cluster.sh (trying many nodes on one machine) and bench/cluster.sh. Sourced, not run.
# The routing is that of docs/deploy/haproxy.cfg (SPEC CLUSTER-1) without TLS; the cluster
# test writes the same in tests/cluster/cluster_harness.hpp.

# A loopback port nothing listens on right now.
free_port() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }

# wait_ready PORT: until /readyz on it answers 200; fails after 20 s.
wait_ready() {
  for _ in $(seq 200); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/readyz")" = 200 ] && return 0
    sleep 0.1
  done
  echo "nothing ready on port $1" >&2
  return 1
}

# write_haproxy_cfg FILE ENTRY_PORT NODE_PORT...: node i (from 1) is server n<i>.
write_haproxy_cfg() {
  local file=$1 entry=$2 i=0 p
  shift 2
  {
    printf 'global\n  maxconn 4000\n'
    printf 'defaults\n  mode http\n  option forwardfor\n  timeout connect 1s\n  timeout client 60s\n'
    printf '  timeout server 60s\n  timeout tunnel 1h\n  timeout http-request 5s\n'
    printf 'frontend boards\n  bind 127.0.0.1:%s\n' "$entry"
    printf '  http-request deny deny_status 403 if { path_end /handover /handover/done } || { path_beg /api/cluster }\n'
    printf '  http-request set-var(txn.board) path,field(3,/) if { path_beg /b/ }\n'
    printf '  http-request set-var(txn.board) path,field(4,/) if { path_beg /api/boards/ }\n'
    printf '  default_backend nodes\n'
    printf 'backend nodes\n  balance hash var(txn.board)\n  hash-type consistent\n'
    printf '  option httpchk GET /readyz\n  http-check expect status 200\n'
    printf '  default-server check inter 1s fastinter 250ms fall 2 rise 2\n  retries 2\n  option redispatch 1\n'
    for p in "$@"; do
      i=$((i + 1))
      printf '  server n%s 127.0.0.1:%s\n' "$i" "$p"
    done
  } >"$file"
}

# node_args TANDEM DATA PORT ID REDIS_PORT ENTRY_PORT: the command line of one node.
node_args() {
  printf '%s\n' "$1" serve --port "$3" --data "$2" --node-id "$4" --redis "127.0.0.1:$5" \
    --advertise "http://127.0.0.1:$3" --cluster-entry "http://127.0.0.1:$6" --trusted-proxy 127.0.0.1
}

# with_secret DIR SECRET: DIR holds a copy of the nodes' shared secret (docs/CLUSTER.md).
with_secret() {
  mkdir -p "$1"
  [ -f "$1/secret" ] || { cp "$2" "$1/secret" && chmod 600 "$1/secret"; }
}
