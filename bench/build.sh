#!/usr/bin/env bash
# Bulk-build benchmark (issue 2). Usage: bench/build.sh [N_MILLIONS=1] [RUNS=3] [JAVA_OPTS]
# Builds N million random entries from an unsorted TSV RUNS times, with GNU sort of the same
# file as a reference in the same run; prints wall time, peak RSS and the tree's shape.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
n="${1:-1}"; runs="${2:-3}"; opts="${3:--XX:+UseSerialGC -Xmx1g}"
work="${BENCH_DIR:-/tmp/bench}"; mkdir -p "$work"
in="$work/${n}m.tsv"
if [[ ! -f "$in" ]]; then
  echo "generating $in" >&2
  python3 "$here/bench/gen-entries.py" "$((n * 1000000))" > "$in"
fi
[[ -f "$here/search-cli/target/distree.jar" ]] || "$here/mvnw" -q -f "$here/pom.xml" -DskipTests package
echo "input: $in ($(du -h "$in" | cut -f1)), JVM: $opts"
for i in $(seq "$runs"); do
  rm -rf "$work/tree-$n"
  /usr/bin/time -f "distree build: %e s wall, %M KB peak RSS" \
    env DISTREE_JAVA_OPTS="$opts" "$here/distree" build --in "$in" --out "$work/tree-$n" -v -q 2>&1
  /usr/bin/time -f "reference, GNU sort -k1,1 of the same TSV: %e s wall, %M KB peak RSS" \
    env LC_ALL=C sort -t "$(printf '\t')" -k1,1 -S 512M -o /dev/null "$in"
done
"$here/distree" stats "$work/tree-$n"
