#!/usr/bin/env bash
# Site search on three real corpora of different kinds, Distree against Pagefind, each against
# an oracle that knows no analyzer (issue 14): one run fills the issue's table for each.
#
#   bench/corpora.sh [ROUNDS] [NAME=FOLDER...]
#
# ROUNDS defaults to 3. The corpora default to three Debian packages (apt-get install
# --no-install-recommends postgresql-doc-15 python3.11-doc libcommons-math3-java-doc):
#   postgresql  the PostgreSQL 15 manual (DocBook), /usr/share/doc/postgresql-doc-15/html
#   python      the Python 3.11 documentation (Sphinx), /usr/share/doc/python3.11/html
#   javadoc     the Apache Commons Math 3.6.1 API reference (javadoc), 2,167 pages,
#               /usr/share/doc/libcommons-math3-java/api
# For each corpus, ROUNDS rounds of a first build, the tools alternated, each writing a folder
# of its own after `sync` (nothing deleted before or while they run: see set_aside in
# bench/lib.sh): `distree index-site` through the ./distree launcher with its defaults (after
# one untimed run that makes its class data sharing archive) and Pagefind 1.6.0 (`pagefind
# --site`), under /usr/bin/time -v. Then recall: bench/recall.py picks 50 words at random (seed
# 14) among the words of the pages' visible text on 2 to 50 pages, lists the pages holding each,
# and scores the pages each tool finds for the word: Distree's `distree search TREE WORD --limit
# 0 --json` (one run a word), Pagefind's search API in Chromium (bench/recall.mjs, every
# result's data loaded for its URL). Prints each round, then one table per corpus with the
# issue's targets: index bytes (everything published) against the site's HTML bytes and against
# Pagefind's, files written, median wall time, median peak RSS and recall, with the ratios.
# Pagefind and puppeteer-core are installed with npm into $BENCH_WORK (default
# /tmp/distree-bench-site), outside the repository; the outputs go under $BENCH_WORK/corpora.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
rounds=${1:-3}
shift $(($# > 0 ? 1 : 0))
corpora=("$@")
((${#corpora[@]})) || corpora=(
  postgresql=/usr/share/doc/postgresql-doc-15/html
  python=/usr/share/doc/python3.11/html
  javadoc=/usr/share/doc/libcommons-math3-java/api
)
work=${BENCH_WORK:-/tmp/distree-bench-site}
need_pagefind "$work"
need_jar
cp "$REPO/bench/recall.mjs" "$REPO/bench/pagefind-browser.mjs" "$work/" # packages resolve from there
runs="$work/corpora"
set_aside "$work" "$runs"
mkdir -p "$runs"
echo "$(date -u '+%Y-%m-%d %H:%M UTC'); $(nproc) cores; load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"
echo "java: $(java -version 2>&1 | head -1); pagefind: $("$PAGEFIND" --version)"
rows="$runs/rows.tsv" # corpus, tool, round, wall s, CPU s, peak RSS KB, files, bytes
: >"$rows"
summary="$runs/summary.tsv" # corpus, pages, HTML bytes, distree recall, pagefind recall, pairs
: >"$summary"

measure() { # corpus tool round out-dir command...
  local name=$1 tool=$2 r=$3 out=$4
  shift 4
  sync
  timed "$@" >"$runs/stdout.txt" 2>"$runs/stderr.txt" || { cat "$runs/stderr.txt"; exit 1; }
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$tool" "$r" "$TIMED_WALL" \
    "$(awk -v u="$TIMED_USER" -v s="$TIMED_SYS" 'BEGIN {printf "%.1f", u + s}')" "$TIMED_RSS_KB" \
    "$(published_files "$out")" "$(published_bytes "$out")" | tee -a "$rows"
}

first=1
for spec in "${corpora[@]}"; do
  name=${spec%%=*}
  site=${spec#*=}
  dir="$runs/$name"
  mkdir -p "$dir"
  pages=$(find "$site" \( -name '*.html' -o -name '*.htm' \) -type f | wc -l)
  html=$(find "$site" \( -name '*.html' -o -name '*.htm' \) -type f -printf '%s\n' | awk '{s += $1} END {printf "%d", s}')
  base="https://example.org/$name/"
  echo
  echo "== $name: $site, $pages pages, $html bytes of HTML ($(du -sh "$site" | cut -f1) in all)"
  distree=("$REPO/distree" index-site "$site" --base-url "$base" -q)
  if ((first)); then # makes the launcher's class data sharing archive, untimed
    env -u DISTREE_JAVA_OPTS "${distree[@]}" --out "$dir/0-distree"
    first=0
  fi
  echo "corpus	tool	round	wall s	CPU s	peak RSS KB	files	bytes"
  for r in $(seq "$rounds"); do
    measure "$name" distree "$r" "$dir/$r-distree" env -u DISTREE_JAVA_OPTS "${distree[@]}" --out "$dir/$r-distree"
    measure "$name" pagefind "$r" "$dir/$r-pagefind-root/pagefind" \
      "$PAGEFIND" --site "$site" --output-path "$dir/$r-pagefind-root/pagefind"
  done
  # Recall: the oracle's words and pages, then what each tool finds for each word.
  python3 "$REPO/bench/recall.py" oracle "$site" >"$dir/oracle.tsv"
  cut -f1 "$dir/oracle.tsv" >"$dir/words.txt"
  while IFS= read -r w; do
    printf '%s' "$w"
    "$REPO/distree" search "$dir/$rounds-distree" "$w" --limit 0 --json 2>/dev/null \
      | python3 -c 'import json, sys; print("".join("\t" + json.loads(l)["link"] for l in sys.stdin if l.strip()))'
  done <"$dir/words.txt" >"$dir/distree-found.tsv"
  node "$work/recall.mjs" "$dir/$rounds-pagefind-root" "$dir/words.txt" >"$dir/pagefind-found.tsv"
  python3 "$REPO/bench/recall.py" score "$dir/oracle.tsv" \
    "Distree=$dir/distree-found.tsv@$base" "Pagefind=$dir/pagefind-found.tsv@/" | tee "$dir/recall.txt"
  printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$pages" "$html" \
    "$(sed -n 's/^Distree: recall \([0-9.]*\)%.*/\1/p' "$dir/recall.txt")" \
    "$(sed -n 's/^Pagefind: recall \([0-9.]*\)%.*/\1/p' "$dir/recall.txt")" \
    "$(sed -n 's/^[0-9]* words, \([0-9]*\) .*/\1/p' "$dir/recall.txt")" >>"$summary"
done

echo
echo "Medians of $rounds rounds, against the targets of issue 14 (MB of 10^6 bytes):"
for spec in "${corpora[@]}"; do
  name=${spec%%=*}
  col() { # tool column: the median of that column over the rounds
    awk -F'\t' -v n="$name" -v t="$1" -v c="$2" '$1 == n && $2 == t {print $c}' "$rows" | median
  }
  IFS=$'\t' read -r _ pages html drecall precall pairs < <(awk -F'\t' -v n="$name" '$1 == n' "$summary")
  python3 - "$name" "$pages" "$html" "$drecall" "$precall" "$pairs" \
    "$(col distree 4)" "$(col pagefind 4)" "$(col distree 6)" "$(col pagefind 6)" \
    "$(col distree 7)" "$(col pagefind 7)" "$(col distree 8)" "$(col pagefind 8)" <<'PY'
import sys
name, pages, html, dr, pr, pairs = sys.argv[1:7]
dw, pw, dm, pm, df, pf, db, pb = map(float, sys.argv[7:15])
html = int(html)
ok = lambda c: 'met' if c else '**missed**'
print()
print(f'{name}: {int(pages):,} pages, {html / 1e6:.1f} MB of HTML')
print()
print('| measure | Distree | Pagefind 1.6.0 | ratio | target | |')
print('|---|---|---|---|---|---|')
print(f'| recall, 50 words ({pairs} pairs) | {dr}% | {pr}% | | >= 99.5%, >= Pagefind | '
      f'{ok(float(dr) >= 99.5 and float(dr) >= float(pr))} |')
print(f'| index bytes | {db / 1e6:.1f} MB | {pb / 1e6:.1f} MB | {db / pb:.2f}x; {db / html:.2f}x the HTML | '
      f'<= HTML, <= 4x (aim 2x) | {ok(db <= html and db <= 4 * pb)} |')
print(f'| files written | {df:,.0f} | {pf:,.0f} | {df / pf:.2f}x | <= 3x | {ok(df <= 3 * pf)} |')
print(f'| wall time, first build | {dw:.2f} s | {pw:.2f} s | {dw / pw:.2f}x | <= 0.75x | {ok(dw <= 0.75 * pw)} |')
print(f'| peak memory | {dm / 1024:.0f} MB | {pm / 1024:.0f} MB | {dm / pm:.2f}x | <= 0.25x | {ok(dm <= 0.25 * pm)} |')
PY
done
echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
