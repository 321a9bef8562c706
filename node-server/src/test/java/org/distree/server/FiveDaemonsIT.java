package org.distree.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Five real daemons on 127.0.0.2 to 127.0.0.6, each with 12 own entries, each told only the
 * next one's root, maintaining themselves on millisecond intervals. Every root finds every entry
 * through {@code /search}; every tree lints clean over HTTP; after two daemons stop, each
 * survivor still finds every entry the survivors hold.
 */
class FiveDaemonsIT {
    private static final int MACHINES = 5;
    private static final int OWN = 12;
    private static final Duration DEADLINE = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void everyRootFindsEveryEntryAndSurvivorsStillDoAfterTwoStop() throws Exception {
        List<List<String[]>> own = new ArrayList<>();
        for (int i = 0; i < MACHINES; i++) {
            List<String[]> es = new ArrayList<>();
            for (int k = 0; k < OWN; k++) {
                es.add(new String[] {"m" + i + "k" + k, "https://m" + i + ".example/" + k});
            }
            own.add(es);
        }
        String maintainer = """
                copy-budget=-1
                sync-interval-ms=50
                submit-interval-ms=50
                link-check-interval-ms=200
                rules-interval-ms=50
                per-host-interval-ms=0
                submit-retry-ms=50
                """;
        try (DaemonRing ring = new DaemonRing(dir, own, maintainer)) {
            List<TestDaemon> daemons = ring.daemons;
            Set<String> all = ring.all;
            long t0 = System.nanoTime();
            long end = t0 + DEADLINE.toNanos();
            double recall = 0;
            while (System.nanoTime() < end) {
                recall = DaemonRing.minRecall(daemons, all);
                if (recall == 1.0) {
                    break;
                }
                pause();
            }
            long syncs = 0;
            for (TestDaemon d : daemons) {
                syncs = Math.max(syncs, (long) d.server
                        .metrics()
                        .value("distree_maintenance_runs_total", "job=\"sync\",outcome=\"ok\""));
            }
            System.out.printf(
                    Locale.ROOT,
                    "full recall after %.1f s, at most %d sync runs per daemon%n",
                    (System.nanoTime() - t0) / 1e9,
                    syncs);
            assertThat(recall).as("recall within " + DEADLINE).isEqualTo(1.0);

            DaemonRing.assertLintsClean(daemons);

            daemons.get(1).close();
            daemons.get(3).close();
            List<TestDaemon> survivors = List.of(daemons.get(0), daemons.get(2), daemons.get(4));
            for (TestDaemon d : survivors) {
                assertThat(DaemonRing.found(d)).as("found from " + d.url).containsAll(all);
            }
            System.out.println(
                    "recall after stopping 2 of 5: " + DaemonRing.minRecall(survivors, all));
        }
    }

    /** Between two polls: leaves the two shared cores to the daemons. */
    private static void pause() throws InterruptedException {
        Thread.sleep(50);
    }
}
