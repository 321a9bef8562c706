package org.distree.tree;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.distree.html.NodeWriter;
import org.distree.model.Bound;
import org.distree.model.ChildRef;
import org.distree.model.Entry;
import org.distree.model.Node;
import org.distree.model.Range;
import org.distree.rules.Budgets;
import org.distree.rules.Cover;
import org.distree.rules.Rules;
import org.distree.store.NodeStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootSettleTest {
    static final Instant NOW = Instant.parse("2026-12-06T10:00:00Z");
    /** Blocks of {@value #RUN} leaves and a node of height 1; two blocks a piece. */
    static final int BLOCKS = 4;

    /** Routing nodes in each piece, as a ring's root links them beside its own tree. */
    static final int ROUTING = 14;

    static final int RUN = 5;
    static final int PER_LEAF = 20;
    static final int SMALL = 16;

    @TempDir
    Path dir;

    /**
     * As a dense ring's machine met it under churn (a simulated ring of 50 machines with 1,000
     * entries each, 5% replaced a round): removes left a node breaking 16x, its partial leaves
     * were handed up to the root beside nodes of another height, and the root with them was
     * over 10 KB. Its pieces broke 16x too and handed the same links up again, until the change
     * was refused, every sync run (the machine's sync failed from then on). Here 2 pieces,
     * each 2 runs of 5 partial leaves (too short a run to group) with a node of height 1 after
     * each, and 14 routing nodes: the leaves, each over the size under which a touched leaf
     * merges, join in pairs, and the root settles. It is refused without those merges.
     */
    @Test
    void aRootOverfullWithHandedUpLeavesMergesThemAndSettles() throws Exception {
        Node root = settled(ROUTING);
        assertThat(root.children().stream().filter(ChildRef::routing)).hasSize(2 * ROUTING);
    }

    /**
     * The same with more routing nodes than merging the leaves leaves room for: the last
     * routing nodes go (the routing job makes them again within the room left), their files
     * with them, and no entry of the tree is lost.
     */
    @Test
    void aRootStillOverfullAfterTheMergesDropsRoutingNodes() throws Exception {
        Node root = settled(ROUTING + 6);
        long routing = root.children().stream().filter(ChildRef::routing).count();
        assertThat(routing).isPositive().isLessThan(2 * (ROUTING + 6));
        try (NodeStore store = NodeStore.open(dir, false)) {
            assertThat(store.nodeNames().size())
                    .as("the files the root links, directly or not, and no more")
                    .isEqualTo(linked(store, root));
        }
    }

    /**
     * As a churned ring's machine met it (a simulated ring of 50 machines with 1,000 entries
     * each, 5% replaced a round, round 11): more routing nodes start before the root's second
     * child of its own than a file holds beside the first. Each goes with the piece that holds
     * its low, so no cut of the root places them all, and the change was refused ("cannot cut
     * [-inf, +inf) into pieces"). Those no cut places go, with their files; the root settles
     * with the rest, and every entry stays.
     */
    @Test
    void routingNodesThatNoCutPlacesGoAndTheRootSettles() throws Exception {
        int crowded = 70;
        try (NodeStore store = NodeStore.open(dir, false)) {
            NodeCache cache = new NodeCache();
            TreeOp op = new TreeOp(store, cache, NOW);
            List<ChildRef> first = new ArrayList<>();
            first.add(written(op, crowdedLeaf(null, "m")));
            for (int r = 0; r < crowded; r++) {
                first.add(written(op, routing(r)));
            }
            first.sort(LocalTree.BY_LOW);
            List<ChildRef> second = List.of(
                    written(op, crowdedLeaf("m", "n")), written(op, crowdedLeaf("n", null)));
            List<LocalTree.Written> pieces = new ArrayList<>();
            Bound m = Bound.of("m");
            for (Node piece :
                    List.of(over(new Range(null, m), first), over(new Range(m, null), second))) {
                String name = op.newName();
                op.write(name, piece);
                pieces.add(new LocalTree.Written(name, piece));
            }
            List<ChildRef> all = new ArrayList<>(first);
            all.addAll(second);
            assertThat(new NodeSplitter(NOW).unplaceableRouting(over(Range.ALL, all)))
                    .as("routing nodes no cut of the root places")
                    .isNotEmpty();

            LocalTree.Written top = RootSettle.settle(op, pieces.get(0).node(), pieces);
            op.commit();

            Node root = store.read(top.name()).node();
            assertThat(Rules.fits(NodeWriter.byteSize(root))).isTrue();
            assertThat(root.range()).isEqualTo(Range.ALL);
            List<String> keys = new ArrayList<>();
            collect(store, root, keys);
            assertThat(keys).hasSize(3 * PER_LEAF).doesNotHaveDuplicates().isSorted();
            assertThat(store.nodeNames().size())
                    .as("the files the root links, directly or not, and no more")
                    .isEqualTo(linked(store, root));
            long kept = 0;
            for (String name : store.nodeNames()) {
                kept += store.read(name).node().routing() ? 1 : 0;
            }
            assertThat(kept).as("routing nodes kept").isPositive().isLessThan(crowded);
        }
    }

    private static Node over(Range r, List<ChildRef> children) {
        int h = children.stream().mapToInt(ChildRef::height).max().orElseThrow() + 1;
        return TreeOp.marked(Node.internal(h, r, Cover.size(r, children), children, NOW));
    }

    /** A partial leaf of {@value #PER_LEAF} entries over [low, high), keys of its low. */
    private static Node crowdedLeaf(String low, String high) {
        List<Entry> entries = new ArrayList<>();
        for (int j = 0; j < PER_LEAF; j++) {
            entries.add(Entry.of(
                    (low == null ? "a" : low) + String.format(Locale.ROOT, "%03d", j),
                    "https://e.org/" + low + "/" + j,
                    "Page " + j,
                    ""));
        }
        return Node.leaf(
                        new Range(
                                low == null ? null : Bound.of(low),
                                high == null ? null : Bound.of(high)),
                        entries,
                        NOW)
                .withPartial(true);
    }

    private static int linked(NodeStore store, Node n) throws Exception {
        int files = 1;
        for (ChildRef c : n.children()) {
            if (org.distree.model.Links.isRelative(c.href())) {
                files += linked(store, store.read(TreeOp.nameOf(c.href())).node());
            }
        }
        return files;
    }

    /** Settles the pieces described above with {@code routing} routing nodes in each piece. */
    private Node settled(int routing) throws Exception {
        try (NodeStore store = NodeStore.open(dir, false)) {
            NodeCache cache = new NodeCache();
            TreeOp op = new TreeOp(store, cache, NOW);
            List<LocalTree.Written> pieces = new ArrayList<>();
            List<ChildRef> inPiece = new ArrayList<>();
            int total = 0;
            for (int b = 0; b < BLOCKS; b++) {
                for (int i = 0; i < RUN; i++) {
                    Node leaf = leaf(b, i, PER_LEAF).withPartial(true);
                    assertThat(Budgets.within(NodeWriter.byteSize(leaf), Budgets.MERGE_BELOW))
                            .isFalse();
                    inPiece.add(written(op, leaf));
                    total += PER_LEAF;
                }
                List<ChildRef> small = new ArrayList<>();
                for (int i = 0; i < SMALL; i++) {
                    small.add(written(op, leaf(b, RUN + i, 1)));
                    total++;
                }
                inPiece.add(written(op, node(small)));
                if (b % 2 == 1) {
                    for (int r = 0; r < routing; r++) {
                        inPiece.add(written(op, routing(b * routing + r)));
                    }
                    inPiece.sort(LocalTree.BY_LOW);
                    Node piece = node(inPiece);
                    assertThat(Rules.obeysSixteenX(piece)).isFalse();
                    String name = op.newName();
                    op.write(name, piece);
                    pieces.add(new LocalTree.Written(name, piece));
                    inPiece = new ArrayList<>();
                }
            }

            LocalTree.Written top = RootSettle.settle(op, pieces.get(0).node(), pieces);
            op.commit();

            Node root = store.read(top.name()).node();
            assertThat(Rules.fits(NodeWriter.byteSize(root))).isTrue();
            assertThat(root.range()).isEqualTo(Range.ALL);
            assertThat(root.size()).isEqualTo(total);
            List<String> keys = new ArrayList<>();
            collect(store, root, keys);
            assertThat(keys).hasSize(total).doesNotHaveDuplicates().isSorted();
            return root;
        }
    }

    private static ChildRef written(TreeOp op, Node n) {
        String name = op.newName();
        op.write(name, n);
        return op.item(LocalTree.href(name), n);
    }

    /** An internal node over these children, one level above the tallest. */
    private static Node node(List<ChildRef> children) {
        Range r = new Range(
                children.get(0).range().low(),
                children.get(children.size() - 1).range().high());
        int h = children.stream().mapToInt(ChildRef::height).max().orElseThrow() + 1;
        return TreeOp.marked(Node.internal(h, r, Cover.size(r, children), children, NOW));
    }

    /** A routing node {@code i}: one link to another machine's node, over a slice of keys. */
    private static Node routing(int i) {
        Range r = new Range(Bound.of(key(i % BLOCKS, i, 0)), Bound.of(key(i % BLOCKS, i, 5)));
        ChildRef remote = new ChildRef(
                "http://b.example/n/" + i + ".html",
                r,
                0,
                1_500,
                NOW,
                org.distree.model.Status.OK,
                java.util.Map.of());
        return new Node(
                Node.BASE_VERSION,
                1,
                r,
                1_500,
                NOW,
                null,
                null,
                List.of(),
                List.of(remote),
                java.util.Map.of(Node.ROUTING, "true"));
    }

    private static void collect(NodeStore store, Node n, List<String> keys) throws Exception {
        if (n.isLeaf()) {
            n.entries().forEach(e -> keys.add(e.key()));
            return;
        }
        for (ChildRef c : n.children()) {
            if (c.routing() || !org.distree.model.Links.isRelative(c.href())) {
                continue;
            }
            collect(store, store.read(TreeOp.nameOf(c.href())).node(), keys);
        }
    }

    /** Leaf {@code i} of block {@code b}, with {@code n} entries of long comments. */
    private static Node leaf(int b, int i, int n) {
        int last = RUN + SMALL - 1;
        Bound low = b == 0 && i == 0 ? null : Bound.of(key(b, i, 0));
        Bound high = b == BLOCKS - 1 && i == last
                ? null
                : Bound.of(i == last ? key(b + 1, 0, 0) : key(b, i + 1, 0));
        List<Entry> entries = new ArrayList<>();
        for (int j = 0; j < n; j++) {
            entries.add(Entry.of(
                    key(b, i, j + 1),
                    "https://e.org/" + b + "/" + i + "/" + j,
                    "Page " + j,
                    "words of a comment long enough to fill a leaf ".repeat(3).strip()));
        }
        return Node.leaf(new Range(low, high), entries, NOW);
    }

    private static String key(int b, int i, int j) {
        return String.format(Locale.ROOT, "k%02d-%02d-%03d", b, i, j);
    }
}
