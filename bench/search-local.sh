#!/usr/bin/env bash
# Command start-up benchmark (issue 15): the wall time of the whole `distree search TREE KEY`
# command on a local 1,000,000-entry tree, as a user runs it (through the ./distree launcher,
# with its class data sharing archive), against `look KEY<TAB> SORTED` (a binary search in the
# sorted TSV) for the same keys in the same run.
#
#   bench/search-local.sh [LAUNCHER...]
#
# LAUNCHER: a distree launcher script (default: this checkout's ./distree); several are run
# side by side, alternated key by key (an old checkout's launcher and jar against this one's),
# and their outputs for each key must be the same. Settings, from the environment:
#   RUNS=20                  timed runs per launcher, one random key each (the same keys for all)
#   SEED=15                  which keys: drawn uniformly from the distinct keys, so most are rare
#   TSV=/tmp/bench/1m.tsv    made by bench/gen-entries.py 1000000 if missing
#   TREE=/tmp/bench/search-1m  built from TSV with ./distree build if missing
#   JAVA_HOME                the Java to run (its bin/ first on PATH), default: `java` on PATH
# Before the timed runs, each launcher runs twice untimed: the first run of a command makes the
# launcher's archive, the second warms the page cache. Times come from bash's `time` around each
# command (hyperfine, when installed, is not used, so that the launchers alternate key by key):
# wall time, and the CPU time (user + system, all threads) of the launcher and the JVM, which
# other work on a busy machine stretches less than the wall time. Prints the load average before
# and after, each launcher's median, p90 and least wall and median CPU in ms, and look's.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
runs=${RUNS:-20}; seed=${SEED:-15}
tsv=${TSV:-/tmp/bench/1m.tsv}; tree=${TREE:-/tmp/bench/search-1m}
launchers=("$@")
((${#launchers[@]} > 0)) || launchers=("$REPO/distree")
if [[ -n ${JAVA_HOME:-} ]]; then export PATH="$JAVA_HOME/bin:$PATH"; fi
need_jar
mkdir -p "$(dirname "$tsv")"
[[ -f $tsv ]] || python3 "$REPO/bench/gen-entries.py" 1000000 > "$tsv"
[[ -f $tree/index.html ]] || "${launchers[0]}" build --in "$tsv" --out "$tree" -q
# The reference: the TSV sorted as bytes (what look's binary search needs), made once.
sorted="$tsv.sorted"; keys="$tsv.keys"
[[ -f $sorted ]] || LC_ALL=C sort -o "$sorted" "$tsv"
[[ -f $keys ]] || cut -f1 "$sorted" | LC_ALL=C uniq > "$keys"
mapfile -t picked < <(shuf -n "$runs" --random-source=<(openssl enc -aes-256-ctr -nosalt \
  -pass "pass:$seed" -pbkdf2 </dev/zero 2>/dev/null) "$keys")
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT

echo "tree: $tree ($(find "$tree" -name '*.html' | wc -l) files), $(wc -l < "$keys") distinct keys"
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for l in "${launchers[@]}"; do
  for i in 1 2; do "$l" search "$tree" "${picked[0]}" > /dev/null 2>&1 || true; done
done

TIMEFORMAT="%3R %3U %3S"
declare -A walls cpus
# Runs "$@" with stdout to $out and stderr to $err; sets took_us (wall) and cpu_us (user + sys).
timed_run() {
  local out=$1 err=$2 t status=0; shift 2
  { t=$( { time "$@" > "$out" 2> "$err"; } 2>&1 ) || status=$?; } || true
  # bash's time reports even when the command fails; its status is the command's.
  read -r w u s <<< "${t##*$'\n'}"
  took_us=$(awk -v w="$w" 'BEGIN {printf "%d", w * 1e6}')
  cpu_us=$(awk -v u="$u" -v s="$s" 'BEGIN {printf "%d", (u + s) * 1e6}')
  return "$status"
}
for key in "${picked[@]}"; do
  for n in "${!launchers[@]}"; do
    status=0
    timed_run "$work/out-$n" "$work/err-$n" "${launchers[n]}" search "$tree" "$key" || status=$?
    if ((status > 1)); then cat "$work/err-$n" >&2; exit 1; fi
    walls[$n]+="$took_us "; cpus[$n]+="$cpu_us "
    if ! cmp -s "$work/out-0" "$work/out-$n"; then
      echo "results differ for '$key': ${launchers[0]} and ${launchers[n]}" >&2; exit 1
    fi
  done
  timed_run "$work/look" /dev/null look "$key"$'\t' "$sorted" || true
  walls[look]+="$took_us "
  # Both must have found the same entries: one result line per look line (plus a header).
  found=$(($(wc -l < "$work/out-0") - 1)); listed=$(wc -l < "$work/look")
  if ((found != (listed < 100 ? listed : 100))); then
    echo "'$key': search shows $found results, look finds $listed lines" >&2; exit 1
  fi
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"

# Median, p90 (nearest rank) and least of microseconds, printed in ms: on a busy machine the
# least wall time is the nearest to what an idle one gives.
stats() {
  tr ' ' '\n' | grep . | sort -n | awk -v what="$1" '{a[NR] = $1} END {
    m = NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
    p = a[int(NR * 0.9 + 0.999999)]
    if (what == "wall") printf "median %.1f ms, p90 %.1f ms, min %.1f ms wall", m / 1000, p / 1000, a[1] / 1000
    else printf "median %.1f ms CPU", m / 1000}'
}
for n in "${!launchers[@]}"; do
  echo "distree search (${launchers[n]}): $(echo "${walls[$n]}" | stats wall)," \
    "$(echo "${cpus[$n]}" | stats cpu) ($runs runs)"
done
echo "look KEY<TAB> (binary search in the sorted TSV): $(echo "${walls[look]}" | stats wall)"
