#!/usr/bin/env bash
# Crash loops (docs/RELIABILITY.md, "Crash loops and full disks"): runs CrashLoopIT with the
# issue's counts, where `./mvnw verify` runs fewer.
#
#   bench/crash-loop.sh [DAEMON_KILLS [ADD_KILLS [SITE_KILLS [SEED]]]]
#
# Defaults: 50 kills of a `distree serve` daemon under a stream of POST /entries (with its
# maintenance jobs on 200 ms intervals), 20 of `distree add --in`, 10 of an `index-site` update;
# seed 16 (the build's). Each kill is a SIGKILL at a seeded random moment; after each, the tree
# must hold every acknowledged entry and lint clean. Prints the figures each test reports;
# the whole output of the tests is in
# search-cli/target/failsafe-reports/org.distree.cli.CrashLoopIT-output.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

kills=${1:-50}
add_kills=${2:-20}
site_kills=${3:-10}
seed=${4:-16}
start=$(date +%s)
# Failsafe runs the test against target/distree.jar, which `verify` packages first; the unit
# tests and the coverage agent are left out.
./mvnw -B -o -q -pl search-cli -am verify \
  -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test=CrashLoopIT -Dfailsafe.failIfNoSpecifiedTests=false -Djacoco.skip=true \
  -Ddistree.crash.kills="$kills" -Ddistree.crash.add-kills="$add_kills" \
  -Ddistree.crash.site-kills="$site_kills" -Ddistree.crash.seed="$seed"
grep -h '^crash loop' search-cli/target/failsafe-reports/org.distree.cli.CrashLoopIT-output.txt
echo "crash-loop: $(( $(date +%s) - start )) s in all (build included)"
