#!/usr/bin/env bash
# Runs the join benchmark (JoinLoad) of this checkout and of an earlier revision interleaved, in one invocation, so
# that the two are compared on the same machine minutes apart (this machine's speed drifts from minute to minute:
# only neighbouring runs compare). Builds the earlier revision's bench jar in a temporary git worktree (removed at
# the end) and this checkout's bench jar if it is missing.
#
#   bench/compare/joinload-vs.sh REV [ROUNDS] [-- JoinLoad options]
#   e.g. bench/compare/joinload-vs.sh 68dad5d 3 -- --threads 4
#
# Without JoinLoad options both run "--warmup 300 --conferences 300" (1500 joins of warm-up, 1500 measured), not
# JoinLoad's defaults: with those, JIT compilation is about 30 % of the measured phase's CPU (a profile of the
# default run), so a comparison mostly measured how much more code a revision compiles.
#
# Prints the load average before and after, and each run's JoinLoad report, labelled "this" or REV.
# BASE_JAR=path/to/benchmarks.jar reuses an earlier build of REV's bench jar (no build right before the runs).
set -euo pipefail
cd "$(dirname "$0")/../.."
rev=${1:?usage: joinload-vs.sh REV [ROUNDS] [-- JoinLoad options]}
shift
rounds=2
if [[ $# -gt 0 && $1 != "--" ]]; then rounds=$1; shift; fi
if [[ $# -gt 0 && $1 == "--" ]]; then shift; fi
opts=("$@")
if [[ ${#opts[@]} -eq 0 ]]; then opts=(--warmup 300 --conferences 300); fi

this_jar=bench/target/benchmarks.jar
if [[ ! -f $this_jar ]]; then
  ./mvnw -q -B package -pl bench -am -DskipTests
fi
if [[ -n ${BASE_JAR:-} ]]; then
  base_jar=$BASE_JAR
else
  base=$(mktemp -d /tmp/joinload-base.XXXXXX)
  trap 'git worktree remove --force "$base" >/dev/null 2>&1 || rm -rf "$base"' EXIT
  git worktree add -q --detach "$base" "$rev"
  (cd "$base" && ./mvnw -q -B package -pl bench -am -DskipTests)
  base_jar=$base/bench/target/benchmarks.jar
  echo "built $rev; letting the build's load settle for 60 s"
  sleep 60
fi

echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"
for ((i = 1; i <= rounds; i++)); do
  for side in this "$rev"; do
    jar=$this_jar
    [[ $side == "$rev" ]] && jar=$base_jar
    echo "=== run $i: $side $(date -u +%H:%M:%S) load $(cut -d' ' -f1 /proc/loadavg)"
    java -cp "$jar" org.kmsconf.bench.sip.JoinLoad "${opts[@]}"
  done
done
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
