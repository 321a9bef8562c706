#!/bin/bash
# Remakes post-requests.warc.gz, its uncompressed copy, a reordered copy, and warcio's CDXJ of each:
# Debian's wget sends POST, PUT and DELETE requests with form, JSON, multipart, text and binary
# bodies to nginx on loopback, each answered 200 "ok". Run from this folder; needs nginx, wget
# and warcio 2.4.11 (DISTREE_WARCIO, the warcio script). WarcIndexerPostTest reads the outputs.
set -euo pipefail
warcio=${DISTREE_WARCIO:?the warcio 2.4.11 script}
here=$(pwd)
work=$(mktemp -d)
trap 'kill $(cat "$work/nginx.pid" 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT
port=18417
mkdir -p "$work/root" "$work/tmp"
echo '<html><body>ok</body></html>' > "$work/root/index.html"
cat > "$work/nginx.conf" <<CONF
worker_processes 1;
pid $work/nginx.pid;
error_log $work/error.log;
events { worker_connections 16; }
http {
  access_log $work/access.log;
  client_body_temp_path $work/tmp/body;
  server {
    listen 127.0.0.1:$port;
    root $work/root;
    location /api/ { default_type text/plain; return 200 "ok"; }
  }
}
CONF
nginx -p "$work" -c "$work/nginx.conf"
sleep 0.5
u=http://127.0.0.1:$port
n=0
get() { # wget ARGS... URL: one WARC file per request
  n=$((n + 1))
  (cd "$work" && wget -q -O /dev/null --no-warc-keep-log --warc-file=part$(printf %02d $n) "$@") || true
}
big=$(printf 'k%04d=v&' $(seq 1 600))
get "$u/index.html"
get --post-data='b=2&a=1' "$u/api/form"
get --post-data='a=3&c=%C3%A9+x' "$u/api/form"
get --post-data='q=x y#frag&z=1' "$u/api/form?page=2"
get --method=PUT --body-data='name=put&v=1' "$u/api/item"
get --method=DELETE "$u/api/item"
get --header='Content-Type: application/json' \
    --post-data='{"z":[1,2.50,{"n":null}],"a":{"b":"x y","t":true},"10":"ten","2":false,"a":"again","e":1e21,"s":""}' \
    "$u/api/json"
get --header='Content-Type: application/json; charset=utf-8' --post-data='{"bad": [1,2' "$u/api/json"
get --header='Content-Type: text/plain' --post-data='{"t":"é/ü?&="}' "$u/api/text"
get --header='Content-Type: text/plain' --post-data='not json at all' "$u/api/text"
get --header='Content-Type: multipart/form-data; boundary=XyZ123' \
    --post-data=$'--XyZ123\r\nContent-Disposition: form-data; name="f1"\r\n\r\nvalue one\r\n--XyZ123\r\nContent-Disposition: form-data; name="f2"\r\n\r\n2\r\n--XyZ123--\r\n' \
    "$u/api/upload"
get --header='Content-Type: application/octet-stream' --post-data=$'\x01\x02binary\xff' "$u/api/bin"
get --post-data='a=%E0%A4&b=%ZZ' "$u/api/form"
get --post-data="$big" "$u/api/big"
get --header='Content-Type: application/json' --post-data='[1,[2,[3]],{"k":[4]}]' "$u/api/json"
kill "$(cat "$work/nginx.pid")"
cat "$work"/part*.warc.gz > "$here/post-requests.warc.gz"
gzip -dc "$here/post-requests.warc.gz" > "$here/post-requests.warc"
# The same records with three pairs undone: a response before its request (still a pair, as
# warcio pairs either order), a resource between a request and its response (no pair), and a
# request whose target URI differs from its response's (no pair).
python3 - "$here/post-requests.warc" "$here/post-reordered.warc" <<'PY'
import re, sys
data = open(sys.argv[1], 'rb').read()
recs, i = [], 0
while i < len(data):
    head_end = data.index(b'\r\n\r\n', i) + 4
    length = int(re.search(rb'Content-Length: (\d+)', data[i:head_end]).group(1))
    recs.append(data[i:head_end + length + 4])
    i = head_end + length + 4
def find(kind, uri, n=0):
    hits = [k for k, r in enumerate(recs) if b'WARC-Type: ' + kind + b'\r' in r
            and b'WARC-Target-URI: <' + uri in r]
    return hits[n]
q = find(b'request', b'http://127.0.0.1:18417/api/form>')
recs[q], recs[q + 1] = recs[q + 1], recs[q]
q = find(b'request', b'http://127.0.0.1:18417/api/item>')
args = find(b'resource', b'metadata://gnu.org/software/wget/warc/wget_arguments.txt>', 4)
recs.insert(q + 1, recs.pop(args))
q = find(b'request', b'http://127.0.0.1:18417/api/upload>')
recs[q] = recs[q].replace(b'/api/upload>', b'/api/uploaX>')
open(sys.argv[2], 'wb').write(b''.join(recs))
PY
(cd "$here" && "$warcio" cdx-index post-requests.warc.gz > post-requests.warc.gz.cdxj \
    && "$warcio" cdx-index post-requests.warc > post-requests.warc.cdxj \
    && "$warcio" cdx-index post-reordered.warc > post-reordered.warc.cdxj)
