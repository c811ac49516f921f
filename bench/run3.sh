#!/usr/bin/env bash
# Runs one benchmark command 3 times and prints, per run, its figures and the CPU
# that other processes used meanwhile (machine busy time minus the command's own,
# from /proc/stat and the command's rusage), then the median and range of the
# accepted ops/s, p99 fan-out and CPU per delivery (bench/README.md reports these).
#   bench/run3.sh build/bench/tandem_load --clients 20 --window 16 --seconds 5
set -euo pipefail
hz=$(getconf CLK_TCK)
busy() { awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat; }
ops=(); p99=(); us=()
for i in 1 2 3; do
  before=$(busy)
  out=$( { /usr/bin/time -f "TIME %U %S" "$@" 2>&1; } 2>&1 )
  after=$(busy)
  own=$(echo "$out" | awk '/^TIME/{print $2+$3}')
  others=$(awk -v b="$before" -v a="$after" -v hz="$hz" -v own="$own" 'BEGIN{printf "%.2f", (a-b)/hz-own}')
  o=$(echo "$out" | sed -n 's/.*accepted_ops_per_s=\([0-9]*\).*/\1/p')
  p=$(echo "$out" | sed -n 's/.* p99=\([0-9.]*\).*/\1/p')
  u=$(echo "$out" | sed -n 's/.*cpu_us_per_delivery=\([0-9.]*\).*/\1/p')
  echo "run $i: ops/s=$o p99_ms=$p cpu_us/delivery=$u other_processes_cpu_s=$others"
  ops+=("$o"); p99+=("$p"); us+=("$u")
done
med() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END{printf "%s (range %s-%s)", a[2], a[1], a[3]}'; }
echo "median: ops/s=$(med "${ops[@]}") p99_ms=$(med "${p99[@]}") cpu_us/delivery=$(med "${us[@]}")"
