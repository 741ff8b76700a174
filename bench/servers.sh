# Shared by bench/lookup.sh and bench/latency.sh (sourced, not run): starts Orders as a newcomer does and the Go
# reference server, both serving the same 10,000 generated orders, both pinned to core 1.
# Sets: work (temporary directory, removed on exit), orders_pid, go_pid, java; writes $work/ids.txt.
orders_port=18180
go_port=18181
refbench=../shared/refbench
work=$(mktemp -d)

cleanup() {
  [ -n "${orders_pid:-}" ] && kill -TERM "$orders_pid" 2>/dev/null && wait "$orders_pid" 2>/dev/null
  [ -n "${go_pid:-}" ] && kill "$go_pid" 2>/dev/null && wait "$go_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

start_servers() {
  echo "== starting Orders (embedded PostgreSQL, local nats-server) on core 1"
  ORDERS_DATA_DIR="$work/data" ORDERS_HTTP_PORT=$orders_port taskset -c 1 ./orders > "$work/orders.log" 2>&1 &
  orders_pid=$!
  until grep -q "Press Ctrl+C" "$work/orders.log" 2>/dev/null; do
    kill -0 "$orders_pid" 2>/dev/null || { cat "$work/orders.log"; exit 1; }
    sleep 1
  done
  local nats_url
  nats_url=$(grep -o 'nats://127.0.0.1:[0-9]*' "$work/orders.log" | head -1)
  java=$(bin/find-java)
  # The embedded PostgreSQL and nats-server inherited core 1; they idle during the lookups, but their background
  # work (checkpoints, vacuum) must not land on the server's core while the Go server has that core to itself.
  for child in $(pgrep -P "$orders_pid"); do
    for pid in $child $(pgrep -P "$child"); do taskset -pc 0 "$pid" > /dev/null; done
  done

  echo "== publishing 10,000 orders"
  "$java" -jar target/orders.jar publish --nats-url "$nats_url" --count 10000 --seed 1 | tail -1
  until [ "$(curl -s "http://127.0.0.1:$orders_port/metrics" | sed -n 's/^orders_messages_total{outcome="stored"} \([0-9]*\).*/\1/p')" = "10001" ]; do
    sleep 1
  done
  python3 bench/export_orders.py 127.0.0.1 $orders_port "$work"

  echo "== starting the Go reference server on core 1"
  (cd "$refbench/go-ref" && GOPROXY=off GOFLAGS=-mod=mod go build -o "$work/go-ref" .)
  ORDERS_FILE="$work/orders.tsv" PORT=$go_port taskset -c 1 "$work/go-ref" > "$work/go.log" 2>&1 &
  go_pid=$!
  sleep 1
}

rss() { if [ -r "/proc/$1/status" ]; then awk '/VmRSS/ {printf "%.0f MiB", $2 / 1024}' "/proc/$1/status"; else echo "(exited)"; fi; }
