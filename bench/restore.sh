#!/usr/bin/env bash
# Cache restore: N orders are stored, the service is restarted, and the time from launch to /health/ready is taken
# (the cache is restored from PostgreSQL before readiness), with the heap held afterwards and the cache's own weight.
#
#   bench/restore.sh [orders, default 1000000] [restarts, default 1]                  this checkout
#   bench/restore.sh [orders] [restarts] NAME=COMMIT[:JVM options] NAME=...         builds in turns over one store
#   e.g. bench/restore.sh 1000000 5 before=HEAD~1 after=HEAD
#
# Uses ./orders (embedded PostgreSQL, local nats-server) with a 2 GiB cache budget and a 3 GiB heap. Readiness is asked
# for by one Python process (bench/await_ready.py). The orders are stored once, by the first build, and every restart
# of every build restores the same ones; named builds restart one after the other in each round, so that the machine's
# drift (a second from one run to the next on a shared machine) falls on all of them alike. The builds must share the
# schema's versions: each one migrates the store it finds. Without named builds, JVM_OPTIONS="..." adds JVM options to
# the restarts (a profiler, say) through JDK_JAVA_OPTIONS.
set -euo pipefail
cd "$(dirname "$0")/.."
orders=${1:-1000000}
restarts=${2:-1}
shift 2 || shift $#
repo=$(pwd)
work=$(mktemp -d)
port=18680
export ORDERS_JAVA=$(bin/find-java)
export ORDERS_DATA_DIR="$work/data" ORDERS_HTTP_PORT=$port ORDERS_CACHE_BYTES=2GiB ORDERS_HEAP=3g ORDERS_BATCH_SIZE=2000
cleanup() {
  [ -n "${service_pid:-}" ] && kill -TERM "$service_pid" 2>/dev/null && wait "$service_pid" 2>/dev/null || true
  rm -rf "$work"
  git -C "$repo" worktree prune --expire now
}
trap cleanup EXIT
metric() { curl -s "http://127.0.0.1:$port/metrics" | sed -n "s/^$1 \([0-9.E]*\).*/\1/p"; }

. bench/builds.sh
declare -A checkouts options
names=()
use_builds "$work" "${JVM_OPTIONS:-}" "$@"
for name in "${names[@]}"; do
  (cd "${checkouts[$name]}" && ./orders --help > /dev/null)   # builds the jar when needed
done

# launch NAME [JVM options]: starts that build over the shared store; sets service_pid.
launch() {
  (cd "${checkouts[$1]}" && JDK_JAVA_OPTIONS="${2:-}" exec ./orders > "$work/service.log" 2>&1) &
  service_pid=$!
}
stop() {
  kill -TERM "$service_pid"; wait "$service_pid" 2>/dev/null || true
  service_pid=""
}
# started: waits until the service has started and restored its cache; stops the run if the service ended first.
started() {
  until grep -q "Press Ctrl+C" "$work/service.log" 2>/dev/null; do
    kill -0 "$service_pid" 2>/dev/null || { tail -20 "$work/service.log"; service_pid=""; exit 1; }
    sleep 0.5
  done
}

# phases LAUNCH_NS LOG: when, after the launch, the service's log says PostgreSQL was up and the restore began and
# ended, so that a slow restart shows which part of it was slow.
phases() {
  python3 - "$@" <<'PY'
import datetime, re, sys
launch = datetime.datetime.fromtimestamp(int(sys.argv[1]) / 1e9)
def after(clock):
    moment = datetime.datetime.combine(launch.date(), datetime.time.fromisoformat(clock))
    if moment < launch - datetime.timedelta(hours=12):   # the log's clock passed midnight after the launch
        moment += datetime.timedelta(days=1)
    return (moment - launch).total_seconds() * 1000
found = {}
for line in open(sys.argv[2], errors="replace"):
    clock = line[:12]
    if "Started embedded PostgreSQL" in line:
        found["postgres"] = after(clock)
    elif (restored := re.search(r"Cache restored: .* in (\d+) ms", line)):
        ended = after(clock)
        found["restore"] = (ended - int(restored.group(1)), ended)
if "postgres" in found and "restore" in found:
    begun, ended = found["restore"]
    print(f"   PostgreSQL up after {found['postgres']:,.0f} ms; restore from {begun:,.0f} to {ended:,.0f} ms")
PY
}

echo "== storing $orders orders"
launch "${names[0]}"
started
nats_url=$(grep -o 'nats://127.0.0.1:[0-9]*' "$work/service.log" | head -1)
"$ORDERS_JAVA" -Xmx4g -jar "${checkouts[${names[0]}]}/target/orders.jar" publish --nats-url "$nats_url" \
  --count "$orders" --seed 5 | tail -1
# The one-command run stores its sample order too: every restart should find orders + 1.
until [ "$(metric 'orders_messages_total{outcome="stored"}' | cut -d. -f1)" -gt "$orders" ] 2>/dev/null; do sleep 2; done
stop
# Untimed, one start of each build: its first after it was built records its ahead-of-time cache (JDK 25+), and the
# first restore after the orders were stored sets the hint bits of every row, writing the table again.
for name in "${names[@]}"; do
  launch "$name"
  started
  stop
done

: > "$work/times"
for run in $(seq "$restarts"); do
  for name in "${names[@]}"; do
    rm -f "$work/pid"
    python3 bench/await_ready.py $port "$work/pid" > "$work/ready" &
    poller_pid=$!
    sleep 0.5   # the poller's own start is not timed
    start=$(date +%s%N)
    launch "$name" "${options[$name]}"
    echo "$service_pid" > "$work/pid.new" && mv "$work/pid.new" "$work/pid"
    wait "$poller_pid" || { tail -20 "$work/service.log"; exit 1; }
    read -r ready_ns _ < "$work/ready"
    ready=$(( (ready_ns - start) / 1000000 ))
    echo "$name $ready" >> "$work/times"
    echo "== restart $run: $(label "$name")ready after $ready ms;$(grep "Cache restored" "$work/service.log" | sed 's/.*-//')"
    phases "$start" "$work/service.log"
    if [ "$run" = "$restarts" ]; then
      jcmd=$(dirname "$ORDERS_JAVA")/jcmd   # ./orders execs the JVM: service_pid is its pid
      "$jcmd" "$service_pid" GC.run > /dev/null
      heap=$("$jcmd" "$service_pid" GC.heap_info | awk '/used/ {for (i = 1; i <= NF; i++) if ($i == "used") {print $(i + 1); exit}}')
      entries=$(metric 'cache_size{cache="orders"}')
      bytes=$(metric orders_cache_bytes)
      python3 - "$(label "$name")" "$(awk -v n="$name" '$1 == n {print $2}' "$work/times")" "$entries" "$bytes" "$heap" <<'PY'
import statistics, sys
label, times = sys.argv[1], [int(t) for t in sys.argv[2].split()]
ready, entries, weighed, heap = statistics.median(times), float(sys.argv[3]), float(sys.argv[4]), sys.argv[5]
heap_bytes = int(heap.rstrip("K")) * 1024 if heap.endswith("K") else int(heap)
spread = f" (median of {len(times)}: {min(times) / 1000:.1f}-{max(times) / 1000:.1f} s)" if len(times) > 1 else ""
print(f"== {label}ready {ready / 1000:.1f} s after launch{spread} with {entries:,.0f} orders cached; "
      f"cache weighed at {weighed / entries:,.0f} bytes an order; heap in use after a full GC "
      f"{heap_bytes / 2**20:,.0f} MiB = {heap_bytes / entries:,.0f} bytes an order")
PY
    fi
    stop
  done
done
