package org.distree.tree;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.distree.model.Bound;
import org.distree.model.ChildRef;
import org.distree.model.Entry;
import org.distree.model.Links;
import org.distree.model.Node;
import org.distree.model.Range;
import org.distree.model.Status;
import org.distree.store.NodeStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link LocalTree#vouch}: which nodes it marks {@value Node#PARTIAL}, that it writes nothing when
 * the marks are right, and that the marks stay true through the writes that follow (cuts,
 * merges, a root that grows).
 */
class LocalTreeVouchTest {
    @TempDir
    Path dir;

    /** The machine holds the keys below {@code m}. */
    static final Predicate<Range> BELOW_M = r -> Range.compareHighs(r.high(), Bound.of("m")) <= 0;

    /** An entry with a long comment, so that a leaf holds about twenty. */
    static Entry bulky(Random random) {
        String w = Trees.word(random);
        return Entry.of(
                w,
                "https://example.org/" + w + "/" + Integer.toHexString(random.nextInt()),
                "",
                "x".repeat(400));
    }

    static LocalTree open(Path dir) throws IOException {
        return LocalTree.open(NodeStore.open(dir, false), Clock.systemUTC());
    }

    /** Inserts {@code n} bulky entries in batches; returns them. */
    static List<Entry> fill(LocalTree tree, Random random, int n) throws IOException {
        List<Entry> all = new ArrayList<>();
        for (int i = 0; i < n; i += 500) {
            List<Entry> batch = new ArrayList<>();
            for (int j = i; j < Math.min(n, i + 500); j++) {
                batch.add(bulky(random));
            }
            tree.insert(batch);
            all.addAll(batch);
        }
        return all;
    }

    /** Every node the root reaches through local links, by file name, from the root down. */
    static Map<String, Node> localNodes(LocalTree tree) throws IOException {
        Map<String, Node> out = new LinkedHashMap<>();
        Deque<String> todo = new ArrayDeque<>(List.of(tree.rootName()));
        while (!todo.isEmpty()) {
            String name = todo.removeFirst();
            Node n = tree.read(name);
            out.put(name, n);
            for (ChildRef c : n.children()) {
                if (Links.isRelative(c.href())) {
                    todo.addLast(NodeStore.NODE_DIR + "/" + c.href());
                }
            }
        }
        return out;
    }

    /**
     * The marks are true: a leaf not marked partial lies in what the machine holds, an internal
     * node is marked exactly when a point of its range has only partial children, and each
     * local child item carries its child's mark.
     */
    static void assertMarksAreTrue(LocalTree tree, Predicate<Range> held) throws IOException {
        Map<String, Node> nodes = localNodes(tree);
        for (Map.Entry<String, Node> e : nodes.entrySet()) {
            Node n = e.getValue();
            if (n.isLeaf()) {
                assertThat(n.partial() || held.test(n.range()))
                        .as("%s %s is complete but not held", e.getKey(), n.range())
                        .isTrue();
                continue;
            }
            assertThat(n.partial())
                    .as("%s %s", e.getKey(), n.range())
                    .isEqualTo(TreeOp.partial(n.range(), n.children()));
            for (ChildRef c : n.children()) {
                if (Links.isRelative(c.href())) {
                    assertThat(c.partial())
                            .as("%s's item for %s", e.getKey(), c.href())
                            .isEqualTo(nodes.get(NodeStore.NODE_DIR + "/" + c.href())
                                    .partial());
                }
            }
        }
    }

    static long internalNodes(LocalTree tree) throws IOException {
        return localNodes(tree).values().stream().filter(n -> !n.isLeaf()).count();
    }

    /** Every file of the tree folder, by path, with its bytes as text. */
    static Map<Path, String> files(Path dir) throws IOException {
        Map<Path, String> out = new LinkedHashMap<>();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                if (!p.startsWith(dir.resolve(".distree"))) {
                    out.put(p, Files.readString(p, java.nio.charset.StandardCharsets.UTF_8));
                }
            }
        }
        return out;
    }

    @Test
    void vouchMarksTheLeavesOutsideWhatIsHeldAndTheInternalNodesAndItemsAboveThem()
            throws Exception {
        try (LocalTree tree = open(dir)) {
            fill(tree, new Random(11), 3000);
            assertThat(tree.root().height()).isGreaterThanOrEqualTo(2);
            assertThat(localNodes(tree).values()).noneMatch(Node::partial);

            int written = tree.vouch(BELOW_M);

            Map<String, Node> nodes = localNodes(tree);
            assertThat(written).isPositive();
            for (Map.Entry<String, Node> e : nodes.entrySet()) {
                Node n = e.getValue();
                // One machine's tree has no alternates: a node is partial exactly where its
                // range reaches above what is held, a leaf and an internal node alike.
                assertThat(n.partial())
                        .as("%s %s", e.getKey(), n.range())
                        .isEqualTo(!BELOW_M.test(n.range()));
            }
            assertThat(nodes.values()).anyMatch(n -> n.isLeaf() && n.partial());
            assertThat(nodes.values()).anyMatch(n -> n.isLeaf() && !n.partial());
            assertThat(nodes.values()).anyMatch(n -> !n.isLeaf() && !n.partial());
            assertThat(tree.root().partial()).isTrue();
            assertMarksAreTrue(tree, BELOW_M);
            // Written files are what was counted, and the marked tree keeps every rule.
            assertThat(Trees.lint(tree).violations()).isEmpty();
            assertThat(Files.readString(
                            dir.resolve(tree.rootName()), java.nio.charset.StandardCharsets.UTF_8))
                    .contains(Node.PARTIAL + "=\"true\"");
        }
    }

    @Test
    void aSecondVouchWritesNothing() throws Exception {
        try (LocalTree tree = open(dir)) {
            fill(tree, new Random(12), 1500);
            assertThat(tree.vouch(BELOW_M)).isPositive();
            Map<Path, String> before = files(dir);

            assertThat(tree.vouch(BELOW_M)).isZero();

            assertThat(files(dir)).isEqualTo(before);
        }
    }

    @Test
    void holdingEveryRangeOfAnUnmarkedTreeWritesNothing() throws Exception {
        try (LocalTree tree = open(dir)) {
            fill(tree, new Random(13), 1500);
            Map<Path, String> before = files(dir);

            assertThat(tree.vouch(r -> true)).isZero();

            assertThat(files(dir)).isEqualTo(before);
            assertThat(before.values()).noneMatch(html -> html.contains(Node.PARTIAL));
        }
    }

    @Test
    void vouchingForEverythingAgainClearsEveryMark() throws Exception {
        try (LocalTree tree = open(dir)) {
            fill(tree, new Random(14), 1500);
            tree.vouch(BELOW_M);

            assertThat(tree.vouch(r -> true)).isPositive();

            assertThat(localNodes(tree).values()).noneMatch(Node::partial);
            assertThat(localNodes(tree).values())
                    .flatMap(Node::children)
                    .noneMatch(ChildRef::partial);
            assertThat(tree.vouch(r -> true)).isZero();
        }
    }

    @Test
    void thePiecesOfAPartialLeafCutByAnInsertArePartial() throws Exception {
        Random random = new Random(15);
        try (LocalTree tree = open(dir)) {
            tree.insert(List.of(bulky(random)));
            assertThat(tree.vouch(r -> false)).isEqualTo(1);
            assertThat(tree.root().isLeaf()).isTrue();
            assertThat(tree.root().partial()).isTrue();

            fill(tree, random, 200);

            Map<String, Node> nodes = localNodes(tree);
            assertThat(tree.root().isLeaf()).isFalse();
            assertThat(nodes.values().stream().filter(Node::isLeaf).count()).isGreaterThan(2);
            assertThat(nodes.values()).allMatch(Node::partial);
            assertThat(nodes.values()).flatMap(Node::children).allMatch(ChildRef::partial);
            assertThat(tree.vouch(r -> false)).isZero();
        }
    }

    @Test
    void marksStayTrueThroughInsertsThatCutLeavesAndInternalNodes() throws Exception {
        Random random = new Random(16);
        TreeSet<Entry> expected = new TreeSet<>();
        try (LocalTree tree = open(dir)) {
            expected.addAll(fill(tree, random, 1000));
            tree.vouch(BELOW_M);
            long internalBefore = internalNodes(tree);

            expected.addAll(fill(tree, random, 3000));

            assertThat(internalNodes(tree)).isGreaterThan(internalBefore);
            assertMarksAreTrue(tree, BELOW_M);
            assertThat(Trees.lint(tree).violations()).isEmpty();
        }
        assertThat(Trees.all(dir)).containsExactlyElementsOf(expected);
    }

    @Test
    void aCompleteLeafIsNotMergedWithAPartialNeighbour() throws Exception {
        Random random = new Random(17);
        try (LocalTree tree = open(dir)) {
            fill(tree, random, 1500);
            // A parent of leaves, and a boundary between its second and third: the second
            // leaf is held, the third not.
            Node parent = localNodes(tree).values().stream()
                    .filter(n -> n.height() == 1 && n.children().size() >= 3)
                    .findFirst()
                    .orElseThrow();
            ChildRef second = parent.children().get(1);
            ChildRef third = parent.children().get(2);
            Bound boundary = second.range().high();
            Predicate<Range> held = r -> Range.compareHighs(r.high(), boundary) <= 0;
            tree.vouch(held);
            String secondName = NodeStore.NODE_DIR + "/" + second.href();
            String thirdName = NodeStore.NODE_DIR + "/" + third.href();
            assertThat(tree.read(secondName).partial()).isFalse();
            assertThat(tree.read(thirdName).partial()).isTrue();

            // Emptying the held leaf (and thinning its neighbour, so the two would fit in one
            // file) does not merge them: a merged leaf could vouch for neither side, and the
            // next vouch would cut it again at the same edge.
            List<Bound> gone = new ArrayList<>();
            tree.read(secondName).entries().forEach(e -> gone.add(e.position()));
            List<Entry> thirdEntries = tree.read(thirdName).entries();
            for (int i = 0; i < thirdEntries.size(); i += 2) {
                gone.add(thirdEntries.get(i).position());
            }
            tree.delete(gone);

            Node kept = tree.read(secondName);
            assertThat(kept.entries()).isEmpty();
            assertThat(kept.partial()).isFalse();
            assertThat(kept.range().meets(third.range())).isFalse();
            assertThat(tree.read(thirdName).partial()).isTrue();
            assertMarksAreTrue(tree, held);
        }
    }

    @Test
    void aPartialLeafRootGrownByAnEditMakesAPartialRoot() throws Exception {
        try (LocalTree tree = open(dir)) {
            tree.insert(List.of(Entry.of("apple", "https://e.org/a", "", "")));
            tree.vouch(r -> false);
            String oldRoot = tree.rootName();

            tree.editChildren(Map.of(
                    oldRoot,
                    c -> List.of(LocalTreeEditTest.remote(
                            "http://b.example/n/1.html", "a", "m", 0, 40))));

            // Only the old root, partial, holds the keys outside [a, m).
            Node root = tree.root();
            assertThat(root.isLeaf()).isFalse();
            assertThat(root.children())
                    .filteredOn(c -> c.href().startsWith("http"))
                    .hasSize(1);
            assertThat(root.partial()).isTrue();
            assertMarksAreTrue(tree, r -> false);
            assertThat(tree.vouch(r -> false)).isZero();
        }
    }

    @Test
    void aPartialLeafRootGrownByAnEditWithACompleteAlternateEverywhereIsComplete()
            throws Exception {
        try (LocalTree tree = open(dir)) {
            tree.insert(List.of(Entry.of("apple", "https://e.org/a", "", "")));
            tree.vouch(r -> false);
            ChildRef everything = new ChildRef(
                    "http://b.example/n/1.html",
                    Range.ALL,
                    0,
                    40,
                    Instant.parse("2026-11-22T10:00:00Z"),
                    Status.OK,
                    Map.of());

            tree.editChildren(Map.of(tree.rootName(), c -> List.of(everything)));

            assertThat(tree.root().isLeaf()).isFalse();
            assertThat(tree.root().partial()).isFalse();
            assertMarksAreTrue(tree, r -> false);
        }
    }
}
