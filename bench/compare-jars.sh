#!/usr/bin/env bash
# Two builds of distree side by side: the same bulk build and the same index-site, alternated
# round by round, with the same JVM options, output on tmpfs (so the file system's inode reuse
# stays out), and the median of each. For "within noise of before" after a change that should
# not change speed. Usage:
#   bench/compare-jars.sh OLD.jar NEW.jar [ROUNDS=5] [ENTRIES=1000000] [SITE=postgresql manual]
# Prints one line a run and the medians; checks that both builds wrote the same trees
# (timestamps aside).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
old=$1; new=$2; rounds=${3:-5}; n=${4:-1000000}
site=${5:-/usr/share/doc/postgresql-doc-15/html}
work=${BENCH_WORK:-/dev/shm/distree-compare}; rm -rf "$work"; mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
in="$work/entries.tsv"
python3 "$REPO/bench/gen-entries.py" "$n" > "$in"
build_opts="-XX:+UseSerialGC -Xmx1g -Xms8m"
short_opts="-XX:+UseSerialGC -Xmx1g -Xms8m -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1"
declare -A walls
for r in $(seq "$rounds"); do
  for which in old new; do
    jar=${!which}
    rm -rf "$work/build-$which" "$work/site-$which"
    # shellcheck disable=SC2086
    timed java $build_opts -jar "$jar" build --in "$in" --out "$work/build-$which" -q
    walls[build-$which]+="$TIMED_WALL "
    echo "round $r $which build: $TIMED_WALL s, $TIMED_RSS_KB KB"
    # shellcheck disable=SC2086
    timed java $short_opts -jar "$jar" index-site "$site" --base-url https://example.org/ \
      --out "$work/site-$which" -q
    walls[site-$which]+="$TIMED_WALL "
    echo "round $r $which index-site: $TIMED_WALL s, $TIMED_RSS_KB KB"
  done
done
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
for k in build site; do
  o=$(echo "${walls[$k-old]}" | median); w=$(echo "${walls[$k-new]}" | median)
  echo "$k: old $o s, new $w s (median of $rounds), new/old $(python3 -c "print(round($w/$o, 3))")"
done
digest() { # the node files of a tree, timestamps aside, as one checksum
  (cd "$1" && find . -name '*.html' | sort | xargs sed -E 's/[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]+Z//g' | md5sum)
}
same() { [[ $(digest "$1") == $(digest "$2") ]] && echo "same node files" || echo "node files DIFFER"; }
echo "build trees: $(same "$work/build-old" "$work/build-new")"
echo "site trees: $(same "$work/site-old" "$work/site-new")"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
