#!/usr/bin/env bash
# Access-entry sync at the EKS quota (README "Access entries", sync figures): runs
# AccessEntriesSyncBenchTest, which the suite runs at 1,100 entries, with 3,000 entries (or
# BENCH_ENTRIES) against the moto double; the figures are in its output file. Same code, same
# assertions (calls counted, never the time). Not part of `mvn verify`. OFFLINE=1 for mvn -o.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
mvn -B -ntp -q ${OFFLINE:+-o} -pl backend -am test -Dtest=AccessEntriesSyncBenchTest \
  -Dsurefire.failIfNoSpecifiedTests=false -Daccess-entries.sync.entries="${BENCH_ENTRIES:-3000}"
grep -h "access-entry sync:" backend/target/surefire-reports/*AccessEntriesSyncBenchTest-output.txt
