#!/usr/bin/env bash
# Fuzzes one parser with Jazzer (docs/RELIABILITY.md, "Fuzzing").
#
#   bench/fuzz.sh TARGET [DURATION]
#
# TARGET is a fuzz test, Class#method (NodeReaderFuzzTest#nodeFileReadsOrIsRefusedAndRoundTrips);
# `bench/fuzz.sh list` lists them. DURATION is libFuzzer's -max_total_time, as 90s, 3m or 10m;
# the default is 10m, the run docs/RELIABILITY.md asks of each target. Each input has 10 s
# (libFuzzer's -timeout; a slower one is a finding) and the JVM a 1 GiB heap (a bigger need is
# an OutOfMemoryError: a finding). Jazzer instruments our classes and the libraries that parse
# for them (jsoup, Jackson, crawler-commons, jwarc, Jetty's form parser).
#
# The corpus the run grows stays in MODULE/.cifuzz-corpus (ignored by git). A finding stops the
# run and is written to the test's inputs folder in src/test/resources
# (.../<Class>Inputs/<method>/crash-…): fix the parser, give the file a name that says what it
# holds, and commit it; `./mvnw verify` replays it from then on. The log goes to
# bench-out/fuzz/<Class>-<method>-<date>.log; the last lines of libFuzzer's stats are printed.
set -euo pipefail
cd "$(dirname "$0")/.."

if [[ "${1:-}" == "list" || $# -lt 1 ]]; then
  grep -rl --include='*FuzzTest.java' '@FuzzTest' -- */src/test/java | while read -r f; do
    cls=$(basename "$f" .java)
    grep -A2 '@FuzzTest' "$f" | grep -oE 'void [A-Za-z0-9_]+' | sed "s/void /${cls}#/"
  done
  [[ $# -lt 1 ]] && exit 2
  exit 0
fi

target=$1
duration=${2:-10m}
cls=${target%%#*}
method=${target#*#}
if [[ "$cls" == "$target" || -z "$method" ]]; then
  echo "fuzz: TARGET must be Class#method (bench/fuzz.sh list)" >&2
  exit 2
fi
file=$(grep -rl --include="${cls}.java" "@FuzzTest" -- */src/test/java | head -1 || true)
if [[ -z "$file" ]]; then
  echo "fuzz: no fuzz test class ${cls} (bench/fuzz.sh list)" >&2
  exit 2
fi
module=${file%%/*}
package=$(sed -n 's/^package \(.*\);/\1/p' "$file")

case "$duration" in
  *h) seconds=$(( ${duration%h} * 3600 )) ;;
  *m) seconds=$(( ${duration%m} * 60 )) ;;
  *s) seconds=${duration%s} ;;
  *) seconds=$duration ;;
esac

log_dir=bench-out/fuzz
mkdir -p "$log_dir"
log="$log_dir/${cls}-${method}-$(date -u +%Y%m%dT%H%M%SZ).log"
echo "fuzz: ${package}.${cls}#${method} in ${module} for ${seconds} s; log ${log}"

# jazzer.internal.arg.*: libFuzzer's arguments as Jazzer's JUnit integration takes them (the
# first is argv[0]); they come after the ones it derives from @FuzzTest, so -max_total_time here
# wins over maxDuration. JaCoCo is off: Jazzer's own instrumentation measures coverage.
status=0
JAZZER_FUZZ=1 ./mvnw -B -o -q -pl "$module" -am test \
  -Dtest="${cls}#${method}" -Dsurefire.failIfNoSpecifiedTests=false \
  -Djacoco.skip=true -DargLine=-Xmx1g -Djazzer.hooks=true \
  -Djazzer.instrument='org.distree.**,org.jsoup.**,com.fasterxml.jackson.**,crawlercommons.**,org.netpreserve.jwarc.**,org.eclipse.jetty.server.FormFields*,org.eclipse.jetty.util.UrlEncoded*' \
  -Djazzer.internal.arg.0=fuzz \
  -Djazzer.internal.arg.1="-max_total_time=${seconds}" \
  -Djazzer.internal.arg.2=-timeout=10 \
  >"$log.mvn" 2>&1 || status=$?
out="${module}/target/surefire-reports/${package}.${cls}-output.txt"
report="${module}/target/surefire-reports/${package}.${cls}.txt"
cat "$log.mvn" "$out" "$report" >"$log" 2>/dev/null || true
rm -f "$log.mvn"
grep -E '^#[0-9]+' "$log" | tail -3 || true
grep -E '^Done [0-9]+ runs|DEDUP_TOKEN|^== Java Exception|FuzzTestFindingException' "$log" || true
if ((status != 0)); then
  echo "fuzz: a finding or a failure (exit ${status}); see ${log} and" \
    "${module}/src/test/resources/${package//.//}/${cls}Inputs/${method}/" >&2
fi
exit "$status"
