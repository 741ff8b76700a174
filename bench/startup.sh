#!/usr/bin/env bash
# Start-up: time from launching the service to /health/ready answering 200, against an empty database each time,
# launched by ./orders with the JVM flags it ships (after a build, on JDK 25+ the first run first records the
# ahead-of-time cache, about half a minute; on older JDKs it writes the class-data archive the later ones use);
# then resident memory idle and after 10 s of lookups.
#
#   bench/startup.sh [runs, default 5]
#
# Readiness is asked for by one Python process (bench/await_ready.py), not a curl process a poll, which took CPU from the
# service on a two-core machine.
#
# Needs Debian's PostgreSQL server binaries (/usr/lib/postgresql/*/bin), nats-server, python3, wrk, and a JDK >= 21.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
work=$(mktemp -d)
chmod 755 "$work"
pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
pg_port=18580
nats_port=18581
http_port=18582
cleanup() {
  [ -n "${service_pid:-}" ] && kill -TERM "$service_pid" 2>/dev/null && wait "$service_pid" 2>/dev/null || true
  [ -n "${nats_pid:-}" ] && kill "$nats_pid" 2>/dev/null && wait "$nats_pid" 2>/dev/null || true
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg" -m immediate stop > /dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

./orders --help > /dev/null   # builds the jar when needed
export ORDERS_JAVA=$(bin/find-java)
mkdir -p "$work/pg" && chown postgres "$work/pg"
runuser -u postgres -- "$pg_bin/initdb" -D "$work/pg" -A trust -U postgres > /dev/null
runuser -u postgres -- "$pg_bin/pg_ctl" -D "$work/pg" -o "-p $pg_port -k $work/pg -c listen_addresses=127.0.0.1" -l "$work/pg/server.log" -w start > /dev/null
nats-server -a 127.0.0.1 -p $nats_port -js -sd "$work/nats" > "$work/nats.log" 2>&1 &
nats_pid=$!

: > "$work/times"
for run in $(seq "$runs"); do
  runuser -u postgres -- "$pg_bin/psql" -q -h 127.0.0.1 -p $pg_port -U postgres -c "create database startup_$run" > /dev/null
  rm -f "$work/pid"
  python3 bench/await_ready.py $http_port "$work/pid" > "$work/ready" &
  poller_pid=$!
  sleep 0.5   # the poller's own start is not timed
  start=$(date +%s%N)
  ORDERS_DB_URL="jdbc:postgresql://127.0.0.1:$pg_port/startup_$run" ORDERS_DB_USER=postgres \
    ORDERS_NATS_URL="nats://127.0.0.1:$nats_port" ORDERS_NATS_DURABLE="startup-$run" ORDERS_HTTP_PORT=$http_port \
    ./orders > "$work/service-$run.log" 2>&1 &
  service_pid=$!
  echo "$service_pid" > "$work/pid.new" && mv "$work/pid.new" "$work/pid"
  wait "$poller_pid" || { cat "$work/service-$run.log"; exit 1; }
  ready=$(( ($(cat "$work/ready") - start) / 1000000 ))
  echo "$ready" >> "$work/times"
  echo "run $run: ready after $ready ms"
  if [ "$run" = "$runs" ]; then
    sleep 2
    echo "resident memory idle: $(awk '/VmRSS/ {printf "%.0f MiB", $2 / 1024}' "/proc/$service_pid/status")"
    wrk -t1 -c50 -d10s "http://127.0.0.1:$http_port/api/orders/b563feb7b2b84b6test" > /dev/null
    echo "resident memory after 10 s of lookups: $(awk '/VmRSS/ {printf "%.0f MiB", $2 / 1024}' "/proc/$service_pid/status")"
  fi
  kill -TERM "$service_pid"; wait "$service_pid" 2>/dev/null || true
  service_pid=""
done
echo "median time to ready: $(sort -n "$work/times" | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}') ms over $runs runs"
