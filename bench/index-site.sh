#!/usr/bin/env bash
# Indexing a site, Distree against Pagefind: the same corpus, on this machine, in one run.
#
#   bench/index-site.sh [CORPUS] [ROUNDS] [WORDS...]
#
# CORPUS defaults to the PostgreSQL 15 manual (apt-get install postgresql-doc-15); ROUNDS to 5,
# alternating the tools. Distree runs as a user runs it, through the ./distree launcher, with its
# defaults (after one untimed run that makes its class data sharing archive), and, for
# comparison, with the JVM options it had before 2026-12-03 (-XX:+UseSerialGC -Xmx1g, no
# archive). Each run writes a folder of its own and starts after `sync`, and nothing is deleted
# before or while the tools run: on ext4 without a journal (this machine's /tmp) the inode
# allocator skips inodes deleted in the last 60 s, and in the last 360 s when their inode table
# block is dirty again (which creating files nearby makes it), so for up to 6 minutes after many
# files were deleted, creating Distree's 11,000 files costs seconds of system time. The last
# benchmark's files are deleted at its end; a run within 6 minutes of that waits first. Anything
# else that deleted many files just before (a test suite run does) still slows Distree down.
# Prints, per run: wall time, pages per second, CPU time and peak RSS (/usr/bin/time -v), and
# the number and total size of the files written (Distree's node files and page records, not its
# private .distree/); then the medians; then an update after one word is appended to three
# pages; then the bytes a one-word search fetches in Chromium (bench/search-bytes.mjs).
# Pagefind and puppeteer-core are installed with npm into a scratch folder outside the
# repository ($BENCH_WORK).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
repo=$REPO
corpus=${1:-/usr/share/doc/postgresql-doc-15/html}
rounds=${2:-5}
shift $(( $# > 2 ? 2 : $# ))
words=("$@")
((${#words[@]})) || words=(pg_stat_wal_receiver tablespace index)
work=${BENCH_WORK:-/tmp/distree-bench-site}
need_pagefind "$work"
need_jar
pages=$(find "$corpus" -name '*.html' -o -name '*.htm' | wc -l)
echo "corpus: $corpus ($pages pages, $(du -sh "$corpus" | cut -f1)); $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "java: $(java -version 2>&1 | head -1); pagefind: $("$PAGEFIND" --version)"
echo
runs="$work/runs"
# Old runs are renamed aside (a rename frees no inode) and deleted once this run is measured.
set_aside "$work" "$runs" "$work/distree-tree-inc" "$work/site-copy"
mkdir -p "$runs"
echo "| run | tool | wall s | pages/s | CPU s | peak RSS MB | files | MB written |"
echo "|---|---|---|---|---|---|---|---|"

rows="$work/rows.txt"
: >"$rows"
run() { # label out-dir command...
  local label=$1 out=$2
  shift 2
  sync
  timed "$@" >"$work/stdout.txt" 2>"$work/stderr.txt" || { cat "$work/stderr.txt"; exit 1; }
  local wall cpu rss files bytes
  wall=$TIMED_WALL
  cpu=$(awk -v u="$TIMED_USER" -v s="$TIMED_SYS" 'BEGIN {printf "%.1f", u + s}')
  rss=$(awk -v k="$TIMED_RSS_KB" 'BEGIN {printf "%.0f", k / 1024}')
  files=$(published_files "$out")
  bytes=$(awk -v b="$(published_bytes "$out")" 'BEGIN {printf "%.1f", b / 1048576}')
  echo "| $r | $label | $wall | $(awk -v p="$pages" -v w="$wall" 'BEGIN {printf "%.0f", p/w}') | $cpu | $rss | $files | $bytes |"
  printf '%s\t%s\t%s\t%s\t%s\n' "$label" "$wall" "$cpu" "$rss" "$TIMED_USER" >>"$rows"
}

# What a user runs: the distree launcher with its defaults; then the options it had before.
distree=("$repo/distree" index-site "$corpus" --base-url https://www.postgresql.org/docs/15/ -q)
old="-XX:+UseSerialGC -Xmx1g"
env -u DISTREE_JAVA_OPTS "${distree[@]}" --out "$runs/0-distree" # makes the CDS archive
for r in $(seq "$rounds"); do
  run "distree (launcher defaults)" "$runs/$r-distree" \
    env -u DISTREE_JAVA_OPTS "${distree[@]}" --out "$runs/$r-distree"
  run "pagefind" "$runs/$r-pagefind-root/pagefind" \
    "$PAGEFIND" --site "$corpus" --output-path "$runs/$r-pagefind-root/pagefind"
  run "distree (old options: $old)" "$runs/$r-distree-old" \
    env DISTREE_JAVA_OPTS="$old" DISTREE_CDS=0 "${distree[@]}" --out "$runs/$r-distree-old"
done
echo
echo "Medians of $rounds runs:"
echo
echo "| tool | wall s | CPU s (user) | peak RSS MB |"
echo "|---|---|---|---|"
cut -f1 "$rows" | awk '!seen[$0]++' | while IFS= read -r label; do
  awk -F'\t' -v l="$label" '$1 == l {w[++n]=$2; c[n]=$3; m[n]=$4; u[n]=$5}
    function med(a, n,   i, j, t) {
      for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) {t = a[i]; a[i] = a[j]; a[j] = t}
      return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
    }
    END {printf "| %s | %.2f | %.1f (%.1f) | %.0f |\n", l, med(w, n), med(c, n), med(u, n), med(m, n)}' "$rows"
done
echo
echo "Incremental: touch 3 pages (append a word), rerun distree on a tree of a copy of the site:"
cp -r "$corpus" "$work/site-copy"
site=(--base-url https://www.postgresql.org/docs/15/ --out "$work/distree-tree-inc")
env -u DISTREE_JAVA_OPTS "$repo/distree" index-site "$work/site-copy" "${site[@]}" -q
for f in sql-select.html tutorial-join.html app-psql.html; do
  [[ -f "$work/site-copy/$f" ]] && sed -i 's|</body>|<p>benchmarkword</p></body>|' "$work/site-copy/$f"
done
timed env -u DISTREE_JAVA_OPTS \
  "$repo/distree" index-site "$work/site-copy" "${site[@]}" -v --changed "$work/changed.txt"
echo "wall $TIMED_WALL s, CPU $TIMED_USER+$TIMED_SYS s, peak RSS $TIMED_RSS_KB KB"
echo "changed files listed: $(wc -l < "$work/changed.txt") of $(find "$work/distree-tree-inc/n" -type f | wc -l) node files and $(find "$work/distree-tree-inc/p" -type f | wc -l) page records"
echo
echo "Bytes fetched by a one-word search in Chromium (cold cache):"
cp "$repo/bench/search-bytes.mjs" "$work/" # an ES module resolves packages from its own folder
node "$work/search-bytes.mjs" "$runs/$rounds-distree" "$runs/$rounds-pagefind-root" "${words[@]}"
echo
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
