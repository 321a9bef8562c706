# Shared by the scripts in bench/: source it, do not run it.
#
#   source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
#
# Sets REPO (the repository's root) and DISTREE_JAR, and defines:
#   need_jar                  builds $DISTREE_JAR (./mvnw -o package, no tests) if it is missing
#   free_port                 prints a free TCP port on 127.0.0.1
#   wait_up URL [TRIES]       polls URL until it answers 2xx (every 0.1 s, 300 tries: 30 s)
#   start_nginx DIR PORT ROOT [WORKERS]
#                             nginx serving ROOT on 127.0.0.1:PORT, with everything of its own
#                             (config, pid, logs, temp files) under DIR, in the foreground of a
#                             background job: sets NGINX_PID and returns once it answers;
#                             WORKERS defaults to auto. stop_nginx stops it. With NGINX_ACCESS_LOG
#                             set, each request is logged there as "$status $bytes_sent
#                             $body_bytes_sent" (else there is no access log).
#   timed CMD...              runs CMD under /usr/bin/time -v (its report kept apart, so CMD's
#                             output goes where the caller sends it); sets TIMED_WALL (s),
#                             TIMED_USER and TIMED_SYS (CPU s), TIMED_RSS_KB (peak RSS) and
#                             TIMED_FAULTS (minor page faults);
#                             returns CMD's status
#   need_pagefind WORK        installs Pagefind 1.6.0 and puppeteer-core (no browser download)
#                             with npm into WORK, a scratch folder outside the repository, unless
#                             they are there; sets PAGEFIND to its command
#   published_files DIR       the number of files under DIR, and published_bytes DIR their
#                             total size: what a user uploads (a tree's private .distree/ left out)
#   median                    the median of the numbers on stdin, one a line
#   set_aside WORK PATH...    renames each PATH that exists into WORK/trash-PID, to be deleted
#                             when the script exits (a trap on EXIT), after its measurements; if
#                             the last such deletion under WORK was less than 6 minutes ago,
#                             waits the rest first. Why: on ext4 without a journal (this
#                             machine's /tmp) the inode allocator skips inodes deleted in the last
#                             60 s, and in the last 360 s when their inode table block is dirty
#                             again (which creating files nearby makes it), so for up to 6 minutes
#                             after many files were deleted, creating a tree's thousands of files
#                             costs seconds of system time (docs/BENCHMARKS.md, issue 6)
# Everything binds to 127.0.0.1.

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DISTREE_JAR="$REPO/search-cli/target/distree.jar"

need_jar() {
  if [[ ! -f "$DISTREE_JAR" ]]; then
    echo "building $DISTREE_JAR" >&2
    "$REPO/mvnw" -q -o -f "$REPO/pom.xml" -DskipTests package >&2
  fi
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

wait_up() { # URL [TRIES]
  local i
  for ((i = 0; i < ${2:-300}; i++)); do
    curl -fs -o /dev/null "$1" && return 0
    sleep 0.1
  done
  echo "not up: $1" >&2
  return 1
}

NGINX_PID=""
start_nginx() { # DIR PORT ROOT [WORKERS]
  local dir=$1 port=$2 root=$3 workers=${4:-auto}
  mkdir -p "$dir/logs" "$dir/tmp"
  # As root, the workers would run as nobody and could not read a folder only root may.
  local user=""
  if ((EUID == 0)); then user="user root;"; fi
  local access="access_log off;"
  if [[ -n "${NGINX_ACCESS_LOG:-}" ]]; then
    access="log_format counts '\$status \$bytes_sent \$body_bytes_sent'; access_log $NGINX_ACCESS_LOG counts;"
  fi
  cat > "$dir/nginx.conf" <<CONF
$user
worker_processes $workers;
pid $dir/nginx.pid;
error_log $dir/logs/error.log;
events { worker_connections 1024; }
http {
  $access
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  types { text/html html; text/plain txt; }
  default_type application/octet-stream;
  charset utf-8;
  client_body_temp_path $dir/tmp/body;
  proxy_temp_path $dir/tmp/proxy;
  fastcgi_temp_path $dir/tmp/fastcgi;
  uwsgi_temp_path $dir/tmp/uwsgi;
  scgi_temp_path $dir/tmp/scgi;
  server {
    listen 127.0.0.1:$port;
    root $root;
    location ~ /\. { deny all; }
  }
}
CONF
  "$(command -v nginx || echo /usr/sbin/nginx)" -p "$dir" -c "$dir/nginx.conf" -g 'daemon off;' &
  NGINX_PID=$!
  local i
  for ((i = 0; i < 300; i++)); do
    curl -s -o /dev/null "http://127.0.0.1:$port/" && return 0
    kill -0 "$NGINX_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "nginx did not start: $(cat "$dir/logs/error.log" 2>/dev/null)" >&2
  return 1
}

stop_nginx() {
  if [[ -n "$NGINX_PID" ]]; then
    kill "$NGINX_PID" 2>/dev/null
    wait "$NGINX_PID" 2>/dev/null
    NGINX_PID=""
  fi
  return 0
}

timed() { # CMD...
  local report status=0
  report=$(mktemp)
  /usr/bin/time -v -o "$report" "$@" || status=$?
  TIMED_WALL=$(awk -F': ' '/Elapsed/ {n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; printf "%.2f", s}' "$report")
  TIMED_USER=$(awk -F': ' '/User time/ {print $2}' "$report")
  TIMED_SYS=$(awk -F': ' '/System time/ {print $2}' "$report")
  TIMED_RSS_KB=$(awk -F': ' '/Maximum resident/ {print $2}' "$report")
  TIMED_FAULTS=$(awk -F': ' '/Minor/ {print $2}' "$report")
  if ((status != 0)); then
    cat "$report" >&2
  fi
  rm -f "$report"
  return "$status"
}

need_pagefind() { # WORK
  mkdir -p "$1"
  if [[ ! -x "$1/node_modules/.bin/pagefind" || ! -d "$1/node_modules/puppeteer-core" ]]; then
    (cd "$1" && npm i --no-save --no-audit --no-fund pagefind@1.6.0 puppeteer-core@23.11.1 >/dev/null)
  fi
  PAGEFIND="$1/node_modules/.bin/pagefind"
}

published_files() { # DIR
  find "$1" -path "$1/.distree" -prune -o -type f -print | wc -l
}

published_bytes() { # DIR
  find "$1" -path "$1/.distree" -prune -o -type f -printf '%s\n' | awk '{s += $1} END {printf "%d", s}'
}

median() {
  sort -g | awk '{a[++n] = $1} END {if (n % 2) print a[(n + 1) / 2]; else print (a[n / 2] + a[n / 2 + 1]) / 2}'
}

SET_ASIDE_WORK=""
SET_ASIDE_TRASH=""
set_aside() { # WORK PATH...
  local work=$1 old wait
  shift
  SET_ASIDE_WORK=$work
  SET_ASIDE_TRASH="$work/trash-$$"
  mkdir -p "$SET_ASIDE_TRASH"
  for old in "$@"; do
    if [[ -e $old ]]; then mv "$old" "$SET_ASIDE_TRASH/"; fi
  done
  if [[ -f $work/deleted-at ]]; then
    wait=$(($(cat "$work/deleted-at") + 360 - $(date +%s)))
    if ((wait > 0)); then
      echo "(files were deleted under $work $((360 - wait)) s ago; waiting ${wait} s: see set_aside in bench/lib.sh)"
      sleep "$wait"
    fi
  fi
  trap delete_set_aside EXIT
}

delete_set_aside() {
  rm -rf "$SET_ASIDE_TRASH"
  sync
  date +%s >"$SET_ASIDE_WORK/deleted-at"
}
