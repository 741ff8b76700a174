#!/usr/bin/env bash
# Lookup throughput of two or more builds of Orders (or one build with different JVM options) and the Go reference
# server, side by side in one run: what a change gains, measured against the build before it on the same machine at
# the same time. Each build serves the same 10,000 generated orders; each server is pinned to core 1 in its turn and
# wrk to core 0; the rounds go A, B, …, Go, A, B, …, Go.
#
#   bench/compare.sh [rounds, default 5] [seconds per run, default 10] NAME=COMMIT[:JVM options] ...
#   e.g. bench/compare.sh 5 10 before=HEAD~1 after=HEAD compact=HEAD:-XX:+UseCompactObjectHeaders
#
# Besides requests per second it reports the server's CPU time per request (from /proc), which is less sensitive to
# what else the machine is doing than the rate. Needs what bench/lookup.sh needs.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
seconds=${2:-10}
shift 2 || true
[ $# -ge 1 ] || { echo "usage: bench/compare.sh [rounds] [seconds] NAME=COMMIT[:JVM options] ..." >&2; exit 2; }
for tool in wrk go python3 taskset ss; do
  command -v "$tool" >/dev/null || { echo "compare.sh: $tool is missing (apt-get install wrk golang-go)" >&2; exit 1; }
done
repo=$(pwd)
. bench/servers.sh
# The builds' worktrees live in $work, which servers.sh removes on exit; git forgets them then.
trap 'cleanup; git -C "$repo" worktree prune --expire now' EXIT
. bench/builds.sh
declare -A ports checkouts options
names=()
add_builds "$work" "$@"

port=18190
for name in "${names[@]}"; do
  port=$((port + 1))
  if [ -n "$(pid_on $port)" ]; then echo "compare.sh: port $port is taken" >&2; exit 1; fi
  echo "== $name: $(git -C "${checkouts[$name]}" log -1 --format='%h %s' | cut -c1-80) ${options[$name]:+with ${options[$name]}}"
  (cd "${checkouts[$name]}" && ORDERS_JAVA="$java" ./orders --help > /dev/null)
  start_orders "$name" "${checkouts[$name]}" "$port" "${options[$name]}"
  ports[$name]=$port
done
orders_port=${ports[${names[0]}]}
ports[go]=18199
start_go "${ports[go]}"
names+=(go)

cpu_ticks() { awk '{print $14 + $15}' "/proc/$(pid_on "$1")/stat"; }
run() { # name seconds → "name req/s p50 p99 max cpu-µs-per-request"
  local port=${ports[$1]} before output after
  before=$(cpu_ticks "$port")
  output=$(taskset -c 0 wrk -t1 -c50 -d"$2s" --latency -s "$refbench/orders.lua" "http://127.0.0.1:$port" \
    -- "$work/ids.txt")
  after=$(cpu_ticks "$port")
  echo "$output" | awk -v name="$1" -v ticks=$((after - before)) -v hz="$(getconf CLK_TCK)" '
    /Requests\/sec/ {rps = $2} $1 == "50%" {p50 = $2} $1 == "99%" {p99 = $2} /requests in/ {total = $1}
    $1 == "Latency" && $2 != "Distribution" {max = $4}
    END {printf "%-10s %10s req/s  p50 %8s  p99 %8s  max %8s  cpu %6.2f us/request\n", name, rps, p50, p99, max,
         ticks * 1e6 / hz / total}'
}

echo "== warm-up (30 s each, in runs of 10 s)"
for name in "${names[@]}"; do
  for _ in 1 2 3; do run "$name" 10 > /dev/null; done
done
echo "== $rounds interleaved rounds"
for _ in $(seq "$rounds"); do
  for name in "${names[@]}"; do run "$name" "$seconds" | tee -a "$work/results"; done
done
python3 - "$work/results" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
names = list(dict.fromkeys(row[0] for row in rows))
rate = {n: statistics.median(float(r[1]) for r in rows if r[0] == n) for n in names}
cpu = {n: statistics.median(float(r[10]) for r in rows if r[0] == n) for n in names}
for n in names:
    print(f"== {n}: median {rate[n]:.0f} req/s, {rate[n] / rate['go']:.2f} of Go; "
          f"median CPU {cpu[n]:.2f} us a request, Go's is {cpu['go'] / cpu[n]:.2f} of it")
PY
