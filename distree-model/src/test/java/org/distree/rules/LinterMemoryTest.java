package org.distree.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.distree.model.Entry;
import org.distree.query.FileSource;
import org.distree.store.NodeStore;
import org.distree.tree.BulkBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A lint holds a bounded number of parsed files, whatever the size of the tree: a tree of some
 * 2,000 full leaves (about 70 MB parsed) is linted, on 4 reading threads, by a JVM of 40 MB of
 * heap. Before the bound, the walk kept every file it read and read a whole level ahead, and ran
 * out of memory (a 2.4M-entry tree did not lint in 1 GB).
 */
class LinterMemoryTest {
    @TempDir
    Path dir;

    @Test
    void aTreeOfThousandsOfLeavesLintsInASmallHeap() throws Exception {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < 120_000; i++) {
            String key = String.format(Locale.ROOT, "k%07d", i);
            entries.add(Entry.of(
                    key,
                    "https://memory.example/" + key + ".html",
                    "Page " + key,
                    "a comment long enough that a leaf fills with few entries " + i));
        }
        try (NodeStore store = NodeStore.open(dir, false)) {
            new BulkBuilder(store, Budgets.BUILD_FILL, null, Instant.now(), n -> {})
                    .build(entries.iterator());
        }
        long leaves;
        try (Stream<Path> files = Files.list(dir.resolve(NodeStore.NODE_DIR))) {
            leaves = files.count();
        }
        assertThat(leaves).isGreaterThan(1_500);

        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(
                        java.toString(),
                        "-Xmx40m",
                        "-XX:+UseSerialGC",
                        "-cp",
                        System.getProperty("java.class.path"),
                        LintInOneProcess.class.getName(),
                        dir.toString())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).contains("violations 0").contains("entries 120000");
    }

    /** Lints the folder given on 4 threads and prints what it found; run in its own JVM. */
    static final class LintInOneProcess {
        private LintInOneProcess() {}

        public static void main(String[] args) throws IOException {
            Path folder = Path.of(args[0]);
            List<String> names;
            try (NodeStore store = NodeStore.open(folder)) {
                names = store.nodeNames();
            }
            Linter.Report r = Linter.lintFolder(new FileSource(), folder, names, 4);
            System.out.println("violations " + r.violations().size() + " entries "
                    + r.stats().entries());
        }
    }
}
