#!/usr/bin/env bash
# Benchmarks of the node daemon, for docs/BENCHMARKS.md ("Node daemon (issue 4)"):
#   1. reads: wrk against `distree serve` and against nginx serving the same node files,
#      same machine, same run (GET of 2,000 node files in turn, 64 connections, 10 s each);
#   2. writes: wrk POSTing /entries in batches of 100 new random entries (8 connections, 10 s),
#      each acknowledged only once durable (in the daemon's entry log); then the time until the
#      tree holds them all (the sustained rate); then the tree is linted.
# Everything binds to 127.0.0.1 and is stopped at the end.
#
# usage: bench/serve.sh [TREE]      (READS_ONLY=1: stop after the reads; DURATION: default 10s;
#   WARMUP: the daemon's JIT warm-up, default 30s; RANDOM_DURATION: random writes, default 30s)
#   TREE is a folder built with `distree build` (default /tmp/bench-server/t1m, built from
#   /tmp/bench/1m.tsv, which is made with bench/gen-entries.py if missing). It is copied first:
#   the write benchmark changes the copy, never TREE.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
here="$REPO/bench"
root="$REPO"
tree="${1:-/tmp/bench-server/t1m}"
duration="${DURATION:-10s}"
warmup="${WARMUP:-30s}"
random_duration="${RANDOM_DURATION:-30s}"

need_jar
if [[ ! -d "$tree" ]]; then
  mkdir -p /tmp/bench
  [[ -f /tmp/bench/1m.tsv ]] || python3 "$here/gen-entries.py" 1000000 > /tmp/bench/1m.tsv
  "$root/distree" build --in /tmp/bench/1m.tsv --out "$tree"
fi

work="$(mktemp -d /tmp/distree-bench.XXXXXX)"
chmod 755 "$work" # nginx's workers may run as another user
daemon_pid=""
cleanup() {
  set +e
  [[ -n "$daemon_pid" ]] && kill "$daemon_pid" 2>/dev/null && wait "$daemon_pid" 2>/dev/null
  stop_nginx
  rm -rf "$work"
}
trap cleanup EXIT

cp -a "$tree" "$work/tree"
rm -rf "$work/tree/.distree"
(cd "$work/tree" && ls n | sort | awk 'NR % 7 == 0 && c++ < 2000' | sed 's|^|/n/|') > "$work/nodes.txt"
echo "tree: $(ls "$work/tree/n" | wc -l) node files; $(wc -l < "$work/nodes.txt") in the request list"

dport="$(free_port)"
"$root/distree" serve --data "$work/tree" --base-url "http://127.0.0.1:$dport/" \
  --bind 127.0.0.1 --port "$dport" --rate-limit 1000000 --rate-burst 1000000 \
  --max-client-connections 0 \
  > "$work/daemon.log" 2>&1 &
daemon_pid=$!
daemon_start=$SECONDS

nport="$(free_port)"
start_nginx "$work/nginx" "$nport" "$work/tree"

wait_up "http://127.0.0.1:$dport/healthz"

read_bench() { # name url
  NODES="$work/nodes.txt" wrk -t2 -c64 -d"$duration" --latency -s "$here/wrk-nodes.lua" "$2" \
    > "$work/$1.txt"
  rps="$(awk '/^Requests\/sec/ {print $2}' "$work/$1.txt")"
  p99="$(awk '$1 == "99%" {print $2}' "$work/$1.txt")"
  non2xx="$(awk '/Non-2xx/ {print $5}' "$work/$1.txt")"
  printf '%-8s %12s req/s   p99 %8s   non-2xx: %s\n' "$1" "$rps" "$p99" "${non2xx:-0}"
}

echo "== reads: GET node files, wrk -t2 -c64 -d$duration (after a warm-up: $warmup for the JIT, 5 s for nginx)"
NODES="$work/nodes.txt" wrk -t2 -c64 -d"$warmup" -s "$here/wrk-nodes.lua" "http://127.0.0.1:$dport" > /dev/null
NODES="$work/nodes.txt" wrk -t2 -c64 -d5s -s "$here/wrk-nodes.lua" "http://127.0.0.1:$nport" > /dev/null
# nginx first: the reads end about 58 s after the daemon starts, just before its maintenance
# jobs first run (60 s); should a run start early, it then slows the daemon, not nginx.
read_bench nginx "http://127.0.0.1:$nport"
read_bench daemon "http://127.0.0.1:$dport"
d="$(awk '/^Requests\/sec/ {print $2}' "$work/daemon.txt")"
n="$(awk '/^Requests\/sec/ {print $2}' "$work/nginx.txt")"
python3 -c "print('daemon / nginx: %.2f' % ($d / $n))"
echo "reads done $((SECONDS - daemon_start)) s after the daemon started; load average:" \
  "$(cut -d' ' -f1-3 /proc/loadavg)"
if [[ "${READS_ONLY:-0}" == 1 ]]; then
  exit 0
fi

stop_nginx

unapplied() { # entries acknowledged (in the daemon's entry log) and not yet in its tree
  curl -s "http://127.0.0.1:$dport/metrics" | awk '$1 == "distree_entries_unapplied" {print int($2)}'
}
write_bench() { # order duration
  local t0 t1 t2
  t0="$(date +%s.%N)"
  TOKEN="$(cat "$work/tree/.distree/token")" ORDER="$1" wrk -t2 -c8 -d"$2" --timeout 60s --latency \
    -s "$here/wrk-entries.lua" "http://127.0.0.1:$dport" > "$work/entries-$1.txt"
  t1="$(date +%s.%N)"
  local left; left="$(unapplied)"
  # The 200 means durable (in the entry log); the tree takes the entries after. The sustained
  # rate counts the time until the tree holds every acknowledged entry.
  while [[ "$(unapplied)" != 0 ]]; do sleep 0.1; done
  t2="$(date +%s.%N)"
  printf '%-7s %s  p50 %s  p99 %s\n' "$1" "$(grep entries/s "$work/entries-$1.txt")" \
    "$(awk '$1 == "50%" {print $2}' "$work/entries-$1.txt")" \
    "$(awk '$1 == "99%" {print $2}' "$work/entries-$1.txt")"
  local n; n="$(sed -n 's/.*(\([0-9]*\) requests of 100.*/\1/p' "$work/entries-$1.txt")"
  python3 -c "print('        %d entries acknowledged in %.1f s, %d of them not yet in the tree at the end;'
    ' in the tree %.1f s later: sustained %.0f entries/s' % ($n * 100, $t1 - $t0, $left, $t2 - $t1,
    $n * 100 / ($t2 - $t0)))"
}
echo "== writes: POST /entries, 100 new entries a request, wrk -t2 -c8, durable"
echo "   sorted: 100 consecutive keys a request, -d$duration; random: random keys, -d$random_duration"
echo "   (a 5 s warm-up of sorted writes first)"
TOKEN="$(cat "$work/tree/.distree/token")" ORDER=sorted wrk -t2 -c8 -d5s \
  -s "$here/wrk-entries.lua" "http://127.0.0.1:$dport" > /dev/null
while [[ "$(unapplied)" != 0 ]]; do sleep 0.1; done
write_bench sorted "$duration"
write_bench random "$random_duration"
curl -s "http://127.0.0.1:$dport/metrics" | grep -E "^distree_(entries|write_transactions_total|entries_added_total|entries_applied_total) "

kill "$daemon_pid"; wait "$daemon_pid" 2>/dev/null || true; daemon_pid=""
echo "== the daemon's warnings and errors (its log is deleted with the copy)"
grep -E "WARN|ERROR" "$work/daemon.log" | head -20 || echo "none"
echo "== lint of the tree after the writes"
"$root/distree" lint "$work/tree" | tail -3
