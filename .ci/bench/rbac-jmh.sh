#!/usr/bin/env bash
# RBAC engine benchmark (issue 6): builds the backend's test classes, then runs
# io.eksaccess.console.bench.RbacBench (index build time and memory, then JMH
# SampleTime who-can / can-i latency p50/p99) on a synthetic world of 5,000 roles
# and 20,000 bindings. Not part of `mvn verify`. Arguments: [roles] [bindings] [namespaces].
# Needs network once for Maven to fetch JMH 1.37; set OFFLINE=1 (-o) after that.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
mvn_offline=${OFFLINE:+-o}
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
mvn -B -ntp -q $mvn_offline -pl backend -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >&2
exec java ${BENCH_JAVA_OPTS:--Xmx2g} -cp "backend/target/test-classes:backend/target/classes:$(cat "$cp_file")" \
  io.eksaccess.console.bench.RbacBench "$@"
