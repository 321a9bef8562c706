#!/usr/bin/env bash
# Issue 3 benchmark: exact-key lookups over HTTP on a 1,000,000-entry tree served by nginx on
# loopback, with grep over the source TSV as the reference, all in one run.
#
#   bench/search-http.sh [TSV] [TREE] [KEYS] [SECONDS]
#
# Defaults: /tmp/bench/1m.tsv (made by bench/gen-entries.py 1000000 if missing),
# /tmp/bench/crawl-1m (built with ./distree build if missing), 500 keys, 10 s concurrent phase.
set -euo pipefail
cd "$(dirname "$0")/.."
TSV=${1:-/tmp/bench/1m.tsv}
TREE=${2:-/tmp/bench/crawl-1m}
KEYS=${3:-500}
SECONDS_=${4:-10}

./mvnw -q -o -DskipTests package
./mvnw -q -o test-compile -pl search-cli -am
mkdir -p "$(dirname "$TSV")"
[ -f "$TSV" ] || python3 bench/gen-entries.py 1000000 > "$TSV"
[ -f "$TREE/index.html" ] || ./distree build --in "$TSV" --out "$TREE"

PREFIX=$(mktemp -d /tmp/distree-nginx.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
mkdir -p "$PREFIX/tmp"
cat > "$PREFIX/nginx.conf" <<CONF
worker_processes 1;
pid $PREFIX/nginx.pid;
error_log $PREFIX/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $PREFIX/tmp/body;
    proxy_temp_path $PREFIX/tmp/proxy;
    fastcgi_temp_path $PREFIX/tmp/fastcgi;
    uwsgi_temp_path $PREFIX/tmp/uwsgi;
    scgi_temp_path $PREFIX/tmp/scgi;
    types { text/html html; text/plain txt; }
    default_type application/octet-stream;
    charset utf-8;
    keepalive_requests 100000;
    server { listen 127.0.0.1:$PORT; root $TREE; }
}
CONF
/usr/sbin/nginx -p "$PREFIX" -c "$PREFIX/nginx.conf" -g 'daemon off; user root;' &
NGINX=$!
trap 'kill $NGINX 2>/dev/null; wait $NGINX 2>/dev/null; rm -rf "$PREFIX"' EXIT
for _ in $(seq 100); do
    curl -s -o /dev/null "http://127.0.0.1:$PORT/index.html" && break
    sleep 0.1
done

echo "tree: $TREE ($(ls "$TREE/n" | wc -l) files), served by nginx $(/usr/sbin/nginx -v 2>&1 | sed 's/.*\///') on 127.0.0.1:$PORT"
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1)"
java -Dslf4j.internal.verbosity=ERROR -cp search-cli/target/distree.jar:distree-crawl/target/test-classes \
    org.distree.crawl.SearchBench "http://127.0.0.1:$PORT/index.html" "$TSV" "$KEYS" "$SECONDS_"
