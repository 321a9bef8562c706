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
}
