#!/usr/bin/env bash
# Latency at fixed rates: open-loop load (bench/FixedRate.java, HdrHistogram, corrected for coordinated omission) at
# 5k, 10k and 20k requests/s against Orders and the Go reference server, serving the same 10,000 orders, 5% of the
# ids unknown. Servers pinned to core 1, the load generator to core 0; Orders and Go alternate at each rate.
#
#   bench/latency.sh [seconds per run, default 30] [rates, default "5000 10000 20000"]
#
# Needs golang-go (apt-get install golang-go), python3, and a JDK >= 21 (found as ./orders finds it).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}
rates=${2:-5000 10000 20000}
for tool in go python3 taskset; do
  command -v "$tool" >/dev/null || { echo "latency.sh: $tool is missing (apt-get install golang-go)" >&2; exit 1; }
done
. bench/servers.sh

# What the machine takes from each core by itself sets a floor under every p99 below (bench/Stalls.java).
echo "== the machine's own stalls, 10 s on both cores at once, before any server runs"
taskset -c 0 "$java" bench/Stalls.java 10 > "$work/stalls-0.txt" &
taskset -c 1 "$java" bench/Stalls.java 10 > "$work/stalls-1.txt"
wait
printf 'core 0 (load generator): %s\ncore 1 (servers):        %s\n' "$(cat "$work/stalls-0.txt")" "$(cat "$work/stalls-1.txt")"
start_servers

load() { # rate seconds port
  taskset -c 0 "$java" -Xmx512m -cp target/orders.jar bench/FixedRate.java "http://127.0.0.1:$3/api/orders/" \
    "$work/ids.txt" "$1" "$2"
}

# As in bench/lookup.sh: the JIT must be done compiling on the server's one core before its latency is measured.
echo "== warm-up (30 s each at 20,000/s)"
load 20000 30 $orders_port > /dev/null
load 20000 30 $go_port > /dev/null
for rate in $rates; do
  echo "== $rate requests/s for $seconds s"
  printf 'orders  %s\n' "$(load "$rate" "$seconds" $orders_port)"
  printf 'go      %s\n' "$(load "$rate" "$seconds" $go_port)"
done
echo "== resident memory after the runs: Orders (JVM) $(rss "$orders_pid"), Go $(rss "$go_pid")"
