#!/usr/bin/env bash
# The JSON API's fixed cost per call (issue 19), A/B: builds the git ref BASELINE (e.g. main) into
# a scratch copy, then runs ApiFixedCostBenchmark, which starts a
# console on BASELINE's classes and one on this tree's, and times /actuator/health (bearer), who-can
# (bearer) and who-can (session) with wrk -c1 in alternating rounds, then kubectl-who-can on the
# same API server. Needs wrk (apt-get install wrk) and the test binaries (.ci/testbin/build
# kube-apiserver etcd kubectl-who-can). Without BASELINE only this tree is measured.
#   BASELINE=main BENCH_ROUNDS=5 BENCH_SECONDS=5 .ci/bench/api-fixed-cost.sh
#   BENCH_PROFILE=/path/libasyncProfiler.so .ci/bench/api-fixed-cost.sh   # CPU profile, collapsed stacks
# Sizes as in who-can-vs-kubectl.sh: BENCH_ROLES, BENCH_BINDINGS, BENCH_NAMESPACES.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
baseline_classes=""
if [[ -n ${BASELINE:-} ]]; then
  scratch=$(mktemp -d /tmp/api-baseline.XXXXXX)
  git archive "$BASELINE" | tar -x -C "$scratch"
  mvn -B -ntp -q ${OFFLINE:+-o} -f "$scratch/pom.xml" -pl backend -am compile >&2
  baseline_classes="$scratch/backend/target/classes:$scratch/frontend/target/classes:$scratch/db/target/classes"
fi
mvn -B -ntp -q ${OFFLINE:+-o} -pl backend -am test -Dtest=ApiFixedCostBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench.baseline="${BENCH_BASELINE_CLASSES:-$baseline_classes}" -Dbench.profile="${BENCH_PROFILE:-}" \
  -Dbench.rounds="${BENCH_ROUNDS:-5}" -Dbench.seconds="${BENCH_SECONDS:-5}" \
  -Dbench.roles="${BENCH_ROLES:-1000}" -Dbench.bindings="${BENCH_BINDINGS:-4000}" \
  -Dbench.namespaces="${BENCH_NAMESPACES:-40}" >&2 || status=$?
out=backend/target/surefire-reports/io.eksaccess.console.bench.ApiFixedCostBenchmark-output.txt
[[ -f $out ]] && grep -v -E '^\s*$|^[0-9]{2}:[0-9]{2}:[0-9]{2}|^(SLF4J|WARNING)' "$out" || true
exit "${status:-0}"
