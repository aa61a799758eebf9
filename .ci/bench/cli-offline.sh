#!/usr/bin/env bash
# Offline CLI benchmark (issue 19): writes a 25,000-object RBAC dump (5,000 roles, 20,000
# bindings, 200 namespaces) as `kubectl get clusterroles,clusterrolebindings,roles,rolebindings
# -A -o yaml` and `-o json` print it (io.eksaccess.console.bench.RbacDumpGenerator; dump-applied.yaml is the
# YAML dump with kubectl apply's last-applied-configuration annotation, a literal block scalar, on every object), then times
# `version` and who-can / can-i / rules-for / findings over it (each cold with --no-cache, as a
# cache miss that writes the prepared-dump entry, and as the hit after it, which asks another question), side by side in one run: both
# through `java -jar backend/target/eks-access-console.jar` and through the launcher
# .ci/cli/eks-access-console (extracted jar + AppCDS archive + C1 only + serial GC). Rounds are
# interleaved (every command once per round) so the machine's load falls on all alike. Prints
# per command the median wall time, median CPU time (user+sys), the highest peak RSS, and the
# ratios (wall and CPU) to `version` by the same route. Needs GNU time (/usr/bin/time). Not part of `mvn verify`.
# Environment: BENCH_ROUNDS (default 5), BENCH_ROLES/BENCH_BINDINGS/BENCH_NAMESPACES, OFFLINE=1 (mvn -o),
# BENCH_ROUTES (default "jar launcher"; "launcher" alone halves the run),
# BENCH_JDK25=/path/to/jdk-25 to add rows for JDK 25's AOT cache (-XX:AOTCacheOutput) as well.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
rounds=${BENCH_ROUNDS:-5}
jar=backend/target/eks-access-console.jar
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cp_file=$work/cp.txt
mvn -B -ntp -q ${OFFLINE:+-o} -pl backend -am package -DskipTests >&2
mvn -B -ntp -q ${OFFLINE:+-o} -pl backend -am test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file" >&2
java -cp "backend/target/test-classes:backend/target/classes:$(cat "$cp_file")" \
  io.eksaccess.console.bench.RbacDumpGenerator "$work" "${BENCH_ROLES:-5000}" "${BENCH_BINDINGS:-20000}" \
  "${BENCH_NAMESPACES:-200}"
.ci/cli/eks-access-console version >/dev/null # extracts the jar and records the CDS archive once

declare -A routes=([jar]="java -jar $jar" [launcher]=".ci/cli/eks-access-console")
read -r -a route_order <<< "${BENCH_ROUTES:-jar launcher}"
if [[ -n ${BENCH_JDK25:-} ]]; then
  app=${jar%.jar}-cli/app/eks-access-console.jar
  "$BENCH_JDK25/bin/java" -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:AOTCacheOutput="$work/cli.aot" \
    -jar "$app" who-can --json --from "$work/dump.yaml" get pods -n bench-ns1 >/dev/null 2>&1
  routes[jdk25-aot]="$BENCH_JDK25/bin/java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:AOTCache=$work/cli.aot -jar $app"
  route_order+=(jdk25-aot)
fi
queries=(
  "who-can --from $work/dump.yaml get pods -n bench-ns3"
  "who-can --json --from $work/dump.json get pods -n bench-ns3"
  "who-can --from $work/dump-applied.yaml get pods -n bench-ns3"
  "can-i --from $work/dump.yaml --user bench-user7 --group bench-team3 delete deployments --api-group apps -n bench-ns3"
  "rules-for --from $work/dump.yaml --group bench-team3"
  "findings --from $work/dump.yaml"
)
# The hit asks another question of the same dump than the miss that wrote the entry did.
hits=(
  "who-can --from $work/dump.yaml list secrets -n bench-ns7"
  "who-can --json --from $work/dump.json delete deployments --api-group apps -n bench-ns11"
  "who-can --from $work/dump-applied.yaml create configmaps -n bench-ns5"
  "can-i --from $work/dump.yaml --user bench-user11 --group bench-team1 get pods -n bench-ns4"
  "rules-for --from $work/dump.yaml --user bench-user7"
  "findings --json --from $work/dump.yaml"
)
# Each query three ways: "cold" reads the dump as before (--no-cache); "miss" reads it with the
# prepared-dump cache empty (reading it and writing the entry); "hit" is the next call, another
# question, which loads the entry the miss wrote. The cache is the run's own (XDG_CACHE_HOME under $work).
export XDG_CACHE_HOME=$work/cache
commands=("version")
kinds=("")
for ((q = 0; q < ${#queries[@]}; q++)); do
  query=${queries[$q]}
  commands+=("${query%% *} --no-cache ${query#* }" "$query" "${hits[$q]}")
  kinds+=(cold miss hit)
done

results=$work/results.txt
: > "$results"
for ((round = 1; round <= rounds; round++)); do
  for route in "${route_order[@]}"; do
    for ((c = 0; c < ${#commands[@]}; c++)); do
      [[ ${kinds[$c]} == miss ]] && rm -rf "$XDG_CACHE_HOME"
      # shellcheck disable=SC2086 # the route and command are word lists
      /usr/bin/time -f "$route $c %e %U %S %M" -a -o "$results" ${routes[$route]} ${commands[$c]} >/dev/null 2>"$work/err" \
        || { [[ $? == 1 ]] || { cat "$work/err" >&2; exit 1; }; } # findings exits 1 when it finds something
    done
  done
done

median() { # column $1 of the lines on stdin
  awk -v k="$1" '{ print $k }' | sort -n | awk '{ v[NR] = $1 } END { printf "%.2f", v[int((NR + 1) / 2)] }'
}

echo
echo "$(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg), $rounds rounds; dump: $(du -m "$work/dump.yaml" | cut -f1) MB YAML, $(du -m "$work/dump.json" | cut -f1) MB JSON"
for route in "${route_order[@]}"; do
  echo
  echo "route: ${routes[$route]}"
  printf '%-5s  %-60s %9s %9s %9s %8s %8s\n' "" "command" "wall (s)" "CPU (s)" "RSS (MiB)" "wall ÷v" "CPU ÷v"
  version_wall=
  version_cpu=
  for ((c = 0; c < ${#commands[@]}; c++)); do
    rows=$(awk -v r="$route" -v c="$c" '$1 == r && $2 == c { print $3, $4 + $5, $6 }' "$results")
    wall=$(median 1 <<< "$rows")
    cpu=$(median 2 <<< "$rows")
    rss=$(awk '$3 > m { m = $3 } END { printf "%.0f", m / 1024 }' <<< "$rows")
    version_wall=${version_wall:-$wall}
    version_cpu=${version_cpu:-$cpu}
    printf '%-5s  %-60s %9s %9s %9s %8s %8s\n' "${kinds[$c]}" "${commands[$c]//$work\//}" "$wall" "$cpu" "$rss" \
      "$(awk -v a="$wall" -v b="$version_wall" 'BEGIN { printf "%.1f×", a / b }')" \
      "$(awk -v a="$cpu" -v b="$version_cpu" 'BEGIN { printf "%.1f×", a / b }')"
  done
done
