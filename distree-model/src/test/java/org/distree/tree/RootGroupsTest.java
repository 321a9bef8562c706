package org.distree.tree;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.distree.html.NodeWriter;
import org.distree.model.Bound;
import org.distree.model.ChildRef;
import org.distree.model.Entry;
import org.distree.model.Links;
import org.distree.model.Node;
import org.distree.model.NodeFile;
import org.distree.model.Range;
import org.distree.model.Status;
import org.distree.rules.Rules;
import org.distree.store.NodeStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootGroupsTest {
    static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");

    /**
     * Leaf sizes as a dense ring's root held them (simulated ring of 50 machines with 1,000
     * entries each): cuts at the edges of held ranges leave small leaves beside full ones, so no
     * 16 of them add up to 16 times the largest.
     */
    static final int[] SIZES = {
        43, 7, 12, 30, 5, 21, 18, 40, 9, 14, 25, 6, 33, 11, 16, 28, 8, 19, 38, 10
    };

    @TempDir
    Path dir;

    @Test
    void leavesOfUnevenSizesAreGroupedWithTheLargestCutAndNothingLost() throws Exception {
        try (NodeStore store = NodeStore.open(dir, false)) {
            NodeCache cache = new NodeCache();
            List<ChildRef> refs = new ArrayList<>(written(store, cache, SIZES, 5));
            String largest = TreeOp.nameOf(refs.get(0).href());
            int total = java.util.Arrays.stream(SIZES).sum();
            ChildRef remote = new ChildRef(
                    "http://b.example/n/0.html", Range.ALL, 0, 40, NOW, Status.OK, Map.of());
            refs.add(0, remote);

            TreeOp op = new TreeOp(store, cache, NOW);
            List<ChildRef> grouped = RootGroups.group(op, refs);
            op.commit();

            assertThat(grouped).contains(remote).hasSize(2);
            ChildRef item = grouped.get(grouped.get(0).equals(remote) ? 1 : 0);
            assertThat(item.height()).isEqualTo(1);
            assertThat(item.partial())
                    .as("part of its range is held in partial leaves only")
                    .isTrue();
            Node group = store.read(TreeOp.nameOf(item.href())).node();
            assertThat(Rules.fits(NodeWriter.byteSize(group))).isTrue();
            assertThat(Rules.obeysSixteenX(group)).isTrue();
            assertThat(group.size()).isEqualTo(total);
            assertThat(group.children().size()).isGreaterThan(SIZES.length);

            List<String> keys = new ArrayList<>();
            for (ChildRef c : group.children()) {
                Node leaf = store.read(TreeOp.nameOf(c.href())).node();
                assertThat(leaf.size()).isLessThanOrEqualTo(total / Rules.SUBTREE_FACTOR);
                assertThat(leaf.partial())
                        .as("a piece keeps its leaf's mark")
                        .isEqualTo(leaf.range().high() != null
                                && Range.compareLows(leaf.range().high(), Bound.of(key(5, 0)))
                                        <= 0);
                leaf.entries().forEach(e -> keys.add(e.key()));
            }
            assertThat(keys).hasSize(total).doesNotHaveDuplicates().isSorted();
            // The largest leaf was cut: its file keeps the first piece, with copies of all.
            NodeFile first = store.read(largest);
            assertThat(first.node().size()).isLessThan(SIZES[0]);
            assertThat(first.orphans()).isNotEmpty();
        }
    }

    /**
     * The vouch merges small leaves of one mark, every child counting as touched: it merged the
     * pieces a group's largest leaves were cut in, the group broke 16x and was spliced into the
     * root, and the routing job grouped it again, under new names every run (a Zipf ring of 50
     * rewrote some 3,000 files a round). A merge that would break the parent's 16x is not made.
     */
    @Test
    void theVouchDoesNotMergeBackTheCutsThatMadeAGroupKeep16x() throws Exception {
        List<ChildRef> grouped;
        try (NodeStore store = NodeStore.open(dir, false)) {
            NodeCache cache = new NodeCache();
            List<ChildRef> refs = new ArrayList<>(written(store, cache, SIZES, 5));
            // A link to another machine, as a ring's root has: a root of one child would be
            // that child.
            refs.add(
                    0,
                    new ChildRef(
                            "http://b.example/n/0.html",
                            Range.ALL,
                            0,
                            40,
                            NOW,
                            Status.OK,
                            Map.of()));
            TreeOp op = new TreeOp(store, cache, NOW);
            grouped = RootGroups.group(op, refs);
            Node root = LocalTree.rootOver(2, grouped, NOW, null, Map.of())
                    .withPartial(TreeOp.partial(Range.ALL, grouped));
            op.write("n/root.html", root);
            op.writeIndex("n/root.html", root);
            op.commit();
        }
        assertThat(grouped).hasSize(2);
        String group = TreeOp.nameOf(grouped.stream()
                .filter(c -> Links.isRelative(c.href()))
                .findFirst()
                .orElseThrow()
                .href());
        Bound edge = Bound.of(key(5, 0));
        java.util.function.Predicate<Range> held =
                r -> r.low() != null && Range.compareLows(r.low(), edge) >= 0;
        try (LocalTree tree = LocalTreeVouchTest.open(dir)) {
            tree.vouch(held);

            // Small pieces may still join where the group keeps 16x with them; it stays.
            assertThat(tree.root().children())
                    .extracting(ChildRef::href)
                    .containsExactly("http://b.example/n/0.html", LocalTree.href(group));
            assertThat(Rules.obeysSixteenX(tree.read(group))).isTrue();
            assertThat(tree.vouch(held)).isZero();
            assertThat(Trees.lint(tree).violations()).isEmpty();
        }
    }

    @Test
    void aRunOfEvenLeavesIsGroupedWithoutCuts() throws Exception {
        try (NodeStore store = NodeStore.open(dir, false)) {
            NodeCache cache = new NodeCache();
            int[] even = new int[SIZES.length];
            java.util.Arrays.fill(even, 20);
            List<ChildRef> refs = written(store, cache, even, 0);

            TreeOp op = new TreeOp(store, cache, NOW);
            List<ChildRef> grouped = RootGroups.group(op, refs);
            op.commit();

            assertThat(grouped).hasSize(1);
            Node group = store.read(TreeOp.nameOf(grouped.get(0).href())).node();
            assertThat(group.children())
                    .extracting(ChildRef::href)
                    .containsExactlyElementsOf(refs.stream().map(ChildRef::href).toList());
            assertThat(group.partial()).isFalse();
        }
    }

    /**
     * Leaves of these sizes tiling the whole key space, the first {@code partial} marked
     * partial, written in one transaction; their items, in key order.
     */
    private static List<ChildRef> written(
            NodeStore store, NodeCache cache, int[] sizes, int partial) throws java.io.IOException {
        TreeOp write = new TreeOp(store, cache, NOW);
        List<ChildRef> refs = new ArrayList<>();
        for (int i = 0; i < sizes.length; i++) {
            Node leaf = leaf(i, sizes[i]).withPartial(i < partial);
            String name = write.newName();
            write.write(name, leaf);
            refs.add(write.item(LocalTree.href(name), leaf));
        }
        write.commit();
        return refs;
    }

    /** Leaf {@code i} of a tiling of the whole key space, with {@code n} entries. */
    private static Node leaf(int i, int n) {
        Bound low = i == 0 ? null : Bound.of(key(i, 0));
        Bound high = i == SIZES.length - 1 ? null : Bound.of(key(i + 1, 0));
        List<Entry> entries = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            entries.add(Entry.of(key(i, j + 1), "https://e.org/" + i + "/" + j, "", ""));
        }
        return Node.leaf(new Range(low, high), entries, NOW);
    }

    private static String key(int i, int j) {
        return String.format(Locale.ROOT, "k%02d-%03d", i, j);
    }
}
