#!/usr/bin/env bash
# Ingestion of two or more builds of Orders (or one build with different JVM options) in turns, each run as
# bench/ingest.sh runs it: what a change does to ingestion, against the build before it on the same machine at the
# same time. One ingestion on these machines moves by a fifth from one run to the next, so read the medians.
#
#   bench/ingest-compare.sh [rounds, default 3] [orders, default 200000] NAME=COMMIT[:JVM options] ...
#   e.g. bench/ingest-compare.sh 4 200000 before=HEAD~1 after=HEAD parallel=HEAD:-XX:+UseParallelGC
#
# Each build ingests 20,000 orders once, untimed, first: after a build, on JDK 25+ that start records the
# ahead-of-time cache (about half a minute), which would otherwise fall into the first round. The rounds go A, B, …,
# A, B, …; each line is a run, then the medians of orders per second and of CPU an order, and each build's rate
# against the first's. Needs what bench/ingest.sh needs; BROKER and KAFKA_PARTITIONS reach it as they are.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-3}
orders=${2:-200000}
shift 2 || true
[ $# -ge 1 ] || { echo "usage: bench/ingest-compare.sh [rounds] [orders] NAME=COMMIT[:JVM options] ..." >&2; exit 2; }
repo=$(pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"; git -C "$repo" worktree prune --expire now' EXIT

. bench/builds.sh
declare -A checkouts options
names=()
add_builds "$work" "$@"

ingest() { # name orders → bench/ingest.sh's summary
  ORDERS_CHECKOUT=${checkouts[$1]} JVM_OPTIONS=${options[$1]} bench/ingest.sh "$2"
}
for name in "${names[@]}"; do
  echo "== $name: warming up (build, ahead-of-time cache)"
  ingest "$name" 20000 > /dev/null
done
echo "== $rounds rounds of $orders orders"
for _ in $(seq "$rounds"); do
  for name in "${names[@]}"; do
    ingest "$name" "$orders" | awk -v name="$name" '
      /orders stored:/ {rate = $5; gsub(",", "", rate)}
      /CPU an order/ {jvm = $13; pg = $16; broker_name = $18; broker = $19; all = $21}
      END {if (rate == "") exit 1
           printf "%-10s %7d orders/s  CPU an order: JVM %3d us, PostgreSQL %3d us, %s %3d us, %3d us in all\n",
           name, rate, jvm, pg, broker_name, broker, all}' | tee -a "$work/results"
  done
done
python3 - "$work/results" <<'PY'
import statistics, sys
rows = [line.split() for line in open(sys.argv[1])]
names = list(dict.fromkeys(row[0] for row in rows))
rate = {n: statistics.median(int(r[1]) for r in rows if r[0] == n) for n in names}
cpu = {n: statistics.median(int(r[-4]) for r in rows if r[0] == n) for n in names}
for n in names:
    print(f"== {n}: median {rate[n]:,.0f} orders/s, {rate[n] / rate[names[0]]:.2f} of {names[0]}; "
          f"median CPU {cpu[n]:.0f} us an order")
PY
