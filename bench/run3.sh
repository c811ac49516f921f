#!/usr/bin/env bash
# Runs one benchmark command 3 times and prints, per run, its figures and the CPU
# that other processes used meanwhile (machine busy time minus the command's own,
# from /proc/stat and the command's rusage), then the median and range of each figure
# (bench/README.md reports these).
#   bench/run3.sh build/bench/tandem_load --clients 20 --window 16 --seconds 5
#   bench/run3.sh --keys "fanout_ms_p99 cpu_us_per_op" --label workshop --tsv FILE COMMAND...
# --keys: the key=value figures of the command's output to report (default: accepted
# ops/s, p99 fan-out, server CPU per delivery). --tsv FILE: append, per key,
# "label<TAB>key<TAB>median<TAB>min<TAB>max" and "label<TAB>other_cpu_s<TAB>r1 / r2 / r3"
# (bench/run.sh builds its table from these). A run that fails is reported as such.
set -euo pipefail
keys="accepted_ops_per_s fanout_ms_p99 cpu_us_per_delivery"
label=""
tsv=""
while [ $# -gt 0 ]; do
  case "$1" in
    --keys) keys="$2"; shift 2 ;;
    --label) label="$2"; shift 2 ;;
    --tsv) tsv="$2"; shift 2 ;;
    *) break ;;
  esac
done
[ -n "$label" ] || label="$*"
hz=$(getconf CLK_TCK)
busy() { awk '/^cpu /{print $2+$3+$4+$7+$8}' /proc/stat; }
# value KEY OUTPUT: the last KEY=number of the output ("-" when missing).
value() { echo "$2" | grep -o "\(^\| \)$1=[-0-9.e+]*" | tail -1 | sed 's/.*=//' | grep . || echo "-"; }
declare -A vals
others=()
for i in 1 2 3; do
  before=$(busy)
  rc=0
  out=$( { /usr/bin/time -f "TIME %U %S" "$@" 2>&1; } 2>&1 ) || rc=$?
  after=$(busy)
  own=$(echo "$out" | awk '/^TIME/{print $2+$3}')
  o=$(awk -v b="$before" -v a="$after" -v hz="$hz" -v own="${own:-0}" 'BEGIN{printf "%.2f", (a-b)/hz-own}')
  others+=("$o")
  line="run $i:"
  for k in $keys; do
    v=$(value "$k" "$out")
    [ "$rc" -eq 0 ] || v="-"
    vals[$k]+="$v "
    line+=" $k=$v"
  done
  [ "$rc" -eq 0 ] || { line+=" FAILED(rc=$rc)"; echo "$out" | grep -v '^TIME' | tail -5 >&2; }
  echo "$line other_processes_cpu_s=$o"
done
# med V1 V2 V3: "median min max" of the numeric values ("-" when none).
med() {
  printf '%s\n' "$@" | grep -v '^-$' | sort -g | awk '{a[NR]=$1} END{if (NR==0) print "- - -"; else print a[int((NR+1)/2)], a[1], a[NR]}'
}
summary="median:"
for k in $keys; do
  # shellcheck disable=SC2086
  read -r m lo hi <<<"$(med ${vals[$k]})"
  summary+=" $k=$m (range $lo-$hi)"
  [ -z "$tsv" ] || printf '%s\t%s\t%s\t%s\t%s\n' "$label" "$k" "$m" "$lo" "$hi" >>"$tsv"
done
echo "$summary"
[ -z "$tsv" ] || printf '%s\t%s\t%s\n' "$label" "other_cpu_s" "${others[0]} / ${others[1]} / ${others[2]}" >>"$tsv"
