#!/usr/bin/env bash
# Where an offline command's time goes (issue 19): runs one command through the launcher's JVM
# options (.ci/cli/eks-access-console: extracted jar, AppCDS, C1 only, serial GC) three ways and
# prints (1) classes loaded from the CDS archive vs from jars, (2) C1 compilation time and GC
# pauses, (3) a JFR method profile sampled every 1 ms (self and inclusive top frames).
# Usage: .ci/bench/cli-profile.sh who-can --from dump.yaml get pods -n bench-ns3
# (make a dump with .ci/bench/cli-offline.sh's generator). Not part of `mvn verify`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
.ci/cli/eks-access-console version >/dev/null # extracts the jar and records the archive
cache=backend/target/eks-access-console-cli
app=$cache/app/eks-access-console.jar
jsa=$(ls -t "$cache"/cli-*.jsa 2>/dev/null | head -1) # the newest: the one the launcher now uses
opts=(-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData -Xshare:auto ${jsa:+-XX:SharedArchiveFile=$jsa})
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

java "${opts[@]}" -Xlog:class+load:file="$work/classes.txt" -jar "$app" "$@" >/dev/null 2>&1 || true
echo "classes: $(grep -c 'shared objects file' "$work/classes.txt") from the CDS archive," \
  "$(grep -vc 'shared objects file' "$work/classes.txt") from jars"
# CITime prints after the command's own output, on stdout
java "${opts[@]}" -Xlog:gc:file="$work/gc.txt" -XX:+UnlockDiagnosticVMOptions -XX:+CITime -jar "$app" "$@" 2>/dev/null \
  | grep -E 'Total compilation time|C1 \{' || true
grep -E 'Pause' "$work/gc.txt" || echo "no GC pause"
sed 's|<setting name="period" control="method-sampling-java-interval">[^<]*<|<setting name="period">1 ms<|' \
  "$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")/lib/jfr/profile.jfc" > "$work/1ms.jfc"
java "${opts[@]}" -XX:StartFlightRecording=filename="$work/run.jfr",settings="$work/1ms.jfc" -jar "$app" "$@" \
  >/dev/null 2>&1 || true
jfr print --events jdk.ExecutionSample "$work/run.jfr" > "$work/samples.txt"
python3 - "$work/samples.txt" <<'PY'
import collections, re, sys
events = open(sys.argv[1]).read().split('jdk.ExecutionSample {')[1:]
top, incl = collections.Counter(), collections.Counter()
for event in events:
    frames = re.findall(r'^\s+([\w.$<>]+)\(.*?line: \d+', event, re.M)
    if frames:
        top[frames[0]] += 1
        incl.update(set(frames))
print(f"{len(events)} samples (1 ms, Java threads only; JIT and GC threads are not sampled)")
print("self:")
for frame, count in top.most_common(15):
    print(f"  {count:5d}  {frame}")
print("inclusive:")
for frame, count in incl.most_common(25):
    print(f"  {count:5d}  {frame}")
PY
