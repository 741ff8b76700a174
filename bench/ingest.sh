#!/usr/bin/env bash
# Ingestion throughput: N valid orders (1-3 items each) are published to JetStream first, then the service is started
# and reads them all; prints orders per second from the first commit to the last, and the total from process start.
# Acknowledgement after commit stays as it is: the run ends only when the durable consumer has acknowledged them all.
#
#   bench/ingest.sh [orders, default 200000] [batch size, default 2000 as the service ships]
#
# The service is launched by ./orders with the JVM options it ships. ORDERS_CHECKOUT=dir runs another checkout's
# ./orders instead (a git worktree of another commit), so that builds can be run in turns; JVM_OPTIONS="..." adds JVM
# options through JDK_JAVA_OPTIONS, which the launcher's own options override.
#
# Needs nats-server and a JDK >= 21 (found as ./orders finds it); PostgreSQL is the embedded one, fsync on.
set -euo pipefail
cd "$(dirname "$0")/.."
orders=${1:-200000}
batch=${2:-2000}
work=$(mktemp -d)
port=18380
nats_port=18381
cleanup() {
  [ -n "${orders_pid:-}" ] && kill -TERM "$orders_pid" 2>/dev/null && wait "$orders_pid" 2>/dev/null || true
  [ -n "${nats_pid:-}" ] && kill "$nats_pid" 2>/dev/null && wait "$nats_pid" 2>/dev/null || true
  cp "$work/orders.log" /tmp/ingest-last.log; rm -rf "$work"
}
trap cleanup EXIT

checkout=${ORDERS_CHECKOUT:-.}
(cd "$checkout" && ./orders --help > /dev/null)   # builds the jar when needed
# Every checkout is fed by this one's publisher, so that builds in turns ingest the same orders.
[ "$checkout" = . ] || ./orders --help > /dev/null
java=$(bin/find-java)

nats-server -a 127.0.0.1 -p $nats_port -js -sd "$work/nats" > "$work/nats.log" 2>&1 &
nats_pid=$!
sleep 0.5
echo "== publishing $orders orders"
"$java" -jar target/orders.jar publish --nats-url "nats://127.0.0.1:$nats_port" --count "$orders" --seed 3 | tail -1

echo "== starting the service (embedded PostgreSQL, batch size $batch)"
start=$(date +%s.%N)
[ -n "${JVM_OPTIONS:-}" ] && export JDK_JAVA_OPTIONS="$JVM_OPTIONS"
ORDERS_JAVA="$java" ORDERS_DATA_DIR="$work/data" ORDERS_HTTP_PORT=$port ORDERS_NATS_URL="nats://127.0.0.1:$nats_port" \
  ORDERS_BATCH_SIZE=$batch "$checkout/orders" > "$work/orders.log" 2>&1 &
orders_pid=$!
# The CPU time of the service's JVM, the embedded PostgreSQL and nats-server at the first commit and at the last: what
# each costs an order. On two cores their sum bounds the rate (two million microseconds a second), and the parts say
# which one to work on.
python3 bench/watch_ingest.py "$work/orders.log" "$orders" "$start" "$orders_pid" "$nats_pid" "$work/data/postgres" \
  || { tail -20 "$work/orders.log"; exit 1; }

# Where a batch's time goes, from the service's own log line per batch: from its fetch to its acknowledgement, of
# which judging (ingest thread) and PostgreSQL (committer thread); the cycle is from one acknowledgement to the next.
python3 - "$work/orders.log" <<'PY'
import re, statistics, sys
from datetime import datetime
rows = []
for line in open(sys.argv[1]):
    m = re.match(r"(\S+) INFO  IngestPipeline - Committed (\d+) .* in (\d+) ms \(judging (\d+), PostgreSQL (\d+)\)",
                 line)
    if m:
        rows.append((datetime.strptime(m[1], "%H:%M:%S.%f"), *map(int, m.groups()[1:])))
if len(rows) > 2:
    cycles = [(b[0] - a[0]).total_seconds() * 1000 for a, b in zip(rows, rows[1:])]
    med = lambda i: statistics.median(r[i] for r in rows)
    print(f"== median of {len(rows)} batches of {med(1):.0f}: cycle {statistics.median(cycles):.0f} ms; a batch "
          f"{med(2):.0f} ms from fetch to acknowledgement, of which judging {med(3):.0f}, PostgreSQL {med(4):.0f}")
PY
