#!/bin/sh
# The whole PostgreSQL 15 manual (1,169 pages) from the Debian package: the corpus of the oracle
# test (OracleIT) and of the indexing benchmark (bench/index-site.sh).
# Needs: apt-get install postgresql-doc-15 (PostgreSQL License).
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-postgresql-manual-tree}
"$here/distree" index-site /usr/share/doc/postgresql-doc-15/html \
    --base-url https://www.postgresql.org/docs/15/ --out "$out"
