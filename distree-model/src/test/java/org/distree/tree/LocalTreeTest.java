package org.distree.tree;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeSet;
import org.distree.model.Entry;
import org.distree.rules.Linter;
import org.distree.store.NodeStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalTreeTest {
    @TempDir Path dir;

    @Test
    void insertsOneByOneKeepEveryEntryAndEveryRule() throws Exception {
        Random random = new Random(1);
        TreeSet<Entry> expected = new TreeSet<>();
        try (LocalTree tree = LocalTree.open(NodeStore.open(dir, false),
                java.time.Clock.systemUTC())) {
            for (int i = 0; i < 3000; i++) {
                Entry e = Trees.entry(random);
                tree.insert(List.of(e));
                expected.add(e);
            }
            Linter.Report report = Trees.lint(tree);
            assertThat(report.violations()).isEmpty();
            assertThat(report.stats().height()).isGreaterThanOrEqualTo(1);
        }
        assertThat(Trees.all(dir)).containsExactlyElementsOf(expected);
    }

    @Test
    void deletingEverythingLeavesAnEmptyCleanTree() throws Exception {
        Random random = new Random(2);
        List<Entry> added = new ArrayList<>();
        try (LocalTree tree = LocalTree.open(NodeStore.open(dir, false),
                java.time.Clock.systemUTC())) {
            for (int i = 0; i < 40; i++) {
                List<Entry> batch = new ArrayList<>();
                for (int j = 0; j < 50; j++) {
                    batch.add(Trees.entry(random));
                }
                tree.insert(batch);
                added.addAll(batch);
            }
            assertThat(Trees.lint(tree).violations()).isEmpty();
            for (int i = 0; i < added.size(); i += 100) {
                tree.delete(added.subList(i, Math.min(added.size(), i + 100)).stream()
                        .map(Entry::position).toList());
                assertThat(Trees.lint(tree).violations()).isEmpty();
            }
            assertThat(tree.root().size()).isZero();
            assertThat(tree.store().nodeNames()).hasSize(1);
        }
        assertThat(Trees.all(dir)).isEmpty();
        assertThat(Files.exists(dir.resolve("index.html"))).isTrue();
    }

    /** Leaves of 9 long entries, then leaves of some 200 short ones, as real data can give. */
    static List<Entry> fatThenTiny(int fat, int tiny) {
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < fat; i++) {
            out.add(Entry.of(String.format("f%05d", i), "https://example.org/" + i, "",
                    "x".repeat(1000)));
        }
        for (int i = 0; i < tiny; i++) {
            out.add(Entry.of(String.format("t%05d", i), "h:" + i, "", ""));
        }
        return out;
    }

    @Test
    void leavesOfVeryDifferentSizesStillSettleUnderOneRoot() throws Exception {
        List<Entry> all = fatThenTiny(400, 2500);
        try (LocalTree tree = LocalTree.open(NodeStore.open(dir, false),
                java.time.Clock.systemUTC())) {
            for (int i = 0; i < all.size(); i += 100) {
                tree.insert(all.subList(i, Math.min(all.size(), i + 100)));
                assertThat(Trees.lint(tree).violations()).isEmpty();
            }
            assertThat(Trees.ruleBreaks(dir)).isEmpty();
        }
        assertThat(Trees.all(dir)).containsExactlyElementsOf(all);
    }

    @Test
    void sequentialInsertsOfLongKeysKeepTheTreeShallow() throws Exception {
        // 60-byte keys: fewer than 32 child links fit in a file, so a full node cannot be cut
        // into two that keep the 16x rule.
        try (LocalTree tree = LocalTree.open(NodeStore.open(dir, false),
                java.time.Clock.systemUTC())) {
            for (int i = 0; i < 8000; i += 200) {
                List<Entry> batch = new ArrayList<>();
                for (int j = i; j < i + 200; j++) {
                    batch.add(Entry.of("日本語日本語日本語日本語日本語日本" + String.format("%06d", j),
                            "https://example.org/" + j, "", ""));
                }
                tree.insert(batch);
            }
            assertThat(tree.root().height()).isLessThanOrEqualTo(3);
            assertThat(Trees.lint(tree).violations()).isEmpty();
            assertThat(Trees.ruleBreaks(dir)).isEmpty();
        }
        assertThat(Trees.all(dir)).hasSize(8000);
    }

    /** Every file of the tree's folder (but the private one) with its bytes. */
    private java.util.Map<String, String> snapshot() throws Exception {
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        try (java.util.stream.Stream<java.nio.file.Path> s = Files.walk(dir)) {
            for (java.nio.file.Path p : s.filter(Files::isRegularFile).toList()) {
                String name = dir.relativize(p).toString();
                if (!name.startsWith(".distree")) {
                    out.put(name, Files.readString(p));
                }
            }
        }
        return out;
    }

    @Test
    void entriesThatCannotBePlacedWithinTheRulesAreRefusedAndChangeNothing() throws Exception {
        // Many entries of one key whose links share 1,500 bytes: every bound between two leaves
        // carries a long link part, and too few child links fit in a file.
        String prefix = "https://example.org/" + "x".repeat(1500);
        try (LocalTree tree = LocalTree.open(NodeStore.open(dir, false),
                java.time.Clock.systemUTC())) {
            List<Entry> added = new ArrayList<>();
            IllegalStateException refused = null;
            for (int i = 0; i < 2000 && refused == null; i += 3) {
                List<Entry> batch = new ArrayList<>();
                for (int j = i; j < i + 3; j++) {
                    batch.add(Entry.of("key", prefix + String.format("%05d", j), "", ""));
                }
                tree.store().flush();
                java.util.Map<String, String> before = snapshot();
                try {
                    tree.insert(batch);
                    added.addAll(batch);
                } catch (IllegalStateException e) {
                    refused = e;
                    tree.store().flush();
                    assertThat(snapshot()).isEqualTo(before);
                }
            }

            assertThat(refused).isNotNull();
            assertThat(added).isNotEmpty();
            assertThat(refused.getMessage()).contains("cannot be placed within the rules");
            assertThat(Trees.lint(tree).violations()).isEmpty();
            assertThat(Trees.all(dir)).containsExactlyElementsOf(added);
            tree.delete(List.of(added.get(0).position()));
            assertThat(Trees.all(dir)).hasSize(added.size() - 1);
        }
    }
}
