#!/usr/bin/env bash
# The launcher with and without transparent huge pages for the heap (-XX:+UseTransparentHugePages,
# which ./distree adds on Linux where the kernel offers them; DISTREE_THP=0 leaves it out), the
# two alternated run by run, each as a user runs it (./distree, its class data sharing archive):
#
#   build      of the 1,000,000 unsorted entries (bench/gen-entries.py)
#   add        --in of 100,000 random entries (seed 7) into a fresh copy of the 1M tree
#   index-warc of the WARCs of bench/index-warc.sh (run that once first: it makes them)
#
# Trees are written under OUT (default /dev/shm where it exists: the disk's cost of creating
# thousands of files varies by seconds from one run to the next on ext4, BENCHMARKS.md issue 6,
# and would hide what the option changes; OUT=/tmp/… measures on disk). Prints each run's wall
# time, CPU time, minor page faults and peak RSS, then the medians and the ratio.
#
#   bench/thp.sh [ROUNDS=3] [COMMANDS="build add index-warc"]
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
rounds=${1:-3}
commands=${2:-build add index-warc}
dir=${BENCH_DIR:-/tmp/bench}
warcs=${BENCH_WORK:-/tmp/distree-bench-warc}/warcs-${PAGES:-6000}
out=${OUT:-$([[ -d /dev/shm ]] && echo /dev/shm/distree-thp || echo "$dir/thp")}
mkdir -p "$dir" "$out"
need_jar
thp=/sys/kernel/mm/transparent_hugepage/enabled
[[ -r $thp ]] || { echo "this kernel has no transparent huge pages ($thp)" >&2; exit 1; }
echo "$(nproc) cores; THP: $(<"$thp"); load $(cut -d' ' -f1-3 /proc/loadavg); out: $out"
[[ -f $dir/1m.tsv ]] || python3 "$REPO/bench/gen-entries.py" 1000000 > "$dir/1m.tsv"
[[ -f $dir/add100k.tsv ]] || python3 "$REPO/bench/gen-entries.py" 100000 7 > "$dir/add100k.tsv"
[[ -d $dir/t1m ]] || "$REPO/distree" build --in "$dir/1m.tsv" --out "$dir/t1m" -q

run() { # COMMAND TARGET: one run of COMMAND writing TARGET
  case $1 in
    build) timed "$REPO/distree" build -q --in "$dir/1m.tsv" --out "$2" ;;
    add) rm -rf "$2"; cp -r "$dir/t1m" "$2"; sync
      timed "$REPO/distree" add "$2" --in "$dir/add100k.tsv" -q ;;
    index-warc) timed "$REPO/distree" index-warc -q "$warcs"/crawl1.warc.gz "$warcs"/crawl2.warc.gz --out "$2" ;;
  esac
}
for command in $commands; do
  if [[ $command == index-warc && ! -f $warcs/crawl2.warc.gz ]]; then
    echo "index-warc: no WARCs in $warcs (run bench/index-warc.sh first)"; continue
  fi
  # One untimed run each way: the launcher's archive for the command, and the page cache.
  DISTREE_THP=0 run "$command" "$out/warm" >/dev/null; rm -rf "$out/warm"
  on=(); off=()
  for ((r = 1; r <= rounds; r++)); do
    for mode in off on; do
      rm -rf "$out/tree"
      if [[ $mode == off ]]; then DISTREE_THP=0 run "$command" "$out/tree"; off+=("$TIMED_WALL")
      else run "$command" "$out/tree"; on+=("$TIMED_WALL"); fi
      printf '| %s | %d | %s | %.2f s | CPU %.2f + %.2f s | %s faults | %d MB |\n' "$command" "$r" \
          "$mode" "$TIMED_WALL" "$TIMED_USER" "$TIMED_SYS" "$TIMED_FAULTS" $((TIMED_RSS_KB / 1024))
    done
  done
  m_off=$(printf '%s\n' "${off[@]}" | median); m_on=$(printf '%s\n' "${on[@]}" | median)
  printf '%s: median without %.2f s, with %.2f s: %.2f of the time\n' "$command" "$m_off" \
      "$m_on" "$(echo "$m_on / $m_off" | bc -l)"
done
rm -rf "$out"
echo "load at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
