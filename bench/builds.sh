# Shared by the benchmarks that compare builds (sourced, not run): the builds a command line names as
# NAME=COMMIT[:JVM options], each checked out in a worktree of its own.
#
#   declare -A checkouts options; names=()
#   add_builds DIR NAME=COMMIT[:JVM options] ...
#
# appends each NAME to names, sets checkouts[NAME] to its worktree DIR/NAME and options[NAME] to its JVM options (empty
# when none). The caller removes DIR on exit and runs `git worktree prune --expire now` so that git forgets them.
#
#   use_builds DIR THIS_OPTIONS NAME=COMMIT[:JVM options] ...
#
# does the same, or, when no build is named, takes the checkout the script runs in as the one build, "this", with
# THIS_OPTIONS; then `label NAME` prints "NAME: " to begin an output line when builds were named, nothing otherwise.
add_builds() {
  local dir=$1 variant name spec
  shift
  for variant in "$@"; do
    name=${variant%%=*}
    spec=${variant#*=}
    names+=("$name")
    options[$name]=""
    [[ $spec == *:* ]] && options[$name]=${spec#*:}
    git worktree add -q --detach "$dir/$name" "${spec%%:*}"
    checkouts[$name]=$dir/$name
  done
}

use_builds() {
  local dir=$1 this_options=$2
  shift 2
  builds_named=$#
  if [ $# -eq 0 ]; then
    names+=(this)
    checkouts[this]=$(pwd)
    options[this]=$this_options
  fi
  add_builds "$dir" "$@"
}
label() { if [ "${builds_named:-0}" -gt 0 ]; then echo "$1: "; fi; }

# start_builds FIRST_PORT: starts every build in names with start_orders (bench/servers.sh) on ports from FIRST_PORT + 1
# on, each after printing its commit; sets ports[NAME] and pids[NAME], which the caller declares.
start_builds() {
  local port=$1 name
  for name in "${names[@]}"; do
    port=$((port + 1))
    if [ -n "$(pid_on $port)" ]; then echo "$(basename "$0"): port $port is taken" >&2; exit 1; fi
    echo "== $name: $(git -C "${checkouts[$name]}" log -1 --format='%h %s' | cut -c1-80) ${options[$name]:+with ${options[$name]}}"
    (cd "${checkouts[$name]}" && ORDERS_JAVA="$java" ./orders --help > /dev/null)
    start_orders "$name" "${checkouts[$name]}" "$port" "${options[$name]}"
    ports[$name]=$port
    pids[$name]=$orders_pid
  done
}
