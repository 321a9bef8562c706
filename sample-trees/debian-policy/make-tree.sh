#!/bin/sh
# The Debian Policy Manual (31 pages), with English stemming, from the Debian package.
# Needs: apt-get install debian-policy. The manual is GPL-2+ (see
# /usr/share/doc/debian-policy/copyright), so the pages are not copied into this repository:
# the tree is built from the installed package, and publishing it must follow that license.
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
out=${1:-debian-policy-tree}
"$here/distree" index-site /usr/share/doc/debian-policy/policy.html \
    --base-url https://www.debian.org/doc/debian-policy/ --stem --out "$out"
