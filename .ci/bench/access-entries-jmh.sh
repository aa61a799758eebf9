#!/usr/bin/env bash
# Access entries benchmark (issue 15): builds the backend's test classes, then runs
# io.eksaccess.console.bench.AccessEntriesBench (JMH SampleTime who-can with IAM principals and
# can-i --arn through IamAuthorizer, p50/p99) on 3,000 access entries and 20,000 bindings.
# Not part of `mvn verify`. Arguments: [entries] [bindings] [iterations]. OFFLINE=1 for mvn -o.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
mvn_offline=${OFFLINE:+-o}
cp_file=$(mktemp)
trap 'rm -f "$cp_file"' EXIT
mvn -B -ntp -q $mvn_offline -pl backend -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >&2
exec java ${BENCH_JAVA_OPTS:--Xmx2g} -cp "backend/target/test-classes:backend/target/classes:$(cat "$cp_file")" \
  io.eksaccess.console.bench.AccessEntriesBench "$@"
