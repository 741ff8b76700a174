#!/usr/bin/env bash
# Ingestion throughput: N valid orders (1-3 items each) are published to the broker first, then the service is started
# and reads them all; prints orders per second from the first commit to the last, and the total from process start.
# Acknowledgement after commit stays as it is: the run ends only when the durable consumer has acknowledged them all
# (JetStream) or the consumer group's offsets are committed for them all (Kafka).
#
#   bench/ingest.sh [orders, default 200000] [batch size, default 2000 as the service ships]
#
# BROKER=kafka reads them from Kafka instead of JetStream: a single-node broker in a JVM of its own (bench/kafka.sh)
# and a topic of KAFKA_PARTITIONS partitions (default 4, as the service creates one).
#
# The service is launched by ./orders with the JVM options it ships. ORDERS_CHECKOUT=dir runs another checkout's
# ./orders instead (a git worktree of another commit), so that builds can be run in turns; JVM_OPTIONS="..." adds JVM
# options through JDK_JAVA_OPTIONS, which the launcher's own options override.
#
# Needs nats-server (for JetStream) and a JDK >= 21 (found as ./orders finds it); PostgreSQL is the embedded one,
# fsync on.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/kafka.sh   # broker, start_kafka
orders=${1:-200000}
batch=${2:-2000}
work=$(mktemp -d)
port=18380
nats_port=18381
kafka_port=18382
cleanup() {
  [ -n "${orders_pid:-}" ] && kill -TERM "$orders_pid" 2>/dev/null && wait "$orders_pid" 2>/dev/null || true
  [ -n "${broker_pid:-}" ] && kill "$broker_pid" 2>/dev/null && wait "$broker_pid" 2>/dev/null || true
  cp "$work/orders.log" /tmp/ingest-last.log; rm -rf "$work"
}
trap cleanup EXIT

checkout=${ORDERS_CHECKOUT:-.}
(cd "$checkout" && ./orders --help > /dev/null)   # builds the jar when needed
# Every checkout is fed by this one's publisher, so that builds in turns ingest the same orders.
[ "$checkout" = . ] || ./orders --help > /dev/null
java=$(bin/find-java)

if [ "$broker" = kafka ]; then
  start_kafka "$java" "$work/kafka" $kafka_port "${KAFKA_PARTITIONS:-4}"
  broker_pid=$kafka_pid
  broker_flags=(--source kafka --kafka-bootstrap-servers "127.0.0.1:$kafka_port")
  broker_env=(ORDERS_SOURCE=kafka ORDERS_KAFKA_BOOTSTRAP_SERVERS="127.0.0.1:$kafka_port")
else
  nats-server -a 127.0.0.1 -p $nats_port -js -sd "$work/nats" > "$work/nats.log" 2>&1 &
  broker_pid=$!
  sleep 0.5
  broker_flags=(--nats-url "nats://127.0.0.1:$nats_port")
  broker_env=(ORDERS_NATS_URL="nats://127.0.0.1:$nats_port")
fi
echo "== publishing $orders orders to $broker"
"$java" -jar target/orders.jar publish "${broker_flags[@]}" --count "$orders" --seed 3 | tail -1

echo "== starting the service (embedded PostgreSQL, batch size $batch)"
start=$(date +%s.%N)
[ -n "${JVM_OPTIONS:-}" ] && export JDK_JAVA_OPTIONS="$JVM_OPTIONS"
env ORDERS_JAVA="$java" ORDERS_DATA_DIR="$work/data" ORDERS_HTTP_PORT=$port "${broker_env[@]}" \
  ORDERS_BATCH_SIZE=$batch "$checkout/orders" > "$work/orders.log" 2>&1 &
orders_pid=$!
# The CPU time of the service's JVM, the embedded PostgreSQL and the broker at the first commit and at the last: what
# each costs an order. On two cores their sum bounds the rate (two million microseconds a second), and the parts say
# which one to work on.
broker_name=$([ "$broker" = kafka ] && echo kafka-broker || echo nats-server)
python3 bench/watch_ingest.py "$work/orders.log" "$orders" "$start" "$orders_pid" "$broker_pid" "$work/data/postgres" \
  "$broker_name" \
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
