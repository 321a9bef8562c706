#!/usr/bin/env bash
# Random-key inserts (issue 15): `distree add TREE --in` of 100,000 random entries
# (bench/gen-entries.py, seed 7) into a copy of the 1M-entry tree, through the ./distree launcher
# (or with JAR, java -jar JAR and the launcher's options), ROUNDS times; then `distree lint` of
# the result. Prints wall time, entries per second, peak RSS.
#
#   bench/add.sh [ROUNDS=2] [JAR...]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
rounds=${1:-2}; shift || true
jars=("$@")
dir=${BENCH_DIR:-/tmp/bench}; mkdir -p "$dir"
need_jar
[[ -f $dir/1m.tsv ]] || python3 "$REPO/bench/gen-entries.py" 1000000 > "$dir/1m.tsv"
[[ -f $dir/add100k.tsv ]] || python3 "$REPO/bench/gen-entries.py" 100000 7 > "$dir/add100k.tsv"
[[ -d $dir/t1m ]] || "$REPO/distree" build --in "$dir/1m.tsv" --out "$dir/t1m" -q
echo "$(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
for r in $(seq "$rounds"); do
  for jar in launcher "${jars[@]}"; do
    rm -rf "$dir/t1m-add"; cp -r "$dir/t1m" "$dir/t1m-add"; sync
    if [[ $jar == launcher ]]; then
      timed "$REPO/distree" add "$dir/t1m-add" --in "$dir/add100k.tsv" -q
    else
      timed java -XX:+UseSerialGC -Xmx1g -Xms8m -jar "$jar" add "$dir/t1m-add" --in "$dir/add100k.tsv" -q
    fi
    echo "round $r, $jar: $TIMED_WALL s, $(python3 -c "print(round(100000 / $TIMED_WALL))") entries/s, $TIMED_RSS_KB KB, CPU $TIMED_USER + $TIMED_SYS s"
  done
done
"$REPO/distree" lint "$dir/t1m-add"
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
