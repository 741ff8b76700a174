#!/usr/bin/env bash
# What lookups cost below the service: Orders, Helidon alone (bench/BareHelidon.java), Helidon with the service's
# cache, lookup headers and timer (HelidonParts, the same file) and the JDK's virtual-thread sockets alone
# (bench/BareSockets.java), each serving the same 10,000 orders as the Go reference does, and Go, in turns as
# bench/compare.sh runs them (server on core 1, wrk on core 0). The bare servers get the heap, collector and compiler
# options the launcher gave Orders. A bare server's rate is the most any service built on it could reach on this
# machine: if it is under 1.25 of Go, issue 6's lookup target is out of reach for Orders whatever the service's own
# code does. HelidonParts against BareHelidon is what those three parts cost; Orders against HelidonParts, the rest.
#
#   bench/floor.sh [rounds, default 5] [seconds per run, default 10]
#
# Needs what bench/lookup.sh needs.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
seconds=${2:-10}
for tool in wrk go python3 taskset ss; do
  command -v "$tool" >/dev/null || { echo "floor.sh: $tool is missing (apt-get install wrk golang-go)" >&2; exit 1; }
done
. bench/servers.sh
declare -A ports
start_servers

# The options of the JVM that serves Orders (the launcher execs it), less those that name Orders' own archives.
jvm_options=()
while IFS= read -r -d '' argument; do
  case $argument in
    -jar) break ;;
    -Xm* | -XX:[+-]Use* | -XX:-TieredCompilation) jvm_options+=("$argument") ;;
  esac
done < "/proc/$(pid_on "$orders_port")/cmdline"
echo "== the bare servers' JVM options, as Orders': ${jvm_options[*]}"

port=18182
# NAME:SOURCE[:MODE]; HelidonParts is BareHelidon with the service's cache, lookup headers and timer.
for bare in BareHelidon:BareHelidon HelidonParts:BareHelidon:parts BareSockets:BareSockets; do
  IFS=: read -r name source mode <<< "$bare"
  taskset -c 1 "$java" "${jvm_options[@]}" -cp target/orders.jar "bench/$source.java" $port "$work/orders.tsv" \
    ${mode:+"$mode"} > "$work/$name.log" 2>&1 &
  server_pids+=($!)
  until grep -q "listening on port" "$work/$name.log"; do
    kill -0 "${server_pids[-1]}" 2>/dev/null || { cat "$work/$name.log"; exit 1; }
    sleep 0.5
  done
  ports[$name]=$port
  port=$((port + 1))
done

ports[orders]=$orders_port
ports[go]=$go_port
names=(orders HelidonParts BareHelidon BareSockets go)
warm_up_and_measure "$rounds" "$seconds"
