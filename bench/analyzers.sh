#!/usr/bin/env bash
# What an analyzer costs: index-site on the same corpus with each analyzer, alternated.
#
#   bench/analyzers.sh [CORPUS] [ROUNDS] [ANALYZER...]
#
# CORPUS defaults to the PostgreSQL 15 manual (apt-get install postgresql-doc-15); ROUNDS to 3;
# the analyzers to `standard standard-parts` (before and after issue 14's compound words).
# Distree runs through the ./distree launcher with its defaults, after one untimed run that
# makes its class data sharing archive. Each run writes a folder of its own under $BENCH_WORK
# (default /tmp/distree-bench-analyzers), emptied first and deleted at the end: a run right
# after many files were deleted on ext4 is slower (see index-site.sh), which touches every
# analyzer alike since the rounds alternate. Prints per run the wall time, CPU time and peak
# RSS (/usr/bin/time -v), then per analyzer the tree: entries, distinct keys (from the page
# manifest), node files and MB published (without .distree/), and the medians.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
corpus=${1:-/usr/share/doc/postgresql-doc-15/html}
rounds=${2:-3}
shift $(( $# > 2 ? 2 : $# ))
analyzers=("$@")
((${#analyzers[@]})) || analyzers=(standard standard-parts)
work=${BENCH_WORK:-/tmp/distree-bench-analyzers}
rm -rf "$work"
mkdir -p "$work"
trap 'rm -rf "$work"' EXIT
need_jar
pages=$(find "$corpus" -name '*.html' -o -name '*.htm' | wc -l)
echo "corpus: $corpus ($pages pages, $(du -sh "$corpus" | cut -f1)); $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
distree=("$REPO/distree" index-site "$corpus" --base-url https://www.postgresql.org/docs/15/)
env -u DISTREE_JAVA_OPTS "${distree[@]}" --out "$work/warm-up" -q # makes the CDS archive
rows="$work/rows.txt"
: >"$rows"
echo "| round | analyzer | wall s | CPU s | peak RSS MB |"
echo "|---|---|---|---|---|"
for r in $(seq "$rounds"); do
  for a in "${analyzers[@]}"; do
    out="$work/$r-$a"
    sync
    timed env -u DISTREE_JAVA_OPTS "${distree[@]}" --out "$out" --analyzer "$a" \
      >/dev/null 2>"$work/stderr.txt" || { cat "$work/stderr.txt"; exit 1; }
    cpu=$(awk -v u="$TIMED_USER" -v s="$TIMED_SYS" 'BEGIN {printf "%.1f", u + s}')
    rss=$(awk -v k="$TIMED_RSS_KB" 'BEGIN {printf "%.0f", k / 1024}')
    echo "| $r | $a | $TIMED_WALL | $cpu | $rss |"
    printf '%s\t%s\t%s\t%s\n' "$a" "$TIMED_WALL" "$cpu" "$rss" >>"$rows"
    if ((r == rounds)); then
      tail -1 "$work/stderr.txt" >"$work/summary-$a.txt"
    fi
  done
done
echo
echo "| analyzer | entries | distinct keys | node files | MB published | median wall s | CPU s | peak RSS MB |"
echo "|---|---|---|---|---|---|---|---|"
for a in "${analyzers[@]}"; do
  out="$work/$rounds-$a"
  entries=$(grep -o '[0-9,]* entries' "$work/summary-$a.txt" | head -1 | tr -d ', entries')
  keys=$(grep -v '^# root ' "$out/.distree/site-pages.tsv" | cut -f3- | tr '\t' '\n' | sort -u | grep -c . || true)
  files=$(find "$out/n" -type f | wc -l)
  mb=$(find "$out" -path "$out/.distree" -prune -o -type f -printf '%s\n' | awk '{s+=$1} END {printf "%.1f", s/1048576}')
  medians=$(awk -F'\t' -v l="$a" '$1 == l {w[++n]=$2; c[n]=$3; m[n]=$4}
    function med(x, n,   i, j, t) {
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (x[j] + 0 < x[i] + 0) {t = x[i]; x[i] = x[j]; x[j] = t}
      return n % 2 ? x[(n + 1) / 2] : (x[n / 2] + x[n / 2 + 1]) / 2
    }
    END {printf "%.2f | %.1f | %.0f", med(w, n), med(c, n), med(m, n)}' "$rows")
  printf '| %s | %s | %s | %s | %s | %s |\n' "$a" "$entries" "$keys" "$files" "$mb" "$medians"
done
echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
