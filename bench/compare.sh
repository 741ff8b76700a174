#!/usr/bin/env bash
# Lookup throughput of two or more builds of Orders (or one build with different JVM options) and the Go reference
# server, side by side in one run: what a change gains, measured against the build before it on the same machine at
# the same time. Each build serves the same 10,000 generated orders; each server is pinned to core 1 in its turn and
# wrk to core 0; the rounds go A, B, …, Go, A, B, …, Go.
#
#   bench/compare.sh [rounds, default 5] [seconds per run, default 10] NAME=COMMIT[:JVM options] ...
#   e.g. bench/compare.sh 5 10 before=HEAD~1 after=HEAD compact=HEAD:-XX:+UseCompactObjectHeaders
#
# Besides requests per second it reports the server's CPU time per request (from /proc), which is less sensitive to
# what else the machine is doing than the rate. Needs what bench/lookup.sh needs.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-5}
seconds=${2:-10}
shift 2 || true
[ $# -ge 1 ] || { echo "usage: bench/compare.sh [rounds] [seconds] NAME=COMMIT[:JVM options] ..." >&2; exit 2; }
for tool in wrk go python3 taskset ss; do
  command -v "$tool" >/dev/null || { echo "compare.sh: $tool is missing (apt-get install wrk golang-go)" >&2; exit 1; }
done
repo=$(pwd)
. bench/servers.sh
# The builds' worktrees live in $work, which servers.sh removes on exit; git forgets them then.
trap 'cleanup; git -C "$repo" worktree prune --expire now' EXIT
. bench/builds.sh
declare -A ports checkouts options pids
names=()
add_builds "$work" "$@"
start_builds 18190
orders_port=${ports[${names[0]}]}
ports[go]=18199
start_go "${ports[go]}"
names+=(go)

warm_up_and_measure "$rounds" "$seconds"
