# Shared by bench/compare.sh, bench/startup.sh and bench/ingest-compare.sh (sourced, not run): the builds a command
# line names as NAME=COMMIT[:JVM options], each checked out in a worktree of its own.
#
#   declare -A checkouts options; names=()
#   add_builds DIR NAME=COMMIT[:JVM options] ...
#
# appends each NAME to names, sets checkouts[NAME] to its worktree DIR/NAME and options[NAME] to its JVM options (empty
# when none). The caller removes DIR on exit and runs `git worktree prune --expire now` so that git forgets them.
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
