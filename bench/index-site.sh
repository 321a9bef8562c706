#!/usr/bin/env bash
# Indexing a site, Distree against Pagefind: the same corpus, on this machine, in one run.
#
#   bench/index-site.sh [CORPUS] [ROUNDS] [WORDS...]
#
# CORPUS defaults to the PostgreSQL 15 manual (apt-get install postgresql-doc-15); ROUNDS to 3,
# alternating the tools. Distree runs as a user runs it, through the ./distree launcher: with its
# default JVM options, C1 only, and with a small heap. Prints, per run: wall time, pages per
# second, CPU time and peak RSS (/usr/bin/time -v), and the number and total size of the files
# written; then the bytes a one-word search fetches in Chromium (bench/search-bytes.mjs).
# Pagefind and puppeteer-core are installed with npm into a scratch folder outside the
# repository ($BENCH_WORK).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
corpus=${1:-/usr/share/doc/postgresql-doc-15/html}
rounds=${2:-3}
shift $(( $# > 2 ? 2 : $# ))
words=("$@")
((${#words[@]})) || words=(pg_stat_wal_receiver tablespace index)
work=${BENCH_WORK:-/tmp/distree-bench-site}
mkdir -p "$work"
if [[ ! -x "$work/node_modules/.bin/pagefind" || ! -d "$work/node_modules/puppeteer-core" ]]; then
  (cd "$work" && npm i --no-save --no-audit --no-fund pagefind@1.6.0 puppeteer-core@23.11.1 >/dev/null)
fi
jar="$repo/node-server/target/distree.jar"
[[ -f "$jar" ]] || "$repo/mvnw" -q -f "$repo/pom.xml" -DskipTests package
pages=$(find "$corpus" -name '*.html' -o -name '*.htm' | wc -l)
echo "corpus: $corpus ($pages pages, $(du -sh "$corpus" | cut -f1)); $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "java: $(java -version 2>&1 | head -1); pagefind: $("$work/node_modules/.bin/pagefind" --version)"
echo
echo "| run | tool | wall s | pages/s | CPU s | peak RSS MB | files | MB written |"
echo "|---|---|---|---|---|---|---|---|"

run() { # label out-dir command...
  local label=$1 out=$2
  shift 2
  rm -rf "$out"
  /usr/bin/time -v "$@" >"$work/stdout.txt" 2>"$work/time.txt" || { cat "$work/time.txt"; exit 1; }
  local wall cpu rss files bytes
  wall=$(awk -F': ' '/Elapsed/ {n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; print s}' "$work/time.txt")
  cpu=$(awk -F': ' '/User time/ {u=$2} /System time/ {s=$2} END {printf "%.1f", u+s}' "$work/time.txt")
  rss=$(awk -F': ' '/Maximum resident/ {printf "%.0f", $2/1024}' "$work/time.txt")
  files=$(find "$out" -path "$out/.distree" -prune -o -type f -print | wc -l)
  bytes=$(find "$out" -path "$out/.distree" -prune -o -type f -printf '%s\n' | awk '{s+=$1} END {printf "%.1f", s/1048576}')
  echo "| $r | $label | $wall | $(awk -v p="$pages" -v w="$wall" 'BEGIN {printf "%.0f", p/w}') | $cpu | $rss | $files | $bytes |"
}

# What a user runs: the distree launcher, with its default JVM options, then with options set in
# DISTREE_JAVA_OPTS (see docs/SITE.md, "Memory and speed").
distree=("$repo/distree" index-site "$corpus" --base-url https://www.postgresql.org/docs/15/ -q)
c1="-XX:+UseSerialGC -Xmx1g -XX:TieredStopAtLevel=1"
small="-XX:+UseSerialGC -Xmx24m -Xss256k -XX:ReservedCodeCacheSize=16m -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1"
for r in $(seq "$rounds"); do
  run "distree (launcher default: -Xmx1g)" "$work/distree-tree" \
    env -u DISTREE_JAVA_OPTS "${distree[@]}" --out "$work/distree-tree"
  run "distree (C1 only: -Xmx1g -XX:TieredStopAtLevel=1)" "$work/distree-tree-c1" \
    env DISTREE_JAVA_OPTS="$c1" "${distree[@]}" --out "$work/distree-tree-c1"
  run "distree (small: -Xmx24m, C1 only)" "$work/distree-tree-small" \
    env DISTREE_JAVA_OPTS="$small" "${distree[@]}" --out "$work/distree-tree-small"
  run "pagefind" "$work/pagefind-root/pagefind" \
    "$work/node_modules/.bin/pagefind" --site "$corpus" --output-path "$work/pagefind-root/pagefind"
done
echo
echo "small: DISTREE_JAVA_OPTS=\"$small\""

echo
echo "Incremental: touch 3 pages (append a word), rerun distree on the first tree:"
rm -rf "$work/site-copy" && cp -r "$corpus" "$work/site-copy"
cp -r "$work/distree-tree" "$work/distree-tree-inc"
site=(--base-url https://www.postgresql.org/docs/15/ --out "$work/distree-tree-inc")
env -u DISTREE_JAVA_OPTS "$repo/distree" index-site "$work/site-copy" "${site[@]}" -q --rebuild
for f in sql-select.html tutorial-join.html app-psql.html; do
  [[ -f "$work/site-copy/$f" ]] && sed -i 's|</body>|<p>benchmarkword</p></body>|' "$work/site-copy/$f"
done
env -u DISTREE_JAVA_OPTS /usr/bin/time -f "wall %e s, CPU %U+%S s, peak RSS %M KB" \
  "$repo/distree" index-site "$work/site-copy" "${site[@]}" -v --changed "$work/changed.txt"
echo "changed files listed: $(wc -l < "$work/changed.txt") of $(find "$work/distree-tree-inc/n" -type f | wc -l) node files"
echo
echo "Bytes fetched by a one-word search in Chromium (cold cache):"
cp "$repo/bench/search-bytes.mjs" "$work/" # an ES module resolves packages from its own folder
node "$work/search-bytes.mjs" "$work/distree-tree" "$work/pagefind-root" "${words[@]}"
