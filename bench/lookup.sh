#!/usr/bin/env bash
# Lookup throughput: Orders against the Go reference server (../shared/refbench), side by side in one run.
# Both serve the same 10,000 generated orders; wrk asks for random ids, 5% of them unknown (orders.lua).
# Each server is pinned to core 1 and wrk to core 0; the runs alternate Orders, Go, Orders, Go, …
#
#   bench/lookup.sh [rounds, default 3] [seconds per run, default 10]
#
# Needs wrk and golang-go (apt-get install wrk golang-go), python3, and a JDK >= 21 (found as ./orders finds it).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
seconds=${2:-10}
refbench=../shared/refbench
work=$(mktemp -d)
orders_port=18180
go_port=18181
for tool in wrk go python3 taskset; do
  command -v "$tool" >/dev/null || { echo "lookup.sh: $tool is missing (apt-get install wrk golang-go)" >&2; exit 1; }
done

cleanup() {
  [ -n "${orders_pid:-}" ] && kill -TERM "$orders_pid" 2>/dev/null && wait "$orders_pid" 2>/dev/null
  [ -n "${go_pid:-}" ] && kill "$go_pid" 2>/dev/null && wait "$go_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

echo "== starting Orders (embedded PostgreSQL, local nats-server) on core 1"
ORDERS_DATA_DIR="$work/data" ORDERS_HTTP_PORT=$orders_port taskset -c 1 ./orders > "$work/orders.log" 2>&1 &
orders_pid=$!
until grep -q "Press Ctrl+C" "$work/orders.log" 2>/dev/null; do
  kill -0 "$orders_pid" 2>/dev/null || { cat "$work/orders.log"; exit 1; }
  sleep 1
done
nats_url=$(grep -o 'nats://127.0.0.1:[0-9]*' "$work/orders.log" | head -1)
java=$(bin/find-java)
# The embedded PostgreSQL and nats-server inherited core 1; they idle during the lookups, but their background
# work (checkpoints, vacuum) must not land on the server's core while the Go server has that core to itself.
for child in $(pgrep -P "$orders_pid"); do
  for pid in $child $(pgrep -P "$child"); do taskset -pc 0 "$pid" > /dev/null; done
done

echo "== publishing 10,000 orders"
"$java" -jar target/orders.jar publish --nats-url "$nats_url" --count 10000 --seed 1 | tail -1
until [ "$(curl -s "http://127.0.0.1:$orders_port/metrics" | sed -n 's/^orders_messages_total{outcome="stored"} \([0-9]*\).*/\1/p')" = "10001" ]; do
  sleep 1
done
python3 bench/export_orders.py 127.0.0.1 $orders_port "$work"

echo "== starting the Go reference server on core 1"
(cd "$refbench/go-ref" && GOPROXY=off GOFLAGS=-mod=mod go build -o "$work/go-ref" .)
ORDERS_FILE="$work/orders.tsv" PORT=$go_port taskset -c 1 "$work/go-ref" > "$work/go.log" 2>&1 &
go_pid=$!
sleep 1

run() { # name port → appends "name rps p50 p99 non2xx" to results
  local output
  output=$(taskset -c 0 wrk -t1 -c50 -d"${seconds}s" --latency -s "$refbench/orders.lua" "http://127.0.0.1:$2" -- "$work/ids.txt")
  local rps p50 p99 non
  rps=$(echo "$output" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$output" | awk '$1 == "50%" {print $2}')
  p99=$(echo "$output" | awk '$1 == "99%" {print $2}')
  non=$(echo "$output" | awk '/Non-2xx/ {print $5}')
  local total
  total=$(echo "$output" | awk '/requests in/ {print $1}')
  echo "$1 $rps $p50 $p99 ${non:-0} $total" >> "$work/results"
  printf '%-7s %12s req/s  p50 %8s  p99 %8s  non-2xx %s of %s\n' "$1" "$rps" "$p50" "$p99" "${non:-0}" "$total"
}

echo "== warm-up ($seconds s each)"
run orders $orders_port > /dev/null
run go $go_port > /dev/null
: > "$work/results"
echo "== $rounds interleaved rounds"
for _ in $(seq "$rounds"); do
  run orders $orders_port
  run go $go_port
done

rss() { if [ -r "/proc/$1/status" ]; then awk '/VmRSS/ {printf "%.0f MiB", $2 / 1024}' "/proc/$1/status"; else echo "(exited)"; fi; }
echo "== resident memory after the runs: Orders (JVM) $(rss "$orders_pid"), Go $(rss "$go_pid")"
python3 - "$work/results" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
median = {name: statistics.median(float(r[1]) for r in rows if r[0] == name) for name in ("orders", "go")}
print(f"== median req/s: Orders {median['orders']:.0f}, Go {median['go']:.0f}; Orders / Go = {median['orders'] / median['go']:.2f}")
PY
