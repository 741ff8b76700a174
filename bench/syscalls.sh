#!/usr/bin/env bash
# System calls and CPU a lookup costs, Orders beside the Go reference server: the same servers, orders, pinning and
# wrk load as bench/lookup.sh, and while wrk runs, the kernel's tracepoints count the reads, writes and epoll calls
# on the server's core (servers.sh pins each server there; the other one idles meanwhile). Printed per request, with
# the server's user and system CPU time from /proc. Counting slows every system call, so the rates and CPU times
# here are below bench/compare.sh's; compare the counts.
#
#   bench/syscalls.sh [rounds, default 3] [seconds per run, default 10]
#
# Needs root (the tracepoints), perf (apt-get install linux-perf) and what bench/lookup.sh needs.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
seconds=${2:-10}
for tool in perf wrk go python3 taskset ss; do
  command -v "$tool" >/dev/null || { echo "syscalls.sh: $tool is missing (apt-get install linux-perf wrk golang-go)" >&2; exit 1; }
done
[ -d /sys/kernel/tracing/events/syscalls ] || mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null \
  || { echo "syscalls.sh: the kernel's tracepoints are not available (mount -t tracefs nodev /sys/kernel/tracing as root)" >&2; exit 1; }
. bench/servers.sh
start_servers

calls="read write epoll_ctl epoll_wait epoll_pwait futex"
tracepoints=$(printf 'syscalls:sys_enter_%s,' $calls)
wrk_run() { # port seconds
  taskset -c 0 wrk -t1 -c50 -d"$2s" -s "$refbench/orders.lua" "http://127.0.0.1:$1" -- "$work/ids.txt"
}
run() { # name port
  local pid before after output
  pid=$(pid_on "$2")
  before=$(awk '{print $14, $15}' "/proc/$pid/stat")
  # Counted on the server's core rather than for its process: perf does not follow threads started after it attached,
  # and the JVM replaces carrier threads that idled during the other server's turn.
  perf stat -x, -e "${tracepoints%,}" -C 1 -o "$work/perf-$1" -- sleep "$seconds" &
  output=$(wrk_run "$2" "$seconds")
  wait $!
  after=$(awk '{print $14, $15}' "/proc/$pid/stat")
  awk -F, -v name="$1" -v calls="$calls" -v hz="$(getconf CLK_TCK)" -v before="$before" -v after="$after" \
      -v requests="$(echo "$output" | awk '/requests in/ {print $1}')" \
      -v rate="$(echo "$output" | awk '/Requests\/sec/ {print $2}')" '
    /syscalls:/ {sub(/.*sys_enter_/, "", $3); count[$3] = $1}
    END {
      split(before, b, " "); split(after, a, " ")
      printf "%-6s %9.0f req/s  user %5.2f us  system %5.2f us a request;", name, rate,
        (a[1] - b[1]) * 1e6 / hz / requests, (a[2] - b[2]) * 1e6 / hz / requests
      n = split(calls, names, " ")
      for (i = 1; i <= n; i++) printf "  %s %.2f", names[i], count[names[i]] / requests
      printf "\n"
    }' "$work/perf-$1"
}

echo "== warm-up (30 s each)"
wrk_run "$orders_port" 30 > /dev/null
wrk_run "$go_port" 30 > /dev/null
echo "== $rounds rounds of $seconds s, system calls a request"
for _ in $(seq "$rounds"); do
  run orders "$orders_port"
  run go "$go_port"
done
