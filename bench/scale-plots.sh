#!/usr/bin/env bash
# The plots of docs/SCALE.md (issue 13): runs the ring simulations that SCALE.md lists, keeps
# their CSV files, and draws the PNG charts with `distree plot`.
#
#   bench/scale-plots.sh [PNG_DIR]
#
# PNG_DIR defaults to docs/scale. The CSV files go to $SCALE_WORK (default
# /tmp/distree-scale-plots), emptied first and kept, with runs.txt (each command, its time and
# the load average before it). The runs (100 own entries a machine, --set positions=4, parallel
# rounds, the seeds of SCALE.md; --until-full where a run is for its rounds to full recall):
#
#   rings of 10, 20 and 50 machines (seeds 10, 20, 50; 20, 20 and 16 rounds at most; 10, 20
#   and 10 sampled roots), each also writing what every machine stores at the end
#   (--storage-csv); rings of 10 and 20 with Zipf keys (s = 1; seeds 11 and 21);
#   20 machines with 10%, 20%, 30% and 40% of them stopped at once at the start of round 12,
#   24 rounds (seed 20; not --until-full, which would end before the stop)
#
# and the charts, each 800 x 600 pixels:
#
#   recall.png        recall by round, the rings of 10, 20 and 50
#   recall-stops.png  recall by round, 20 machines with each share stopped
#   rounds.png        rounds to 0.999 against machines (uniform and Zipf keys), beside 2 log2 N
#   fetches.png       lookup fetches (median, p99) against machines, beside 6 and 12
#   down.png          recall before any repair against the share stopped, beside 1 - f^3
#   storage.png       entries stored per machine, in shares, the rings of 10, 20 and 50
#
# Each run's seconds go to runs.txt; most of the time is the 50-machine ring and the four
# 24-round runs of 20 machines, so run it on idle cores. SCALE_QUICK=1 runs tiny rings instead
# (4, 6 and 8 machines of 20 entries; 6 machines with 1 and 2 of them stopped at round 6, 10
# rounds), and draws every chart into $SCALE_WORK/png unless PNG_DIR is given: for trying the
# script, not for the docs.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
work=${SCALE_WORK:-/tmp/distree-scale-plots}
quick=${SCALE_QUICK:-0}
if [[ $quick == 1 ]]; then
  png=${1:-$work/png}
else
  png=${1:-$REPO/docs/scale}
fi
rm -rf "$work"
mkdir -p "$work" "$png"
need_jar
distree=("$REPO/distree")
log="$work/runs.txt"
echo "# $(date -u +%FT%TZ), $(git -C "$REPO" rev-parse --short HEAD 2>/dev/null || echo '?'), $(nproc) cores" >"$log"

# simulate NAME ARGS...: one run, its CSV $work/NAME.csv, its command and time in runs.txt.
simulate() {
  local name=$1
  shift
  local cmd=(simulate --set positions=4 "$@" --csv "$work/$name.csv")
  echo "${cmd[*]}" | tee -a "$log"
  echo "  load before: $(cut -d' ' -f1-3 /proc/loadavg)" >>"$log"
  local start=$SECONDS
  "${distree[@]}" "${cmd[@]}" 2>"$work/$name.err"
  echo "  $((SECONDS - start)) s, last round: $(tail -n 1 "$work/$name.err")" >>"$log"
}

if [[ $quick == 1 ]]; then
  e=(--entries-per-machine 20)
  sizes=(4 6 8)
  zipf=(4 6)
  stopped=6
  stop_runs=(--rounds 10 --stop-at 6)
  fractions=(0.2 0.4)
  declare -A rounds=([4]=8 [6]=8 [8]=8) roots=([4]=4 [6]=6 [8]=4)
else
  e=(--entries-per-machine 100)
  sizes=(10 20 50)
  zipf=(10 20)
  stopped=20
  stop_runs=(--rounds 24 --stop-at 12)
  fractions=(0.1 0.2 0.3 0.4)
  declare -A rounds=([10]=20 [20]=20 [50]=16) roots=([10]=10 [20]=20 [50]=10)
fi

for n in "${sizes[@]}"; do
  simulate "ring-$n" --machines "$n" "${e[@]}" --rounds "${rounds[$n]}" --seed "$n" \
    --roots "${roots[$n]}" --until-full --storage-csv "$work/storage-$n.csv"
done
for n in "${zipf[@]}"; do
  simulate "zipf-$n" --machines "$n" "${e[@]}" --rounds "${rounds[$n]}" --seed "$((n + 1))" \
    --roots "${roots[$n]}" --until-full --zipf 1
done
for f in "${fractions[@]}"; do
  simulate "stop-$f" --machines "$stopped" "${e[@]}" "${stop_runs[@]}" --seed "$stopped" \
    --roots "$stopped" --stop-fraction "$f"
done

# plot KIND OUT ARGS...: one chart into $png/OUT.
plot() {
  local kind=$1 out=$2
  shift 2
  "${distree[@]}" plot "$kind" "$@" --out "$png/$out"
}
rings=() ring_labels=() storage=() both=() both_labels=() stops=() stop_labels=()
for n in "${sizes[@]}"; do
  rings+=("$work/ring-$n.csv")
  ring_labels+=(--label "$n machines")
  storage+=("$work/storage-$n.csv")
  both+=("$work/ring-$n.csv")
  both_labels+=(--label "uniform keys")
done
for n in "${zipf[@]}"; do
  both+=("$work/zipf-$n.csv")
  both_labels+=(--label "Zipf keys (s = 1)")
done
for f in "${fractions[@]}"; do
  stops+=("$work/stop-$f.csv")
  stop_labels+=(--label "$(python3 -c "print(round($f * 100))")% stopped")
done
plot recall recall.png "${rings[@]}" "${ring_labels[@]}"
plot recall recall-stops.png "${stops[@]}" "${stop_labels[@]}"
plot rounds rounds.png "${both[@]}" "${both_labels[@]}"
plot fetches fetches.png "${both[@]}" "${both_labels[@]}"
plot down down.png "${stops[@]}"
plot storage storage.png "${storage[@]}"
echo "CSV files and runs.txt in $work; charts in $png"
