#!/usr/bin/env bash
# Issue 17 lookup benchmark: the captures of one URL in a capture index of CAPTURES captures,
# over HTTP from one nginx on loopback: the crawler's search of the tree (what `distree cdx`
# runs) against a binary search with HTTP Range requests over the sorted CDXJ file, served by
# the same nginx. nginx counts the requests and bytes of both (bench/CdxLookupBench.java).
#
#   bench/cdx-lookup.sh [CAPTURES] [URLS] [BLOCKS]
#
# Defaults: 1,000,000 captures, 200 URLs drawn from the file, Range blocks of 1024, 4096 and
# 16384 bytes. The CDXJ is made by bench/GenCdxj.java (many hosts of very different sizes,
# paths of 1 to 6 segments, queries, long URLs, 1 to 30 captures per URL over 2004 to 2025,
# revisits, redirects and 404s) and sorted with LC_ALL=C sort; the tree is built from it with
# `distree build --format cdxj`. Both are kept in $BENCH_WORK (default /tmp/distree-bench-cdx)
# and reused when there.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO"
captures=${1:-1000000}
urls=${2:-200}
blocks=${3:-1024,4096,16384}
work=${BENCH_WORK:-/tmp/distree-bench-cdx}
need_jar
mkdir -p "$work/www"
cdxj="$work/www/index-$captures.cdxj"
tree="$work/www/tree-$captures"
if [[ ! -f "$cdxj" ]]; then
  java -cp "$DISTREE_JAR" bench/GenCdxj.java "$captures" "$work/unsorted.cdxj"
  LC_ALL=C sort -S 512M -T "$work" "$work/unsorted.cdxj" > "$cdxj.tmp"
  rm "$work/unsorted.cdxj"
  mv "$cdxj.tmp" "$cdxj"
fi
if [[ ! -f "$tree/index.html" ]]; then
  rm -rf "$tree"
  ./distree build -q --format cdxj --in "$cdxj" --out "$tree" \
      --replay 'https://archive.example/web/{timestamp}/{url}'
fi
PREFIX=$(mktemp -d /tmp/distree-nginx.XXXXXX)
PORT=$(free_port)
trap 'stop_nginx; rm -rf "$PREFIX"' EXIT
NGINX_ACCESS_LOG="$PREFIX/access.log" start_nginx "$PREFIX" "$PORT" "$work/www" 1
echo "index: $(wc -l < "$cdxj") captures, $(cut -d' ' -f1 "$cdxj" | uniq | wc -l) URLs;" \
    "CDXJ $(du -h "$cdxj" | cut -f1); tree $(find "$tree/n" -type f | wc -l) node files," \
    "$(du -sh "$tree" | cut -f1), $(grep -o "tree of height [0-9]*" "$tree/index.html")"
echo "nginx $(nginx -v 2>&1 | sed 's/.*\///') on 127.0.0.1:$PORT; $(nproc) cores;" \
    "$(java -version 2>&1 | head -1); load $(cut -d' ' -f1-3 /proc/loadavg)"
java -Dslf4j.internal.verbosity=ERROR -cp "$DISTREE_JAR" bench/CdxLookupBench.java \
    "http://127.0.0.1:$PORT/tree-$captures/index.html" \
    "http://127.0.0.1:$PORT/index-$captures.cdxj" "$cdxj" "$PREFIX/access.log" "$urls" "$blocks"
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
