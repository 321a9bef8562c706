#!/usr/bin/env bash
# Maintenance across machines (issue 5), for docs/BENCHMARKS.md: rings of real Jetty servers on
# 127.0.0.2-6 with a maintainer each, run round by round until every entry is found from every
# root; prints a Markdown table (bench/MaintenanceBench.java).
#
#   bench/maintenance.sh [RING...]      RING: machines, or N:BUDGET; default 5 10 20 10:40
#
# The rings are the tests' Cluster, so this compiles the maintainer's test classes (offline
# Maven) and compiles MaintenanceBench beside them, in its package, into a scratch folder.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
need_jar
"$REPO/mvnw" -q -o -f "$REPO/pom.xml" test-compile -pl maintainer -am
classes="$(mktemp -d /tmp/distree-maintenance-bench.XXXXXX)"
trap 'rm -rf "$classes"' EXIT
cp="$DISTREE_JAR:$REPO/maintainer/target/test-classes:$REPO/distree-model/target/test-classes"
javac -nowarn -d "$classes" -cp "$cp" "$REPO/bench/MaintenanceBench.java"
echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(java -version 2>&1 | head -1)"
java -Dslf4j.internal.verbosity=ERROR -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -cp "$classes:$cp" org.distree.maintain.MaintenanceBench "$@"
