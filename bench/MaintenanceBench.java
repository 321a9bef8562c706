package org.distree.maintain;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.distree.model.Bound;

/**
 * Rounds to full recall, and requests and kilobytes fetched per machine per round (a 304 is a
 * request of no bytes), for rings of machines (real Jetty servers on 127.0.0.2-6, several ports
 * per address: the tests' {@code Cluster}), each with 40 own entries and told only the next
 * machine's root. Prints a Markdown table. Run with bench/maintenance.sh, which puts the
 * maintainer's test classes on the class path:
 *
 * <pre>
 * bench/maintenance.sh [RING...]
 * </pre>
 *
 * A RING is a number of machines, or {@code N:BUDGET} for a copy budget other than unlimited;
 * the default is {@code 5 10 20 10:40}. The trees are made in a temporary folder, deleted at
 * the end.
 */
public final class MaintenanceBench {
    static final int ENTRIES = 40;

    private MaintenanceBench() {}

    public static void main(String[] args) throws Exception {
        List<String> rings = args.length > 0 ? List.of(args) : List.of("5", "10", "20", "10:40");
        Path dir = Files.createTempDirectory("distree-maintenance-bench");
        try {
            System.out.println("| machines | entries | budget | rounds to full recall |"
                    + " fetches per machine per round | KB fetched per machine per round |"
                    + " seconds |");
            System.out.println("|---:|---:|---|---:|---:|---:|---:|");
            for (String ring : rings) {
                String[] parts = ring.split(":", 2);
                run(dir, Integer.parseInt(parts[0]), parts.length > 1 ? parts[1] : "-1");
            }
        } finally {
            delete(dir);
        }
    }

    static void run(Path dir, int n, String budget) throws Exception {
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

    private static void delete(Path dir) throws IOException {
        List<Path> all = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            files.forEach(all::add);
        }
        all.sort(Comparator.reverseOrder());
        for (Path p : all) {
            Files.deleteIfExists(p);
        }
    }
}
