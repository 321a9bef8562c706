#!/usr/bin/env bash
# Relevance of site search, Distree against Pagefind (issue 19): for each query of a test set
# (bench/relevance/pg-queries.tsv: QUERY TAB WANTED-PAGE, chosen from the manual's own lists,
# see bench/relevance/README.md), the rank of the wanted page among the results, and over all
# queries the mean reciprocal rank (1/rank, 0 when not in the first DEPTH results) and how
# often the wanted page comes first, in the first 3 and in the first 10.
#
#   bench/relevance.sh [CORPUS] [QUERIES] [DEPTH]
#
# CORPUS defaults to the PostgreSQL 15 manual (apt-get install postgresql-doc-15), QUERIES to
# bench/relevance/pg-queries.tsv, DEPTH to 20. Distree: `distree index-site` with its defaults,
# then `distree search TREE QUERY --limit DEPTH` for each query (the command line, one JVM per
# query). Pagefind 1.6.0: `pagefind --site CORPUS`, then its search API in Chromium
# (bench/relevance.mjs), data of the first DEPTH results loaded to find the wanted page.
# Set SKIP_PAGEFIND=1 to score Distree alone. Pagefind and puppeteer-core are installed with npm
# into a scratch folder outside the repository ($BENCH_WORK), as bench/index-site.sh does.
# Prints the load average before and after, a table per query, and the summary.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
corpus=${1:-/usr/share/doc/postgresql-doc-15/html}
queries=${2:-$REPO/bench/relevance/pg-queries.tsv}
depth=${3:-20}
work=${BENCH_WORK:-/tmp/distree-bench-site}
out=$(mktemp -d /tmp/distree-relevance.XXXXXX)
trap 'rm -rf "$out"' EXIT
need_jar
echo "corpus: $corpus; queries: $queries ($(grep -vc '^#' "$queries")); depth $depth; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"

"$REPO/distree" index-site "$corpus" --base-url https://example.org/ --out "$out/distree" -q
while IFS=$'\t' read -r q wanted _; do
  [[ -z "$q" || "$q" == \#* ]] && continue
  # shellcheck disable=SC2086 # the query's words are separate arguments, as a user types them
  rank=$("$REPO/distree" search "$out/distree" $q --limit "$depth" --json 2>/dev/null \
    | python3 -c '
import json, sys
wanted = sys.argv[1]
for i, line in enumerate(sys.stdin, 1):
    if json.loads(line)["link"].split("?")[0].endswith("/" + wanted):
        print(i); break
else:
    print(0)' "$wanted")
  printf '%s\t%s\n' "$q" "$rank"
done < "$queries" > "$out/distree.ranks"

if [[ -z "${SKIP_PAGEFIND:-}" ]]; then
  need_pagefind "$work"
  mkdir -p "$out/pagefind-root"
  "$PAGEFIND" --site "$corpus" --output-path "$out/pagefind-root/pagefind" >/dev/null
  cp "$REPO/bench/relevance.mjs" "$REPO/bench/pagefind-browser.mjs" "$work/"
  node "$work/relevance.mjs" "$out/pagefind-root" "$queries" "$depth" > "$out/pagefind.ranks"
else
  : > "$out/pagefind.ranks"
fi

python3 - "$queries" "$out/distree.ranks" "$out/pagefind.ranks" <<'PY'
import sys
queries = [l.rstrip('\n').split('\t') for l in open(sys.argv[1]) if l.strip() and not l.startswith('#')]
def ranks(path):
    return dict(l.rstrip('\n').split('\t') for l in open(path) if l.strip())
tools = [('Distree', ranks(sys.argv[2])), ('Pagefind', ranks(sys.argv[3]))]
tools = [(n, r) for n, r in tools if r]
print()
print('| query | wanted page | ' + ' | '.join(n for n, _ in tools) + ' |')
print('|---|---|' + '---|' * len(tools))
for q in queries:
    print(f'| {q[0]} | {q[1]} | ' + ' | '.join(r.get(q[0], '?') if r.get(q[0]) != '0' else '-' for _, r in tools) + ' |')
print()
print('| | ' + ' | '.join(n for n, _ in tools) + ' |')
print('|---|' + '---|' * len(tools))
def row(label, f):
    print(f'| {label} | ' + ' | '.join(f([int(r.get(q[0], 0)) for q in queries]) for _, r in tools) + ' |')
n = len(queries)
row('wanted page first', lambda rs: f'{sum(1 for x in rs if x == 1)} of {n}')
row('in the first 3 / first 10', lambda rs: f'{sum(1 for x in rs if 1 <= x <= 3)} / {sum(1 for x in rs if 1 <= x <= 10)} of {n}')
row('mean reciprocal rank', lambda rs: f'{sum(1 / x for x in rs if x) / n:.2f}')
PY
echo
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
