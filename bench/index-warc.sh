#!/usr/bin/env bash
# Indexing WARC files, Distree's index-warc against warcio's cdx-index: the same files, on this
# machine, in one run.
#
#   [ONE_FILE=1 [COPIES=N]] bench/index-warc.sh [PAGES] [ROUNDS]
#
# Makes a site of PAGES pages (default 6,000: each links the next three, every tenth a page
# that is not there, every fiftieth a folder without its slash, so 404s and 301s), serves it
# with nginx on loopback, and crawls it twice with Debian's wget into WARC files: the second
# crawl after every tenth page changed and with --warc-dedup, so that the unchanged pages are
# revisit records. Then, ROUNDS times (default 5), alternating: `distree index-warc` (the tree
# built into a new folder, through the ./distree launcher with its defaults, after one untimed
# run that makes its class data sharing archive) and `warcio cdx-index` (CDXJ written to a file, unsorted: warcio
# does not sort). Prints per run the wall time, captures per second, CPU time and peak RSS
# (/usr/bin/time -v), then the medians and the ratio. warcio 2.4.11 is installed with npm into
# a scratch folder outside the repository ($BENCH_WORK).
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
repo=$REPO
pages=${1:-6000}
rounds=${2:-5}
work=${BENCH_WORK:-/tmp/distree-bench-warc}
mkdir -p "$work"
if [[ ! -x "$work/node_modules/.bin/warcio" ]]; then
  (cd "$work" && npm i --no-save --no-audit --no-fund warcio@2.4.11 >/dev/null)
fi
warcio="$work/node_modules/.bin/warcio"
need_jar

site="$work/site-$pages"
warcs="$work/warcs-$pages"
if [[ ! -f "$warcs/crawl2.warc.gz" ]]; then
  rm -rf "$site" "$warcs"
  mkdir -p "$site/docs" "$warcs"
  python3 - "$site" "$pages" <<'PY'
import sys
root, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    links = "".join(f'<a href="p{(i + k) % n}.html">next {k}</a> ' for k in (1, 2, 3))
    if i % 10 == 0:
        links += f'<a href="missing{i}.html">gone</a> '
    if i % 50 == 0:
        links += f'<a href="/d{i}">folder</a> '
    with open(f"{root}/docs/p{i}.html", "w", encoding="utf-8") as f:
        f.write(f"<html><head><title>Page {i}</title></head><body><h1>Page {i}</h1>"
                f"<p>{'Some text of the page. ' * 20}</p>{links}</body></html>")
    if i % 50 == 0:
        import os
        os.makedirs(f"{root}/d{i}", exist_ok=True)
        with open(f"{root}/d{i}/index.html", "w", encoding="utf-8") as f:
            f.write("<html><body>folder</body></html>")
with open(f"{root}/index.html", "w", encoding="utf-8") as f:
    f.write('<html><body><a href="docs/p0.html">start</a></body></html>')
PY
  port=$(free_port)
  start_nginx "$work/nginx" "$port" "$site" 2
  (cd "$warcs" && wget -q -r -l inf -np --delete-after --no-warc-keep-log --warc-cdx \
      --warc-file=crawl1 "http://127.0.0.1:$port/" || true)
  python3 - "$site" "$pages" <<'PY'
import sys
root, n = sys.argv[1], int(sys.argv[2])
for i in range(0, n, 10):
    with open(f"{root}/docs/p{i}.html", "a", encoding="utf-8") as f:
        f.write("<!-- changed -->")
PY
  sleep 1 # the second crawl's captures in a later second than the first's
  (cd "$warcs" && wget -q -r -l inf -np --delete-after --no-warc-keep-log \
      --warc-dedup=crawl1.cdx --warc-file=crawl2 "http://127.0.0.1:$port/" || true)
  stop_nginx
fi
# ONE_FILE=1: both tools read one file, the two crawls concatenated (gzip members follow each
# other), as a crawl written to a single WARC would be; COPIES=N concatenates them N times.
inputs=(crawl1.warc.gz crawl2.warc.gz)
if [[ ${ONE_FILE:-0} != 0 ]]; then
  rm -f "$warcs/one.warc.gz"
  for ((i = 0; i < ${COPIES:-1}; i++)); do cat "$warcs/crawl1.warc.gz" "$warcs/crawl2.warc.gz" >>"$warcs/one.warc.gz"; done
  inputs=(one.warc.gz)
fi
(cd "$warcs" && "$warcio" cdx-index "${inputs[@]}" >"$work/warcio.cdxj")
captures=$(wc -l <"$work/warcio.cdxj")
revisits=$(grep -c '"warc/revisit"' "$work/warcio.cdxj" || true)
non200=$(grep -v '"status":"200"' "$work/warcio.cdxj" | grep -c '"status"' || true)
echo "WARCs: $(du -ch "${inputs[@]/#/$warcs/}" | tail -1 | cut -f1) in ${#inputs[@]} files, $captures captures"\
" ($revisits revisits, $non200 other than 200); $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "java: $(java -version 2>&1 | head -1); node: $(node --version); warcio 2.4.11"
echo
# Each run writes a folder of its own, deleted only after the measurements: deleting a tree's
# thousands of files just before creating as many slows the creating on ext4 (BENCHMARKS.md,
# issue 6), which would charge distree for the last run's cleanup.
runs="$work/runs-$$"
mkdir -p "$runs"
"$repo/distree" index-warc -q "${inputs[@]/#/$warcs/}" \
    --out "$runs/warmup"
echo "| run | tool | wall s | captures/s | CPU s | peak RSS MB |"
echo "|---|---|---|---|---|---|"
d_walls=()
w_walls=()
for ((r = 1; r <= rounds; r++)); do
  timed "$repo/distree" index-warc -q "${inputs[@]/#/$warcs/}" \
      --out "$runs/tree-$r"
  d_walls+=("$TIMED_WALL")
  printf '| %d | distree index-warc | %.2f | %.0f | %.2f | %.0f |\n' "$r" "$TIMED_WALL" \
      "$(echo "$captures / $TIMED_WALL" | bc -l)" "$(echo "$TIMED_USER + $TIMED_SYS" | bc -l)" \
      "$(echo "$TIMED_RSS_KB / 1024" | bc -l)"
  pushd "$warcs" >/dev/null
  timed "$warcio" cdx-index "${inputs[@]}" >"$work/out.cdxj"
  popd >/dev/null
  w_walls+=("$TIMED_WALL")
  printf '| %d | warcio cdx-index | %.2f | %.0f | %.2f | %.0f |\n' "$r" "$TIMED_WALL" \
      "$(echo "$captures / $TIMED_WALL" | bc -l)" "$(echo "$TIMED_USER + $TIMED_SYS" | bc -l)" \
      "$(echo "$TIMED_RSS_KB / 1024" | bc -l)"
done
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
dm=$(median "${d_walls[@]}")
wm=$(median "${w_walls[@]}")
echo
printf 'median: distree %.2f s (%.0f captures/s), warcio %.2f s (%.0f captures/s): distree %.2fx\n' \
    "$dm" "$(echo "$captures / $dm" | bc -l)" "$wm" "$(echo "$captures / $wm" | bc -l)" \
    "$(echo "$wm / $dm" | bc -l)"
"$repo/distree" export --format cdxj "$runs/tree-$rounds" >"$work/distree.cdxj"
if LC_ALL=C sort "$work/warcio.cdxj" | cmp -s - "$work/distree.cdxj"; then
  echo "export of the tree = warcio's CDXJ, sorted: every one of the $captures lines the same"
else
  echo "export of the tree differs from warcio's CDXJ:"
  LC_ALL=C sort "$work/warcio.cdxj" | diff - "$work/distree.cdxj" | head -5
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
rm -rf "$runs"
