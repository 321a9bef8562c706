package org.distree.tree;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.distree.model.Entry;
import org.distree.rules.Budgets;
import org.distree.store.NodeStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shape a {@link LocalTree} keeps as it grows: a piece that would break the 16x rule has its
 * largest children cut ({@link ChildCuts}) and a child handed up by a splice joins a taller
 * neighbour ({@link SmallMerges#absorbShort}), so that links of one node keep one height and
 * the root keeps few links. A root full of the links of many splices is one that every cut
 * breaks 16x again: it could not settle, and inserts were refused.
 */
class LocalTreeShapeTest {
    @TempDir
    Path dir;

    @Test
    void aLeafFarLargerThanItsNeighboursIsCutRatherThanTheyAreHandedUpToTheRoot() throws Exception {
        List<Entry> all = new ArrayList<>();
        try (LocalTree tree = LocalTree.open(NodeStore.open(dir, false), Clock.systemUTC())) {
            // Leaves of 9 long entries, then one leaf of 150 short ones among them.
            List<Entry> fat = new ArrayList<>();
            for (int i = 0; i < 600; i++) {
                fat.add(fatEntry(String.format(Locale.ROOT, "f%05d", i * 10), "" + i));
            }
            for (int i = 0; i < fat.size(); i += 100) {
                tree.insert(fat.subList(i, i + 100));
            }
            List<Entry> tiny = new ArrayList<>();
            for (int i = 0; i < 150; i++) {
                tiny.add(Entry.of(String.format(Locale.ROOT, "f00105-%04d", i), "h:" + i, "", ""));
            }
            tree.insert(tiny);
            assertThat(Trees.shortLinks(dir, true)).isEmpty();
            // Then long entries all over, so that the nodes around the large leaf are cut.
            Random random = new Random(1);
            List<Entry> more = new ArrayList<>();
            for (int i = 0; i < 600; i++) {
                more.add(fatEntry(
                        String.format(Locale.ROOT, "f%05d-%d", random.nextInt(6000), i), "m" + i));
            }
            for (int i = 0; i < more.size(); i += 50) {
                tree.insert(more.subList(i, i + 50));
            }
            all.addAll(fat);
            all.addAll(tiny);
            all.addAll(more);

            // Before: the root linked 36 nodes, 35 of them leaves beside the nodes of height 1.
            assertThat(Trees.shortLinks(dir, true)).isEmpty();
            assertThat(Trees.ruleBreaks(dir)).isEmpty();
            assertThat(Trees.lint(tree).violations()).isEmpty();
        }
        all.sort(Comparator.comparing(Entry::position));
        assertThat(Trees.all(dir)).containsExactlyElementsOf(all);
    }

    @Test
    void randomInsertsAmongLeavesOfVeryDifferentSizesKeepTheRootSmall() throws Exception {
        // Keys of 43 bytes or so; entries with a 1,000-byte comment where the key starts with a
        // digit or a to h (9 to a leaf), with none elsewhere (about 150 to a leaf): their
        // parents are cut into pieces whose children differ in size twentyfold.
        Random random = new Random(8);
        List<Entry> first = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            first.add(unevenEntry(random, i));
        }
        first.sort(Comparator.comparing(Entry::position));
        try (NodeStore store = NodeStore.open(dir, false)) {
            new BulkBuilder(store, Budgets.BUILD_FILL, null, Instant.now(), n -> {})
                    .build(first.iterator());
        }
        List<Entry> all = new ArrayList<>(first);
        try (LocalTree tree = LocalTree.open(NodeStore.open(dir, false), Clock.systemUTC())) {
            for (int done = 0; done < 30_000; done += 100) {
                List<Entry> batch = new ArrayList<>();
                for (int i = 0; i < 100; i++) {
                    batch.add(unevenEntry(random, 1000 + done + i));
                }
                tree.insert(batch);
                all.addAll(batch);
            }

            // Before: a root of 38 links, 36 of them to nodes a level or more below the tallest.
            assertThat(tree.root().children()).hasSizeLessThanOrEqualTo(8);
            assertThat(Trees.shortLinks(dir, false)).isEmpty();
            assertThat(Trees.ruleBreaks(dir)).isEmpty();
            assertThat(Trees.lint(tree).violations()).isEmpty();
        }
        assertThat(Trees.all(dir)).hasSize(all.size());
    }

    private static Entry fatEntry(String key, String id) {
        return Entry.of(key, "https://example.org/" + id, "", "x".repeat(1000));
    }

    private static Entry unevenEntry(Random random, int i) {
        String key = Long.toString(random.nextLong() & Long.MAX_VALUE, 36) + "x".repeat(30);
        boolean fat = key.charAt(0) < 'i';
        return Entry.of(key, "https://e.example/" + i, "", fat ? "c".repeat(1000) : "");
    }
}
