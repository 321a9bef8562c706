package org.distree.maintain;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.distree.model.Bound;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rounds to full recall, and requests and kilobytes fetched per machine per round (a 304 is a
 * request of no bytes), for rings of 5, 10 and 20 machines
 * (real Jetty servers on 127.0.0.2-6, several ports per address), each with 40 own entries and
 * told only the next machine's root. Run with:
 *
 * <pre>
 * mvn -q test -pl maintainer -am -Dtest=MaintenanceBench -Dbench=true \
 *     -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 *
 * and read the table in maintainer/target/surefire-reports/*MaintenanceBench-output.txt.
 */
@EnabledIfSystemProperty(named = "bench", matches = "true")
class MaintenanceBench {
    static final int ENTRIES = 40;

    @TempDir
    Path dir;

    @Test
    void roundsToFullRecall() throws Exception {
        System.out.println("| machines | entries | budget | rounds to full recall |"
                + " fetches per machine per round | KB fetched per machine per round |"
                + " seconds |");
        System.out.println("|---:|---:|---|---:|---:|---:|---:|");
        for (int n : new int[] {5, 10, 20}) {
            run(n, "-1");
        }
        run(10, "40");
    }

    void run(int n, String budget) throws Exception {
        long start = System.nanoTime();
        try (Cluster c = new Cluster(
                dir.resolve(n + "-" + budget),
                n,
                ENTRIES,
                n,
                Map.of("copy-budget", budget, "max-fetches-per-round", "2000"))) {
            Set<Bound> all = c.allEntries();
            int rounds = 0;
            double recall = c.recall(all);
            long before =
                    c.machines.stream().mapToLong(m -> m.maintainer.fetches()).sum();
            long bytesBefore = c.machines.stream()
                    .mapToLong(m -> m.maintainer.fetchedBytes())
                    .sum();
            while (recall < 1 && rounds < 3 * n) {
                c.round();
                rounds++;
                recall = c.recall(all);
            }
            long fetches =
                    c.machines.stream().mapToLong(m -> m.maintainer.fetches()).sum() - before;
            long bytes = c.machines.stream()
                            .mapToLong(m -> m.maintainer.fetchedBytes())
                            .sum()
                    - bytesBefore;
            System.out.printf(
                    Locale.ROOT,
                    "| %d | %d | %s | %s | %.1f | %.1f | %.1f |%n",
                    n,
                    n * ENTRIES,
                    budget.equals("-1") ? "unlimited" : budget + " copies",
                    recall < 1
                            ? "not reached in " + rounds + " (recall "
                                    + String.format(Locale.ROOT, "%.3f", recall) + ")"
                            : String.valueOf(rounds),
                    (double) fetches / n / Math.max(1, rounds),
                    bytes / 1024.0 / n / Math.max(1, rounds),
                    (System.nanoTime() - start) / 1e9);
        }
    }
}
