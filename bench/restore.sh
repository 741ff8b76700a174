#!/usr/bin/env bash
# Cache restore: N orders are stored, the service is restarted, and the time from launch to /health/ready is taken
# (the cache is restored from PostgreSQL before readiness), with the heap held afterwards and the cache's own weight.
#
#   bench/restore.sh [orders, default 1000000] [restarts, default 1]
#
# Uses ./orders (embedded PostgreSQL, local nats-server) with a 2 GiB cache budget and a 3 GiB heap. Readiness is asked
# for by one Python process (bench/await_ready.py). With several restarts the same stored orders are restored each
# time and the median is printed; JVM_OPTIONS="..." adds JVM options to the restarts (a profiler, say) through
# JDK_JAVA_OPTIONS.
set -euo pipefail
cd "$(dirname "$0")/.."
orders=${1:-1000000}
restarts=${2:-1}
work=$(mktemp -d)
port=18680
export ORDERS_JAVA=$(bin/find-java)
export ORDERS_DATA_DIR="$work/data" ORDERS_HTTP_PORT=$port ORDERS_CACHE_BYTES=2GiB ORDERS_HEAP=3g ORDERS_BATCH_SIZE=2000
cleanup() {
  [ -n "${service_pid:-}" ] && kill -TERM "$service_pid" 2>/dev/null && wait "$service_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
metric() { curl -s "http://127.0.0.1:$port/metrics" | sed -n "s/^$1 \([0-9.E]*\).*/\1/p"; }

launch() {
  ./orders > "$work/service.log" 2>&1 &
  service_pid=$!
}

echo "== storing $orders orders"
launch
until grep -q "Press Ctrl+C" "$work/service.log" 2>/dev/null; do sleep 0.5; done
nats_url=$(grep -o 'nats://127.0.0.1:[0-9]*' "$work/service.log" | head -1)
"$ORDERS_JAVA" -Xmx4g -jar target/orders.jar publish --nats-url "$nats_url" --count "$orders" --seed 5 | tail -1
# The one-command run stores its sample order too: every restart should find orders + 1.
until [ "$(metric 'orders_messages_total{outcome="stored"}' | cut -d. -f1)" -gt "$orders" ] 2>/dev/null; do sleep 2; done
kill -TERM "$service_pid"; wait "$service_pid" 2>/dev/null || true

times=()
for run in $(seq "$restarts"); do
  echo "== restart $run"
  rm -f "$work/pid"
  python3 bench/await_ready.py $port "$work/pid" > "$work/ready" &
  poller_pid=$!
  sleep 0.5   # the poller's own start is not timed
  start=$(date +%s%N)
  JDK_JAVA_OPTIONS="${JVM_OPTIONS:-}" launch
  echo "$service_pid" > "$work/pid.new" && mv "$work/pid.new" "$work/pid"
  wait "$poller_pid" || { tail -20 "$work/service.log"; exit 1; }
  ready=$(( ($(cat "$work/ready") - start) / 1000000 ))
  times+=("$ready")
  grep "Cache restored" "$work/service.log" | sed 's/.*- /   /'
  echo "   ready after $ready ms"
  if [ "$run" -lt "$restarts" ]; then
    kill -TERM "$service_pid"; wait "$service_pid" 2>/dev/null || true
  fi
done
"$(dirname "$ORDERS_JAVA")/jcmd" "$service_pid" GC.run > /dev/null
heap=$("$(dirname "$ORDERS_JAVA")/jcmd" "$service_pid" GC.heap_info | awk '/used/ {for (i = 1; i <= NF; i++) if ($i == "used") {print $(i + 1); exit}}')
entries=$(metric 'cache_size{cache="orders"}')
bytes=$(metric orders_cache_bytes)
python3 - "${times[*]}" "$entries" "$bytes" "$heap" <<'PY'
import statistics, sys
times = [int(t) for t in sys.argv[1].split()]
ready, entries, weighed, heap = statistics.median(times), float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
heap_bytes = int(heap.rstrip("K")) * 1024 if heap.endswith("K") else int(heap)
spread = f" (median of {len(times)}: {min(times) / 1000:.1f}-{max(times) / 1000:.1f} s)" if len(times) > 1 else ""
print(f"== ready {ready / 1000:.1f} s after launch{spread} with {entries:,.0f} orders cached; "
      f"cache weighed at {weighed / entries:,.0f} bytes an order; heap in use after a full GC "
      f"{heap_bytes / 2**20:,.0f} MiB = {heap_bytes / entries:,.0f} bytes an order")
PY
