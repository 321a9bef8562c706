#!/usr/bin/env bash
# Scaling with cores (issue 18): `build` of 1M entries and `index-site` of a site of at least
# 5,000 pages, each pinned to 1 core (taskset -c 0) and to 2 cores (taskset -c 0,1), alternated
# round by round, through the ./distree launcher as a user runs it; then the medians and the
# ratio 2 cores / 1 core (target <= 0.55). In the same run, the sort-and-split floor of the
# build (GNU sort piped into split, one file per 56 entries, on the same cores).
#
#   bench/cores.sh [ROUNDS=3] [COPIES=5] [CORES_B=0,1]
#
# The site is the PostgreSQL 15 manual (apt-get install postgresql-doc-15) copied into COPIES
# folders (5 copies: 5,850 pages). Output goes to /dev/shm (tmpfs: no inode reuse delays, see
# bench/index-site.sh), a folder per run, deleted at the end. CORES_B names the wider set, for
# a machine with more cores (e.g. 0-15).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
rounds=${1:-3}; copies=${2:-5}; wide=${3:-0,1}
manual=/usr/share/doc/postgresql-doc-15/html
work=${BENCH_WORK:-/dev/shm/distree-cores}; rm -rf "$work"; mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
need_jar
in="${BENCH_DIR:-/tmp/bench}/1m.tsv"
[[ -f $in ]] || { mkdir -p "$(dirname "$in")"; python3 "$REPO/bench/gen-entries.py" 1000000 > "$in"; }
site="$work/site"
for i in $(seq "$copies"); do mkdir -p "$site/c$i"; cp -r "$manual"/. "$site/c$i/"; done
pages=$(find "$site" -name '*.html' | wc -l)
echo "build: $in; site: $pages pages ($(du -sh "$site" | cut -f1)); $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
"$REPO/distree" build --in "$in" --out "$work/warm" -q && rm -rf "$work/warm" # class data archive
"$REPO/distree" index-site "$site" --base-url https://example.org/ --out "$work/warm" -q && rm -rf "$work/warm"
declare -A walls
median() { tr ' ' '\n' | grep -v '^$' | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
n=0
for r in $(seq "$rounds"); do
  for cores in 0 "$wide"; do
    n=$((n + 1))
    timed taskset -c "$cores" "$REPO/distree" build --in "$in" --out "$work/b$n" -q
    walls[build-$cores]+="$TIMED_WALL "
    echo "round $r, cores $cores: build $TIMED_WALL s, $TIMED_RSS_KB KB"
    timed taskset -c "$cores" "$REPO/distree" index-site "$site" --base-url https://example.org/ \
      --out "$work/s$n" -q
    walls[site-$cores]+="$TIMED_WALL "
    echo "round $r, cores $cores: index-site $TIMED_WALL s, $TIMED_RSS_KB KB"
    mkdir -p "$work/split$n"
    timed taskset -c "$cores" bash -c "LC_ALL=C sort -t \$'\\t' -k1,1 -S 512M '$in' | split -l 56 - '$work/split$n/x'"
    walls[floor-$cores]+="$TIMED_WALL "
    echo "round $r, cores $cores: sort | split $TIMED_WALL s"
  done
done
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
for what in build site floor; do
  one=$(echo "${walls[$what-0]}" | median); two=$(echo "${walls[$what-$wide]}" | median)
  echo "$what: median $one s on core 0, $two s on cores $wide: ratio $(python3 -c "print(round($two / $one, 2))")"
done
b=$(echo "${walls[build-$wide]}" | median); f=$(echo "${walls[floor-$wide]}" | median)
echo "build / floor on cores $wide: $(python3 -c "print(round($b / $f, 2))")"
