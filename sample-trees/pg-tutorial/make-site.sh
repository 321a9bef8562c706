#!/bin/sh
# Copies the tutorial part of the PostgreSQL 15 manual, as Debian ships it, into site/.
# Needs: apt-get install postgresql-doc-15. The pages are under the PostgreSQL License (see
# site/legalnotice.html and COPYRIGHT), which allows copying and redistribution.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
src=/usr/share/doc/postgresql-doc-15/html
rm -rf "$here/site"
mkdir -p "$here/site"
cp "$src"/tutorial*.html "$src"/legalnotice.html "$here/site/"
(cd "$here/site" && ls *.html) > "$here/site/PAGES"
