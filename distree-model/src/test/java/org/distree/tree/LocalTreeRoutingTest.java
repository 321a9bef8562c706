package org.distree.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.distree.html.NodeWriter;
import org.distree.model.Bound;
import org.distree.model.ChildRef;
import org.distree.model.Entry;
import org.distree.model.Links;
import org.distree.model.Node;
import org.distree.model.Range;
import org.distree.model.Status;
import org.distree.rules.Budgets;
import org.distree.rules.Cover;
import org.distree.rules.Rules;
import org.distree.store.NodeStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalTreeRoutingTest {
    static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");

    @TempDir
    Path dir;

    /** {@code n} remote leaves of 40 entries tiling the whole key space, from one machine. */
    static List<ChildRef> tiling(String host, int n) {
        List<ChildRef> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Bound low = i == 0 ? null : Bound.of(String.format(Locale.ROOT, "k%03d", i));
            Bound high = i == n - 1 ? null : Bound.of(String.format(Locale.ROOT, "k%03d", i + 1));
            out.add(new ChildRef(
                    "http://" + host + "/n/" + i + ".html",
                    new Range(low, high),
                    0,
                    40,
                    NOW,
                    Status.OK,
                    Map.of()));
        }
        return out;
    }

    static Node routing(List<ChildRef> children, Range range) {
        return Node.internal(1, range, 40L * children.size(), children, NOW);
    }

    @Test
    void aPartialLeafRootGrowsARootThatLinksCompleteNodesAndIsCompleteThen() throws Exception {
        try (LocalTree tree = LocalTreeVouchTest.open(dir)) {
            tree.insert(List.of(Entry.of("apple", "https://e.org/a", "", "")));
            tree.vouch(r -> false);
            assertThat(tree.root().partial()).isTrue();
            List<ChildRef> remote = tiling("b.example", 3);
            assertThat(tree.setRouting(remote, List.of())).isPositive();
            Node root = tree.root();
            assertThat(root.height()).isEqualTo(1);
            assertThat(root.partial()).isFalse();
            assertThat(root.children()).hasSize(4);
            // The same links again write nothing.
            assertThat(tree.setRouting(remote, List.of())).isZero();
            assertThat(Trees.lint(tree).violations()).isEmpty();
        }
    }

    @Test
    void routingNodesKeepTheirFilesAndEntriesNeverGoThroughThem() throws Exception {
        try (LocalTree tree = LocalTreeVouchTest.open(dir)) {
            Random random = new Random(3);
            LocalTreeVouchTest.fill(tree, random, 300);
            tree.vouch(r -> false);
            List<ChildRef> all = tiling("b.example", 40);
            Node low = routing(all.subList(0, 20), new Range(null, Bound.of("k020")));
            Node high = routing(all.subList(20, 40), new Range(Bound.of("k020"), null));
            tree.setRouting(List.of(), List.of(low, high));
            Node root = tree.root();
            assertThat(root.partial()).isFalse();
            List<String> routingFiles = new ArrayList<>();
            for (ChildRef c : root.children()) {
                if (c.routing()) {
                    routingFiles.add(c.href());
                    Node n = tree.read(NodeStore.NODE_DIR + "/" + c.href());
                    assertThat(n.routing()).isTrue();
                    assertThat(n.children()).allMatch(x -> !Links.isRelative(x.href()));
                }
            }
            assertThat(routingFiles).hasSize(2);
            assertThat(Trees.lint(tree).violations()).isEmpty();

            // Entries go to the leaves that hold entries, never into a routing node.
            List<Entry> more = LocalTreeVouchTest.fill(tree, random, 200);
            assertThat(more).isNotEmpty();
            for (String f : routingFiles) {
                Node n = tree.read(NodeStore.NODE_DIR + "/" + f);
                assertThat(n.children()).allMatch(x -> !Links.isRelative(x.href()));
            }

            // New routing, fewer nodes: the first keeps its file, the other file goes.
            Node one = routing(all.subList(0, 40), Range.ALL);
            tree.setRouting(List.of(), List.of(one));
            List<String> now = tree.root().children().stream()
                    .filter(ChildRef::routing)
                    .map(ChildRef::href)
                    .toList();
            assertThat(now).containsExactly(routingFiles.get(0));
            assertThat(Files.exists(dir.resolve(NodeStore.NODE_DIR).resolve(routingFiles.get(1))))
                    .isFalse();
            assertThat(Trees.lint(tree).violations()).isEmpty();
        }
    }

    /**
     * The sync's routing, then a link check that finds most links of a routing node dead: its
     * size (along the live cover) falls under 16 times its largest link, so the root links its
     * children instead, goes over 10 KB and is cut in pieces. A cut at the low of a routing node
     * that starts at the lowest key left a piece over every key whose only local child was the
     * first leaf, and the root preferred that piece for every key: the next insert found no local
     * child for its key.
     */
    @Test
    void aRootCutInPiecesStillPlacesEveryKeyThroughItsOwnLeaves() throws Exception {
        try (LocalTree tree = LocalTreeVouchTest.open(dir)) {
            Random random = new Random(5);
            LocalTreeVouchTest.fill(tree, random, 300);
            List<ChildRef> all = tiling("b.example", 40);
            Node low = routing(all.subList(0, 20), new Range(null, Bound.of("k020")));
            Node whole = routing(all, Range.ALL);
            Node high = routing(all.subList(20, 40), new Range(Bound.of("k020"), null));
            tree.setRouting(tiling("c.example", 24), List.of(low, whole, high));
            String highFile = tree.root().children().stream()
                    .filter(c -> c.routing() && c.range().low() != null)
                    .findFirst()
                    .orElseThrow()
                    .href();

            List<ChildRef> checked = new ArrayList<>();
            for (ChildRef c : all.subList(20, 40)) {
                checked.add(
                        checked.size() < 2
                                ? c
                                : new ChildRef(
                                        c.href(),
                                        c.range(),
                                        c.height(),
                                        c.size(),
                                        NOW,
                                        Status.DEAD,
                                        c.extra()));
            }
            tree.editChildren(Map.of(NodeStore.NODE_DIR + "/" + highFile, c -> checked));

            Map<String, Node> nodes = LocalTreeVouchTest.localNodes(tree);
            // The routing nodes that obey 16x are still linked from the tree.
            assertThat(nodes.values().stream().filter(Node::routing).map(Node::range))
                    .containsExactlyInAnyOrder(low.range(), whole.range());
            for (Map.Entry<String, Node> e : nodes.entrySet()) {
                Node n = e.getValue();
                if (n.isLeaf() || n.routing()) {
                    continue;
                }
                List<ChildRef> cover = n.children().stream()
                        .filter(c -> Links.isRelative(c.href()) && !c.routing())
                        .toList();
                assertThat(Cover.firstGap(n.range(), cover))
                        .as("%s %s", e.getKey(), n.range())
                        .isEmpty();
            }
            assertThat(LocalTreeVouchTest.fill(tree, random, 300)).hasSize(300);
            assertThat(Trees.ruleBreaks(dir)).isEmpty();
        }
    }

    /**
     * A root that links routing nodes beside its own leaves, filled until the leaves no longer
     * fit beside them. Only a root may link a routing node (any other node would need 16 times
     * its size), so every piece of the root's even cut broke 16x and was spliced back into the
     * next root, as full: the insert was refused ("too few child links fit"), as a simulated
     * ring of 10 machines with 1,000 own entries each found in its third round. The root's
     * leaves now go one level down in groups (those that start no group stay), and the routing
     * stays on the root.
     */
    @Test
    void aRingRootFullOfLeavesGroupsThemOneLevelDownAndKeepsItsRouting() throws Exception {
        try (LocalTree tree = LocalTreeVouchTest.open(dir)) {
            Random random = new Random(7);
            LocalTreeVouchTest.fill(tree, random, 100);
            List<ChildRef> all = tiling("b.example", 40);
            Node low = routing(all.subList(0, 20), new Range(null, Bound.of("k020")));
            Node high = routing(all.subList(20, 40), new Range(Bound.of("k020"), null));
            tree.setRouting(List.of(), List.of(low, high));

            assertThat(LocalTreeVouchTest.fill(tree, random, 6000)).hasSize(6000);

            Node root = tree.root();
            assertThat(root.children().stream().filter(ChildRef::routing))
                    .extracting(ChildRef::range)
                    .containsExactlyInAnyOrder(low.range(), high.range());
            assertThat(root.children())
                    .filteredOn(c -> !c.routing() && c.height() == 1)
                    .as("groups of leaves one level down")
                    .hasSizeGreaterThan(1);
            assertThat(LocalTreeVouchTest.localNodes(tree).values().stream()
                            .mapToLong(n -> n.isLeaf() ? n.entries().size() : 0)
                            .sum())
                    .isEqualTo(6100);
            assertThat(Trees.ruleBreaks(dir)).isEmpty();
        }
    }

    @Test
    void aRootThatWouldNotFitIsRefusedAndNothingChanges() throws Exception {
        try (LocalTree tree = LocalTreeVouchTest.open(dir)) {
            tree.insert(List.of(Entry.of("apple", "https://e.org/a", "", "")));
            Node before = tree.root();
            assertThatThrownBy(() -> tree.setRouting(tiling("b.example", 200), List.of()))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("bytes");
            assertThat(tree.root()).isEqualTo(before);
        }
    }

    @Test
    void aSecondLevelLinksRoutingNodesFromRoutingNodesAndIsWrittenOnce() throws Exception {
        try (LocalTree tree = LocalTreeVouchTest.open(dir)) {
            tree.insert(List.of(Entry.of("apple", "https://e.org/a", "", "")));
            List<ChildRef> all = tiling("b.example", 640);
            List<Node> lower = new ArrayList<>();
            for (int i = 0; i < 640; i += 20) {
                Bound low = all.get(i).range().low();
                Bound high = all.get(i + 19).range().high();
                lower.add(routing(all.subList(i, i + 20), new Range(low, high)));
            }
            List<List<Integer>> upper = List.of(
                    java.util.stream.IntStream.range(0, 16).boxed().toList(),
                    java.util.stream.IntStream.range(16, 32).boxed().toList());

            assertThat(tree.setRouting(List.of(), lower, upper)).isPositive();

            Map<String, Node> nodes = LocalTreeVouchTest.localNodes(tree);
            List<Node> routingNodes =
                    nodes.values().stream().filter(Node::routing).toList();
            assertThat(routingNodes).hasSize(34);
            List<ChildRef> fromRoot =
                    tree.root().children().stream().filter(ChildRef::routing).toList();
            assertThat(fromRoot).hasSize(2).allMatch(c -> c.height() == 2);
            assertThat(tree.root().height()).isEqualTo(3);
            assertThat(Trees.lint(tree).violations()).isEmpty();
            // The same routing again: nothing to write.
            assertThat(tree.setRouting(List.of(), lower, upper)).isZero();
            // Back to one level: the upper nodes go, the lower ones are linked from the root.
            assertThat(tree.setRouting(List.of(), lower.subList(0, 4), List.of()))
                    .isPositive();
            assertThat(tree.root().children().stream().filter(ChildRef::routing))
                    .hasSize(4);
            assertThat(LocalTreeVouchTest.localNodes(tree).values().stream().filter(Node::routing))
                    .hasSize(4);
            assertThatThrownBy(() -> tree.setRouting(List.of(), lower, List.of(List.of(0, 0))))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    /**
     * One link of one routing node changes (another machine's leaf under a new name): that node
     * and the nodes above it are written, every other routing node keeps its file byte for byte.
     * Before, every routing node was written again with a new date, some thousands of files a
     * round on a ring whose hot key's leaf changed name each run.
     */
    @Test
    void oneChangedLinkRewritesOnlyItsRoutingNodeAndThoseAbove() throws Exception {
        try (LocalTree tree = LocalTreeVouchTest.open(dir)) {
            tree.insert(List.of(Entry.of("apple", "https://e.org/a", "", "")));
            List<ChildRef> all = new ArrayList<>(tiling("b.example", 640));
            List<List<Integer>> upper = List.of(
                    java.util.stream.IntStream.range(0, 16).boxed().toList(),
                    java.util.stream.IntStream.range(16, 32).boxed().toList());
            tree.setRouting(List.of(), lowerOf(all), upper);
            Path nodeDir = dir.resolve(NodeStore.NODE_DIR);
            Map<String, byte[]> before = new java.util.HashMap<>();
            try (var files = Files.list(nodeDir)) {
                for (Path f : files.toList()) {
                    before.put(f.getFileName().toString(), Files.readAllBytes(f));
                }
            }

            ChildRef old = all.get(105);
            all.set(
                    105,
                    new ChildRef(
                            "http://b.example/n/renamed.html",
                            old.range(),
                            0,
                            40,
                            NOW,
                            Status.OK,
                            Map.of()));
            // The lower node of the link, its upper node and the root.
            assertThat(tree.setRouting(List.of(), lowerOf(all), upper)).isEqualTo(3);

            int same = 0;
            int changed = 0;
            for (Map.Entry<String, byte[]> f : before.entrySet()) {
                Path p = nodeDir.resolve(f.getKey());
                if (java.util.Arrays.equals(Files.readAllBytes(p), f.getValue())) {
                    same++;
                } else {
                    changed++;
                }
            }
            assertThat(changed).isEqualTo(3);
            assertThat(same).isEqualTo(before.size() - 3);
            assertThat(LocalTreeVouchTest.localNodes(tree).values().stream()
                            .filter(Node::routing)
                            .flatMap(n -> n.children().stream())
                            .map(ChildRef::href))
                    .contains("http://b.example/n/renamed.html")
                    .doesNotContain(old.href());
            assertThat(Trees.lint(tree).violations()).isEmpty();
        }
    }

    /** Routing nodes of 20 links each over {@code all}, in key order. */
    private static List<Node> lowerOf(List<ChildRef> all) {
        List<Node> lower = new ArrayList<>();
        for (int i = 0; i < all.size(); i += 20) {
            Bound low = all.get(i).range().low();
            Bound high = all.get(i + 19).range().high();
            lower.add(routing(all.subList(i, i + 20), new Range(low, high)));
        }
        return lower;
    }

    @Test
    void aRootFullOfItsOwnLeavesIsGroupedInHalfFilesToMakeRoom() throws Exception {
        // Leaves added in batches until the root links so many that it is over the fill
        // routing may use (0.85 of 10 KB) but still under 10 KB: it would never be cut, and no
        // routing would ever fit beside its leaves.
        try (LocalTree tree = LocalTreeVouchTest.open(dir)) {
            Random random = new Random(7);
            int n = 0;
            Node root = tree.root();
            while (root.isLeaf()
                    || NodeWriter.byteSize(root) <= Budgets.ADOPT_FILL * Rules.MAX_FILE_BYTES) {
                assertThat(root.height())
                        .as("the root was cut before it filled")
                        .isLessThan(2);
                List<Entry> batch = new ArrayList<>();
                for (int i = 0; i < 40; i++, n++) {
                    String key = String.format(Locale.ROOT, "k%09d", random.nextInt(1_000_000_000));
                    batch.add(Entry.of(key, "https://e.org/p/" + n, "Page " + n, ""));
                }
                tree.insert(batch);
                root = tree.root();
            }
            int before = root.children().size();

            assertThat(tree.groupRoot()).isPositive();

            Node grouped = tree.root();
            assertThat(grouped.height()).isEqualTo(2);
            assertThat(grouped.children().size()).isLessThan(before / 4);
            assertThat(grouped.size()).isEqualTo(n);
            for (ChildRef c : grouped.children()) {
                Node child = tree.read(TreeOp.nameOf(c.href()));
                assertThat(Rules.fits(child)).isTrue();
                assertThat(Rules.obeysSixteenX(child)).isTrue();
            }
            assertThat(NodeWriter.byteSize(grouped))
                    .isLessThan((int) (Budgets.ADOPT_FILL * Rules.MAX_FILE_BYTES));
            assertThat(Trees.lint(tree).violations()).isEmpty();
            // Nothing more to group: the root's children are groups now, too few for a run.
            assertThat(tree.groupRoot()).isZero();
        }
    }
}
