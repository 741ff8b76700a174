#!/usr/bin/env bash
# Start-up: time from launching the service to /health/ready answering 200, against an empty database each time,
# launched by ./orders with the JVM flags it ships; then resident memory idle and after 10 s of lookups.
#
#   bench/startup.sh [runs, default 5]                                this checkout
#   bench/startup.sh [runs] NAME=COMMIT[:JVM options] NAME=...        builds side by side, one start of each in turns
#   e.g. bench/startup.sh 10 before=HEAD~1 after=HEAD
#
# Each build is started once untimed first: after a build, on JDK 25+ that start records the ahead-of-time cache
# (about half a minute), on older JDKs it writes the class-data archive the later ones use. One PostgreSQL cluster
# and one nats-server serve every start; with BROKER=kafka one Kafka broker does instead (bench/kafka.sh), each start
# joining a consumer group of its own on the topic the first start created, and ready once its consumer has connected.
# Readiness is asked for by one Python process (bench/await_ready.py), not a curl process a poll, which took CPU from
# the service on a two-core machine. Single starts on a shared two-core machine vary by a third; compare builds in
# turns and read the medians. Each start's CPU time to ready (the JVM's, read from /proc when it answers) is printed
# beside its time: what a change saves in work shows there even when the machine's noise hides it in the time.
#
# Needs Debian's PostgreSQL server binaries (/usr/lib/postgresql/*/bin), nats-server (for JetStream), python3, wrk,
# and a JDK >= 21.
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/kafka.sh   # broker, start_kafka
runs=${1:-5}
shift || true
repo=$(pwd)
work=$(mktemp -d)
chmod 755 "$work"
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
pg_port=18580
nats_port=18581
kafka_port=18583
http_port=18582
cleanup() {
  [ -n "${service_pid:-}" ] && kill -TERM "$service_pid" 2>/dev/null && wait "$service_pid" 2>/dev/null || true
  [ -n "${broker_pid:-}" ] && kill "$broker_pid" 2>/dev/null && wait "$broker_pid" 2>/dev/null || true
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg" -m immediate stop > /dev/null 2>&1 || true
  rm -rf "$work"
  git -C "$repo" worktree prune --expire now
}
trap cleanup EXIT

. bench/builds.sh
declare -A checkouts options
names=()
use_builds "$work" "" "$@"
export ORDERS_JAVA=$(bin/find-java)
for name in "${names[@]}"; do
  (cd "${checkouts[$name]}" && ./orders --help > /dev/null)   # builds the jar when needed
done

mkdir -p "$work/pg" && chown postgres "$work/pg"
runuser -u postgres -- "$pg_bin/initdb" -D "$work/pg" -A trust -U postgres > /dev/null
runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg" -o "-p $pg_port -k $work/pg -c listen_addresses=127.0.0.1" -l "$work/pg/server.log" -w start > /dev/null
if [ "$broker" = kafka ]; then
  ./orders --help > /dev/null   # the broker runs from this checkout's jar
  start_kafka "$ORDERS_JAVA" "$work/kafka" $kafka_port 4
  broker_pid=$kafka_pid
else
  nats-server -a 127.0.0.1 -p $nats_port -js -sd "$work/nats" > "$work/nats.log" 2>&1 &
  broker_pid=$!
fi
# broker_env N: the settings that point start N at the broker, with a consumer of its own.
broker_env() {
  if [ "$broker" = kafka ]; then
    echo ORDERS_SOURCE=kafka ORDERS_KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:$kafka_port ORDERS_KAFKA_GROUP_ID=startup-$1
  else
    echo ORDERS_NATS_URL=nats://127.0.0.1:$nats_port ORDERS_NATS_DURABLE=startup-$1
  fi
}

starts=0
# start NAME: starts that build against a new empty database and waits until it is ready; sets service_pid, ready_ms
# (launch to ready) and cpu_ms (the JVM's CPU time by then, which the machine's other work moves less than the time).
start() {
  local name=$1 start_ns
  starts=$((starts + 1))
  runuser -u postgres -- "$pg_bin/psql" -q -h 127.0.0.1 -p $pg_port -U postgres -c "create database startup_$starts" > /dev/null
  rm -f "$work/pid"
  python3 bench/await_ready.py $http_port "$work/pid" > "$work/ready" &
  local poller_pid=$!
  sleep 0.5   # the poller's own start is not timed
  start_ns=$(date +%s%N)
  (cd "${checkouts[$name]}" && if [ -n "${options[$name]}" ]; then export JDK_JAVA_OPTIONS="${options[$name]}"; fi \
    && ORDERS_DB_URL="jdbc:postgresql://127.0.0.1:$pg_port/startup_$starts" ORDERS_DB_USER=postgres \
    ORDERS_HTTP_PORT=$http_port exec env $(broker_env $starts) ./orders > "$work/service-$starts.log" 2>&1) &
  service_pid=$!
  echo "$service_pid" > "$work/pid.new" && mv "$work/pid.new" "$work/pid"
  wait "$poller_pid" || { cat "$work/service-$starts.log"; exit 1; }
  local ready_ns
  read -r ready_ns cpu_ms < "$work/ready"
  ready_ms=$(( (ready_ns - start_ns) / 1000000 ))
}
stop() {
  kill -TERM "$service_pid"; wait "$service_pid" 2>/dev/null || true
  service_pid=""
}
resident() { awk '/VmRSS/ {printf "%.0f MiB", $2 / 1024}' "/proc/$service_pid/status"; }

for name in "${names[@]}"; do
  start "$name"
  stop
done
: > "$work/times"
for run in $(seq "$runs"); do
  for name in "${names[@]}"; do
    start "$name"
    echo "$name $ready_ms $cpu_ms" >> "$work/times"
    echo "run $run: $(label "$name")ready after $ready_ms ms, $cpu_ms ms of CPU"
    if [ "$run" = "$runs" ]; then
      sleep 2
      echo "$(label "$name")resident memory idle: $(resident)"
      wrk -t1 -c50 -d10s "http://127.0.0.1:$http_port/api/orders/b563feb7b2b84b6test" > /dev/null
      echo "$(label "$name")resident memory after 10 s of lookups: $(resident)"
    fi
    stop
  done
done
# median NAME COLUMN: the median, least and greatest of one column of a build's runs.
median() {
  awk -v name="$1" -v column="$2" '$1 == name {print $column}' "$work/times" | sort -n |
    awk '{a[NR] = $1} END {printf "%d ms over %d runs (%d–%d ms)", a[int((NR + 1) / 2)], NR, a[1], a[NR]}'
}
for name in "${names[@]}"; do
  echo "$(label "$name")median time to ready: $(median "$name" 2); CPU to ready: $(median "$name" 3)"
done
