#!/usr/bin/env bash
# Issue 3 benchmark: exact-key lookups over HTTP on a 1,000,000-entry tree served by nginx on
# loopback, with grep over the source TSV as the reference, all in one run.
#
#   bench/search-http.sh [TSV] [TREE] [KEYS] [SECONDS]
#
# Defaults: /tmp/bench/1m.tsv (made by bench/gen-entries.py 1000000 if missing),
# /tmp/bench/crawl-1m (built with ./distree build if missing), 500 keys, 10 s concurrent phase.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cd "$REPO"
TSV=${1:-/tmp/bench/1m.tsv}
TREE=${2:-/tmp/bench/crawl-1m}
KEYS=${3:-500}
SECONDS_=${4:-10}

need_jar
mkdir -p "$(dirname "$TSV")"
[ -f "$TSV" ] || python3 bench/gen-entries.py 1000000 > "$TSV"
[ -f "$TREE/index.html" ] || ./distree build --in "$TSV" --out "$TREE"

PREFIX=$(mktemp -d /tmp/distree-nginx.XXXXXX)
PORT=$(free_port)
trap 'stop_nginx; rm -rf "$PREFIX"' EXIT
start_nginx "$PREFIX" "$PORT" "$TREE" 1

echo "tree: $TREE ($(ls "$TREE/n" | wc -l) files), served by nginx $(/usr/sbin/nginx -v 2>&1 | sed 's/.*\///') on 127.0.0.1:$PORT"
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1)"
java -Dslf4j.internal.verbosity=ERROR -cp "$DISTREE_JAR" bench/SearchBench.java \
    "http://127.0.0.1:$PORT/index.html" "$TSV" "$KEYS" "$SECONDS_"
