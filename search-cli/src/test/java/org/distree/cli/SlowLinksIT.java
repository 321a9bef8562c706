package org.distree.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Five real daemons, each in its own network namespace ({@link NetLab}), on a bad network: every
 * byte between two machines waits {@value #DELAY_MS} ms in each direction (the {@link
 * DelayProxy} in front of each daemon, for {@code tc netem delay}, which this kernel lacks), and
 * {@value #LOSS_PERCENT}% of the packets each way on every link are dropped (a BPF filter on
 * each veth). What must hold (issue 16): maintenance converges, every root finding every entry
 * within {@value #ROUNDS} sync runs of a daemon; every search answers within its time limit with
 * what it found (at least the machine's own entries); nothing acknowledged is lost; every tree
 * lints clean.
 */
class SlowLinksIT {
    static final int DELAY_MS = 200;
    static final double LOSS_PERCENT = 5;
    /**
     * Sync runs of a daemon until full recall, at most. Full recall takes 31 to 38 s of this
     * test; a run lasts as long as its requests (each at least 400 ms here), so since a run asks
     * only for the roots and what changed (sums on child items, 2026-12-05) more runs fit in that
     * time on a loaded machine: 6 to 7 before; after, 11 in a CI run, 5 alone.
     */
    static final int ROUNDS = 15;

    static final int FETCH_TIMEOUT_MS = 5_000;
    static final int SEARCH_TIMEOUT_MS = 10_000;
    private static final int SEARCHES = 4;
    /** The least share of the entries a search after convergence finds (measured: all, twice). */
    static final double MIN_RECALL = 0.9;

    @TempDir
    Path dir;

    @Test
    void maintenanceConvergesAndSearchesStayInTheirLimitWith200MsAndFivePercentLoss()
            throws Exception {
        assumeTrue(NetLab.available(), "network namespaces cannot be made here (root, ip)");
        try (NetLab lab = new NetLab(PartitionIT.MACHINES, NetLab.logsOf("SlowLinksIT"))) {
            lab.loss(LOSS_PERCENT);
            lab.startDelayProxy(DELAY_MS);
            PartitionIT.start(lab, dir, true, FETCH_TIMEOUT_MS, SEARCH_TIMEOUT_MS);
            List<NetLab.Machine> ms = lab.machines;
            PartitionIT.Acked acked = new PartitionIT.Acked();
            Random r = new Random(17);
            for (NetLab.Machine m : ms) {
                acked.post(m, PartitionIT.words(r, m, 0, 20));
            }
            long t0 = System.nanoTime();
            boolean recalled = PartitionIT.awaitRecall(ms, acked.all(), Duration.ofMinutes(2));
            double rounds = 0;
            for (NetLab.Machine m : ms) {
                rounds = Math.max(rounds, PartitionIT.syncRuns(m));
            }
            System.out.printf(
                    Locale.ROOT,
                    "slow links: every root finds all %d entries %.1f s after the start, at"
                            + " most %.0f sync runs of a daemon; %d packets dropped so far%n",
                    acked.all().size(),
                    (System.nanoTime() - t0) / 1e9,
                    rounds,
                    lab.dropped());
            assertThat(recalled).as("full recall").isTrue();
            assertThat(rounds).as("sync runs until full recall").isLessThanOrEqualTo(ROUNDS);

            List<PartitionIT.Searched> searches = new ArrayList<>();
            for (int k = 0; k < SEARCHES; k++) {
                for (NetLab.Machine m : ms) {
                    searches.add(PartitionIT.Searched.run(m));
                }
            }
            long slowest = 0;
            int least = Integer.MAX_VALUE;
            Set<String> all = acked.all();
            for (PartitionIT.Searched s : searches) {
                slowest = Math.max(slowest, s.millis());
                least = Math.min(least, s.found().size());
            }
            System.out.printf(
                    Locale.ROOT,
                    "slow links: %d searches, the slowest %d ms (limit %d ms), the least found"
                            + " %d of %d; %d packets dropped in all%n",
                    searches.size(),
                    slowest,
                    SEARCH_TIMEOUT_MS,
                    least,
                    all.size(),
                    lab.dropped());
            for (PartitionIT.Searched s : searches) {
                assertThat(s.status()).as("search on m" + s.machine()).isEqualTo(200);
                assertThat(s.millis())
                        .as("search on m" + s.machine())
                        .isLessThanOrEqualTo(SEARCH_TIMEOUT_MS + PartitionIT.SEARCH_MARGIN_MS);
                assertThat((double) s.found().size() / all.size())
                        .as("recall of a search on m" + s.machine())
                        .isGreaterThanOrEqualTo(MIN_RECALL);
            }

            for (NetLab.Machine m : ms) {
                NetLab.stop(m);
            }
            PartitionIT.assertTreesKeepWhatTheyAcknowledged(dir, ms, acked);
        }
    }
}
