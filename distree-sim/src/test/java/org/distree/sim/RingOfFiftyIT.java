package org.distree.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13's ring at 50 machines, with the defaults a daemon has (the ring on: 8 places a
 * machine, 3 holders a key): from a cold start, where each machine knows only the next one's
 * root, to full recall from every sampled root, through the moves of the heavy machines'
 * places to a steady state; then 30% of the machines stop at once. The
 * bounds are looser than the figures docs/SCALE.md quotes (full recall in 2 rounds, 3.9 shares
 * a machine, 3 fetches a lookup once settled, 1.0 before any repair and after), so that what
 * this catches is a protocol that stops settling, not one round's noise.
 */
class RingOfFiftyIT {
    @TempDir
    Path tmp;

    @Test
    void fiftyMachinesReachFullRecallAtAFewSharesAndKeepItWhenThirtyPercentStop() throws Exception {
        Config config = Config.of(50, 40, -1, 50)
                .withRoots(10)
                .withLookups(20)
                .withFailures(Failures.NONE.withStop(0.3, 10));
        try (Simulation s = Simulation.start(tmp, config)) {
            Round r = s.measure();
            while (r.minRecall() < 1 && s.rounds() < 7) {
                r = s.round();
            }
            // 2 log2(50) is 11.3: the target for the rounds to full recall.
            assertThat(r.minRecall()).as("recall after round %d", s.rounds()).isEqualTo(1.0);
            assertThat(s.rounds()).isLessThanOrEqualTo(6);
            assertThat(r.lookupRecall()).isEqualTo(1.0);

            // Recall can be full before the ranges settle (a search reads the origins of what
            // it finds no holder for, at a cost); lookups are measured once they have, and once
            // the heavy machines have moved their places (rounds 4 to 7 measured, every root
            // rewritten in each as the ring changes).
            while (s.rounds() < 9) {
                r = s.round();
                assertThat(r.minRecall())
                        .as("recall after round %d", s.rounds())
                        .isEqualTo(1.0);
            }
            assertThat(r.lookupRecall()).isEqualTo(1.0);
            assertThat(r.medianFetches()).as("fetches a lookup").isLessThanOrEqualTo(6);
            assertThat(r.medianMachines()).as("machines a lookup asks").isLessThanOrEqualTo(4);
            assertThat(r.storageShareMean()).as("shares stored, mean").isLessThan(4.5);
            // 4.88 measured (5.30 before the moves); the bound is 6.
            assertThat(r.storageShareMax()).as("shares stored, most").isLessThan(6);
            // Nothing changes: almost every conditional request is answered 304.
            assertThat(r.notModifiedShare()).as("304s in a steady state").isGreaterThan(0.95);
            assertThat(r.bytesPerMachine()).as("bytes a machine a round").isLessThan(50_000);

            r = s.round(); // round 10: 15 of 50 stop at its start
            assertThat(r.stopped()).isEqualTo(15);
            Round before = s.beforeRepair().orElseThrow();
            // Three holders a key: 1 - 0.3^3 = 0.973 of the keys keep one; the entries of the
            // rest are found at their origins, which are up (the search's sweep).
            assertThat(before.minRecall())
                    .as("recall before any repair")
                    .isGreaterThanOrEqualTo(0.99);
            // Nor do the rounds between dip (0.93 and 0.91 measured before gaps in the routing
            // were bridged by links narrowed to them: docs/SCALE.md).
            assertThat(r.minRecall()).as("recall after round 10").isGreaterThanOrEqualTo(0.99);
            for (int k = 0; k < 5; k++) {
                r = s.round();
                assertThat(r.minRecall())
                        .as("recall after round %d", s.rounds())
                        .isGreaterThanOrEqualTo(0.99);
            }
            assertThat(r.minRecall()).as("recall 5 rounds after the stop").isGreaterThan(0.999);
        }
    }
}
