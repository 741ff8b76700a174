# Shared by bench/lookup.sh, bench/latency.sh, bench/compare.sh and bench/floor.sh (sourced, not run): starts Orders
# as a newcomer does and the Go reference server, serving the same 10,000 generated orders, each pinned to core 1.
# Sets: work (temporary directory, removed on exit), java, orders_pid and go_pid (the last started); writes
# $work/ids.txt. Every server started here is stopped on exit.
orders_port=18180
go_port=18181
refbench=../shared/refbench
work=$(mktemp -d)
java=$(bin/find-java)
server_pids=()
# This checkout's jar publishes the orders (and holds bench/FixedRate.java's HdrHistogram), whichever builds serve them.
./orders --help > /dev/null   # builds the jar when needed

# A server stopped by SIGTERM may exit non-zero (Go's does): under set -e that must not end the cleanup early, as it
# did before and left every run's directory behind.
cleanup() {
  for pid in "${server_pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null && wait "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

# start_orders NAME CHECKOUT PORT [JVM options]: runs CHECKOUT's ./orders on core 1 (data in $work/data-NAME, log in
# $work/NAME.log), publishes 10,000 generated orders to it and waits until they are stored. Its PostgreSQL and
# nats-server go to core $database_core.
database_core=0
start_orders() {
  local name=$1 checkout=$2 port=$3 options=${4:-}
  (cd "$checkout" && if [ -n "$options" ]; then export JDK_JAVA_OPTIONS="$options"; fi \
    && ORDERS_JAVA="$java" ORDERS_DATA_DIR="$work/data-$name" ORDERS_HTTP_PORT=$port exec taskset -c 1 ./orders \
    > "$work/$name.log" 2>&1) &
  orders_pid=$!
  server_pids+=("$orders_pid")
  until grep -q "Press Ctrl+C" "$work/$name.log" 2>/dev/null; do
    kill -0 "$orders_pid" 2>/dev/null || { cat "$work/$name.log"; exit 1; }
    sleep 1
  done
  local nats_url
  nats_url=$(grep -o 'nats://127.0.0.1:[0-9]*' "$work/$name.log" | head -1)
  # The embedded PostgreSQL and nats-server inherited core 1; they idle during the lookups, but their background
  # work (checkpoints, vacuum) must not land on the server's core while another server has that core to itself.
  for child in $(pgrep -P "$orders_pid"); do
    for pid in $child $(pgrep -P "$child"); do taskset -pc "$database_core" "$pid" > /dev/null; done
  done

  echo "== publishing 10,000 orders to $name"
  "$java" -jar target/orders.jar publish --nats-url "$nats_url" --count 10000 --seed 1 | tail -1
  until [ "$(curl -s "http://127.0.0.1:$port/metrics" \
      | sed -n 's/^orders_messages_total{outcome="stored"} \([0-9]*\).*/\1/p')" = "10001" ]; do
    sleep 1
  done
}

# start_go PORT: exports the orders of the Orders instance on $orders_port and serves them from the Go reference.
start_go() {
  python3 bench/export_orders.py 127.0.0.1 "$orders_port" "$work"
  echo "== starting the Go reference server on core 1"
  (cd "$refbench/go-ref" && GOPROXY=off GOFLAGS=-mod=mod go build -o "$work/go-ref" .)
  ORDERS_FILE="$work/orders.tsv" PORT=$1 taskset -c 1 "$work/go-ref" > "$work/go.log" 2>&1 &
  go_pid=$!
  server_pids+=("$go_pid")
  sleep 1
}

start_servers() {
  echo "== starting Orders (embedded PostgreSQL, local nats-server) on core 1"
  start_orders orders . "$orders_port"
  start_go "$go_port"
}

rss() { if [ -r "/proc/$1/status" ]; then awk '/VmRSS/ {printf "%.0f MiB", $2 / 1024}' "/proc/$1/status"; else echo "(exited)"; fi; }

# pid_on PORT: the process listening on PORT, if any.
pid_on() { ss -ltnpH "sport = :$1" | grep -o 'pid=[0-9]*' | head -1 | cut -d= -f2; }

# warm_up_and_run_rounds ROUNDS SECONDS: `measure NAME SECONDS` for every server in names (each listening on
# ports[NAME]), 30 s each to warm up, then ROUNDS rounds in turns, each run's line printed and kept in $work/results.
# A script that measures otherwise defines its own measure after sourcing this file.
warm_up_and_run_rounds() {
  local rounds=$1 seconds=$2 name
  echo "== warm-up (30 s each, in runs of 10 s)"
  for name in "${names[@]}"; do
    for _ in 1 2 3; do measure "$name" 10 > /dev/null; done
  done
  echo "== $rounds interleaved rounds"
  for _ in $(seq "$rounds"); do
    for name in "${names[@]}"; do measure "$name" "$seconds" | tee -a "$work/results"; done
  done
}

# warm_up_and_measure ROUNDS SECONDS: the rounds above with wrk (the last server in names is "go"); prints each run
# with the server's CPU a request (from /proc, less sensitive to what else the machine does than the rate), the
# medians as ratios to Go and, for every server but the first and Go, its CPU a request against the first's round by
# round.
warm_up_and_measure() {
  warm_up_and_run_rounds "$1" "$2"
  python3 - "$work/results" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
names = list(dict.fromkeys(row[0] for row in rows))
rate = {n: statistics.median(float(r[1]) for r in rows if r[0] == n) for n in names}
cpu = {n: statistics.median(float(r[10]) for r in rows if r[0] == n) for n in names}
for n in names:
    print(f"== {n}: median {rate[n]:.0f} req/s, {rate[n] / rate['go']:.2f} of Go; "
          f"median CPU {cpu[n]:.2f} us a request, Go's is {cpu['go'] / cpu[n]:.2f} of it")
# Where the machine's speed moves within minutes, medians over the whole run hide what a round in turns shows: each
# server's CPU a request against the first server's in the same round.
base = [float(r[10]) for r in rows if r[0] == names[0]]
for n in names[1:-1]:
    ratios = [float(r[10]) / b for r, b in zip((r for r in rows if r[0] == n), base)]
    print(f"== {n} against {names[0]}, round by round: CPU a request x{statistics.median(ratios):.3f} "
          f"(median of {len(ratios)}; lower in {sum(x < 1 for x in ratios)})")
PY
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$(pid_on "$1")/stat"; }

measure() { # name seconds → "name req/s p50 p99 max cpu-µs-per-request"
  local port=${ports[$1]} before output after
  before=$(cpu_ticks "$port")
  output=$(taskset -c 0 wrk -t1 -c50 -d"$2s" --latency -s "$refbench/orders.lua" "http://127.0.0.1:$port" \
    -- "$work/ids.txt")
  after=$(cpu_ticks "$port")
  echo "$output" | awk -v name="$1" -v ticks=$((after - before)) -v hz="$(getconf CLK_TCK)" '
    /Requests\/sec/ {rps = $2} $1 == "50%" {p50 = $2} $1 == "99%" {p99 = $2} /requests in/ {total = $1}
    $1 == "Latency" && $2 != "Distribution" {max = $4}
    END {printf "%-10s %10s req/s  p50 %8s  p99 %8s  max %8s  cpu %6.2f us/request\n", name, rps, p50, p99, max,
         ticks * 1e6 / hz / total}'
}
