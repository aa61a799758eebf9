#!/usr/bin/env bash
# Side-by-side who-can benchmark (issue 6): loads a synthetic RBAC world into a
# real kube-apiserver (testsupport KubeApiServer), asks the same who-can questions
# of kubectl-who-can, of a console through its JSON API (session and bearer token)
# and of the console's engine on an informer cache, and prints the timings and ratios. Needs the test binaries, kubectl-who-can included:
#   .ci/testbin/build kube-apiserver etcd kubectl-who-can
# Sizes (defaults 1000 roles, 4000 bindings, 40 namespaces, 20 questions):
#   BENCH_ROLES=5000 BENCH_BINDINGS=20000 BENCH_NAMESPACES=200 .ci/bench/who-can-vs-kubectl.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
mvn -B -ntp -q ${OFFLINE:+-o} -pl backend -am test -Dtest=WhoCanVsKubectlBenchmark -Dsurefire.failIfNoSpecifiedTests=false \
  -Dbench.roles="${BENCH_ROLES:-1000}" -Dbench.bindings="${BENCH_BINDINGS:-4000}" \
  -Dbench.namespaces="${BENCH_NAMESPACES:-40}" -Dbench.questions="${BENCH_QUESTIONS:-20}" >&2 || status=$?
out=backend/target/surefire-reports/io.eksaccess.console.bench.WhoCanVsKubectlBenchmark-output.txt
[[ -f $out ]] && grep -v -E '^\s*$|^[0-9]{2}:[0-9]{2}:[0-9]{2}|^(SLF4J|WARNING)' "$out" || true
exit "${status:-0}"
