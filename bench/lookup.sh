#!/usr/bin/env bash
# Lookup throughput: Orders against the Go reference server (../shared/refbench), side by side in one run.
# Both serve the same 10,000 generated orders; wrk asks for random ids, 5% of them unknown (orders.lua).
# Each server is pinned to core 1 and wrk to core 0; the runs alternate Orders, Go, Orders, Go, …
#
#   bench/lookup.sh [rounds, default 3] [seconds per run, default 10] [warm-up seconds per server, default 30]
#
# Needs wrk and golang-go (apt-get install wrk golang-go), python3, and a JDK >= 21 (found as ./orders finds it).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
seconds=${2:-10}
warmup=${3:-30}
for tool in wrk go python3 taskset; do
  command -v "$tool" >/dev/null || { echo "lookup.sh: $tool is missing (apt-get install wrk golang-go)" >&2; exit 1; }
done
. bench/servers.sh
start_servers

# wrk corrects its latencies for coordinated omission: a response that took longer than the mean interval between
# requests on a connection is recorded again for every interval it spanned. One stall of 200 ms in a 10 s round thus
# adds ~300 samples per connection and can make the p99 of the round 50-100 ms; the max tells a stall from a tail.
run() { # name port [seconds] → appends "name rps p50 p99 non2xx total max" to results
  local output
  output=$(taskset -c 0 wrk -t1 -c50 -d"${3:-$seconds}s" --latency -s "$refbench/orders.lua" "http://127.0.0.1:$2" -- "$work/ids.txt")
  local rps p50 p99 non max
  rps=$(echo "$output" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$output" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$output" | awk '$1 == "99%" {print $2}')
  max=$(echo "$output" | awk '$1 == "Latency" && $2 != "Distribution" {print $4}')
  non=$(echo "$output" | awk '/Non-2xx/ {print $5}')
  local total
  total=$(echo "$output" | awk '/requests in/ {print $1}')
  echo "$1 $rps $p50 $p99 ${non:-0} $total $max" >> "$work/results"
  printf '%-7s %12s req/s  p50 %8s  p99 %8s  max %8s  non-2xx %s of %s\n' "$1" "$rps" "$p50" "$p99" "$max" "${non:-0}" \
    "$total"
}

# The JIT compiles on the server's one core while it serves: until it is done, its compilations queue requests
# (p99 of 40-90 ms in the first rounds after a 10 s warm-up). Each round opens 50 new connections, and the first
# rounds after one long warm-up run still stalled for 100-340 ms: JFR showed the virtual-thread scheduler's hot
# methods deoptimized as a round began (ForkJoinPool push, poolSubmit, ForkJoinTask.doExec) and recompiled on that
# core. So the warm-up has the rounds' shape: runs of at most 10 s, each with new connections (it did not remove the
# stalls; docs/performance-log.md). The Go server gets the same.
echo "== warm-up ($warmup s each, in runs of at most 10 s)"
for server in "orders $orders_port" "go $go_port"; do
  for ((left = warmup; left > 0; left -= 10)); do
    run $server $((left < 10 ? left : 10)) > /dev/null
  done
done
: > "$work/results"
echo "== $rounds interleaved rounds"
for _ in $(seq "$rounds"); do
  run orders $orders_port
  run go $go_port
done

echo "== resident memory after the runs: Orders (JVM) $(rss "$orders_pid"), Go $(rss "$go_pid")"
python3 - "$work/results" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
median = {name: statistics.median(float(r[1]) for r in rows if r[0] == name) for name in ("orders", "go")}
print(f"== median req/s: Orders {median['orders']:.0f}, Go {median['go']:.0f}; Orders / Go = {median['orders'] / median['go']:.2f}")
PY
