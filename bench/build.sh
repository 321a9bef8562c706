#!/usr/bin/env bash
# Bulk-build benchmark (issue 2). Usage: bench/build.sh [N_MILLIONS=1] [RUNS=3] [JAVA_OPTS]
# Builds N million random entries from an unsorted TSV RUNS times, with GNU sort of the same
# file as a reference in the same run; prints wall time, peak RSS and the tree's shape.
# (N_MILLIONS may be a fraction, such as 0.001, for a quick try.)
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
n="${1:-1}"; runs="${2:-3}"; opts="${3:--XX:+UseSerialGC -Xmx1g}"
work="${BENCH_DIR:-/tmp/bench}"; mkdir -p "$work"
in="$work/${n}m.tsv"
if [[ ! -f "$in" ]]; then
  echo "generating $in" >&2
  python3 "$REPO/bench/gen-entries.py" "$(python3 -c "print(round($n * 1000000))")" > "$in"
fi
need_jar
echo "input: $in ($(du -h "$in" | cut -f1)), JVM: $opts"
for i in $(seq "$runs"); do
  rm -rf "$work/tree-$n"
  timed env DISTREE_JAVA_OPTS="$opts" "$REPO/distree" build --in "$in" --out "$work/tree-$n" -v -q 2>&1
  echo "distree build: $TIMED_WALL s wall, $TIMED_RSS_KB KB peak RSS"
  timed env LC_ALL=C sort -t "$(printf '\t')" -k1,1 -S 512M -o /dev/null "$in"
  echo "reference, GNU sort -k1,1 of the same TSV: $TIMED_WALL s wall, $TIMED_RSS_KB KB peak RSS"
done
"$REPO/distree" stats "$work/tree-$n"
