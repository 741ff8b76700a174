#!/usr/bin/env bash
# Lookups that miss the cache: every lookup bench/lookup.sh makes, with a cache budget of 1 MiB, which holds about 600
# of the 10,000 orders, so that nearly every lookup reads PostgreSQL. The embedded PostgreSQL shares core 1 with the
# service, since its work is now the server's; wrk runs on core 0 (-c50, random ids, 5% unknown). Reports requests a
# second, p50, p99 and max, and the CPU a request of the service and its PostgreSQL together. There is no Go figure:
# the reference server keeps every order in memory.
#
#   bench/misses.sh [rounds, default 5] [seconds per run, default 10] [NAME=COMMIT[:JVM options] ...]
#
# With builds named, each serves its own copy of the orders and the rounds go A, B, …, A, B, …; without, this checkout.
# Needs wrk and python3, and a JDK >= 21 (found as ./orders finds it).
#
# The tail depends on the kernel's autogroups (/proc/sys/kernel/sched_autogroup_enabled, printed first): pg_ctl starts
# PostgreSQL in a session of its own, so with autogroups on, the scheduler shares the core between PostgreSQL's group
# and the JVM's, and has kept a PostgreSQL backend waiting for the core for up to 335 ms (docs/PERFORMANCE.md, section 6).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
seconds=${2:-10}
shift 2 || true
for tool in wrk python3 taskset ss; do
  command -v "$tool" >/dev/null || { echo "misses.sh: $tool is missing (apt-get install wrk)" >&2; exit 1; }
done
repo=$(pwd)
. bench/servers.sh
trap 'cleanup; git -C "$repo" worktree prune --expire now' EXIT
. bench/builds.sh
declare -A ports checkouts options pids
names=()
use_builds "$work" "" "$@"

echo "== kernel autogroups: $(cat /proc/sys/kernel/sched_autogroup_enabled 2>/dev/null || echo unknown)"
export ORDERS_CACHE_BYTES=1MiB
database_core=1
start_builds 18290
python3 bench/export_orders.py 127.0.0.1 "${ports[${names[0]}]}" "$work"

# CPU ticks of the service's JVM and every process under it (PostgreSQL's server and backends, nats-server).
tree_ticks() {
  local pid=$1 child
  awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0
  for child in $(pgrep -P "$pid"); do tree_ticks "$child"; done
}
sum_ticks() { tree_ticks "$1" | paste -sd+ | bc; }

measure() { # name seconds → "name req/s p50 p99 max cpu-µs-per-request"
  local before output after
  before=$(sum_ticks "${pids[$1]}")
  output=$(taskset -c 0 wrk -t1 -c50 -d"$2s" --latency -s "$refbench/orders.lua" "http://127.0.0.1:${ports[$1]}" \
    -- "$work/ids.txt")
  after=$(sum_ticks "${pids[$1]}")
  echo "$output" | awk -v name="$1" -v ticks=$((after - before)) -v hz="$(getconf CLK_TCK)" '
    /Requests\/sec/ {rps = $2} $1 == "50%" {p50 = $2} $1 == "99%" {p99 = $2} /requests in/ {total = $1}
    $1 == "Latency" && $2 != "Distribution" {max = $4} /Non-2xx/ {non2xx = $5}
    END {printf "%-10s %10s req/s  p50 %8s  p99 %8s  max %8s  cpu %7.2f us/request  non-2xx %d of %s\n", name, rps,
         p50, p99, max, ticks * 1e6 / hz / total, non2xx, total}'
}

warm_up_and_run_rounds "$rounds" "$seconds"
for name in "${names[@]}"; do
  echo "== $name: $(grep -o 'cache_gets_total{cache="orders",result="[a-z]*"} [0-9.]*' \
    <(curl -s "http://127.0.0.1:${ports[$name]}/metrics") | sed 's/.*result="\([a-z]*\)"} \([0-9]*\).*/\1 \2/' \
    | paste -sd' ') in all; resident memory $(rss "${pids[$name]}") (JVM)"
done
python3 - "$work/results" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
names = list(dict.fromkeys(row[0] for row in rows))
ms = lambda text: float(text[:-2]) if text.endswith("ms") else float(text[:-2]) / 1000 if text.endswith("us") \
    else float(text[:-1]) * 1000
for n in names:
    mine = [r for r in rows if r[0] == n]
    print(f"== {n}: median {statistics.median(float(r[1]) for r in mine):.0f} req/s, "
          f"p99 {statistics.median(ms(r[6]) for r in mine):.2f} ms, worst max {max(ms(r[8]) for r in mine):.0f} ms, "
          f"CPU {statistics.median(float(r[10]) for r in mine):.1f} us a request (JVM and PostgreSQL)")
PY
