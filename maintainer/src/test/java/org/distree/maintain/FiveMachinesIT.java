package org.distree.maintain;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.distree.model.Bound;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Five machines on 127.0.0.2 to 127.0.0.6, each with its own entries and told only the next
 * one's root. Maintenance rounds make every root find every entry; then two machines stop.
 */
class FiveMachinesIT {
    static final int MAX_ROUNDS = 12;

    @TempDir
    Path dir;

    @Test
    void everyRootFindsEveryEntryAfterRoundsAndSurvivorsAfterTwoStop() throws Exception {
        try (Cluster c = new Cluster(dir, 5, 60, 7, Map.of("copy-budget", "-1"))) {
            Set<Bound> all = c.allEntries();
            int rounds = 0;
            double recall = c.recall(all);
            System.out.printf(Locale.ROOT, "round 0: recall %.3f%n", recall);
            while (recall < 1 && rounds < MAX_ROUNDS) {
                long before = c.machines.stream()
                        .mapToLong(m -> m.maintainer.fetches())
                        .sum();
                c.round();
                rounds++;
                long fetches = c.machines.stream()
                                .mapToLong(m -> m.maintainer.fetches())
                                .sum()
                        - before;
                recall = c.recall(all);
                System.out.printf(
                        Locale.ROOT,
                        "round %d: recall %.3f, %.1f fetches per machine%n",
                        rounds,
                        recall,
                        fetches / 5.0);
            }
            System.out.println("rounds to full recall: " + rounds);
            assertThat(recall).isEqualTo(1.0);
            for (Cluster.Machine m : c.machines) {
                assertThat(c.lint(m).violations())
                        .as("lint of machine " + m.index)
                        .isEmpty();
                // Own entries are never dropped.
                assertThat(m.held())
                        .containsAll(m.own.stream().map(e -> e.position()).toList());
            }

            // Full recall can come before the ring has settled (a search that meets only dead
            // or partial links asks other machines' roots), and what a stop needs (each key's
            // links on three machines) comes in the rounds after: two are stopped once a round
            // of every machine changed nothing.
            int settle = 0;
            while (c.round() > 0 && settle < MAX_ROUNDS) {
                settle++;
            }
            System.out.println("rounds to settle after full recall: " + (settle + 1));
            assertThat(settle)
                    .as("rounds that changed something after full recall")
                    .isLessThan(MAX_ROUNDS);
            c.machines.get(1).stop();
            c.machines.get(3).stop();
            Set<Bound> surviving = new HashSet<>();
            for (Cluster.Machine m : c.machines) {
                if (m.running) {
                    surviving.addAll(m.held());
                }
            }
            for (Cluster.Machine m : c.machines) {
                if (m.running) {
                    assertThat(c.found(m)).containsAll(surviving);
                }
            }
            double after = c.recall(all);
            System.out.printf(
                    Locale.ROOT, "after stopping 2 of 5: recall over all entries %.3f%n", after);
            assertThat(after).isEqualTo(1.0);
        }
    }
}
