package org.distree.tree;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.distree.html.NodeReader;
import org.distree.model.Bound;
import org.distree.model.ChildRef;
import org.distree.model.Links;
import org.distree.model.Node;
import org.distree.model.Range;
import org.distree.model.Status;
import org.distree.rules.Cover;
import org.distree.rules.Rules;
import org.junit.jupiter.api.Test;

class NodeSplitterTest {
    static final Instant NOW = Instant.parse("2026-12-04T10:00:00Z");

    private static ChildRef local(
            String href, Range range, int height, long size, String... marks) {
        Map<String, String> extra = new HashMap<>();
        for (String m : marks) {
            extra.put(m, "true");
        }
        return new ChildRef(href, range, height, size, NOW, Status.OK, extra);
    }

    private static Bound key(String prefix, int i) {
        return Bound.of(String.format(Locale.ROOT, "%s%03d", prefix, i));
    }

    /**
     * A ring machine's root as the link check leaves it when it hands a routing node's links up
     * to the root: a small first leaf, two routing nodes whose ranges start at the lowest key (one
     * of them over every key) and one from the last leaf's low up, the machine's other leaves, and links
     * to another machine's leaves, over 10 KB in all.
     */
    private static Node rootWithRoutingNodes() {
        List<ChildRef> children = new ArrayList<>();
        children.add(local("1.html", new Range(null, key("a", 0)), 0, 8));
        children.add(local("21.html", new Range(null, key("n", 0)), 1, 840, Node.ROUTING));
        children.add(local("41.html", Range.ALL, 1, 920, Node.ROUTING));
        int leaves = 25;
        children.add(local("42.html", new Range(key("a", leaves - 1), null), 1, 400, Node.ROUTING));
        for (int i = 0; i < leaves; i++) {
            Bound high = i == leaves - 1 ? null : key("a", i + 1);
            children.add(local(
                    Integer.toHexString(0x50 + i) + ".html", new Range(key("a", i), high), 0, 30));
        }
        children.addAll(LocalTreeRoutingTest.tiling("b.example", 60));
        children.sort(LocalTree.BY_LOW);
        Node root = Node.internal(2, Range.ALL, Cover.size(Range.ALL, children), children, NOW);
        assertThat(Rules.fits(root)).as("the root is over 10 KB").isFalse();
        return root;
    }

    private static List<ChildRef> cover(Node piece) {
        return piece.children().stream()
                .filter(c -> Links.isRelative(c.href()) && !c.routing())
                .toList();
    }

    @Test
    void everyPieceOfANodeThatLinksRoutingNodesIsCoveredByItsOwnLocalChildren() {
        Node root = rootWithRoutingNodes();

        List<Node> pieces = new NodeSplitter(NOW).split(root);

        assertThat(pieces).hasSizeGreaterThan(1).allMatch(Rules::fits);
        // The pieces tile the node's range, in order, each a range of its own.
        assertThat(pieces.get(0).range().low()).isNull();
        assertThat(pieces.get(pieces.size() - 1).range().high()).isNull();
        for (int i = 0; i + 1 < pieces.size(); i++) {
            Bound high = pieces.get(i).range().high();
            assertThat(high).as("piece %d's high", i).isNotNull();
            assertThat(high).isEqualTo(pieces.get(i + 1).range().low());
        }
        // Entries are placed only through local children that are not routing nodes: they
        // cover each piece's whole range.
        for (Node p : pieces) {
            assertThat(Cover.firstGap(p.range(), cover(p))).as("%s", p.range()).isEmpty();
        }
    }

    @Test
    void eachRoutingNodeGoesWithThePieceThatHoldsItsLow() {
        List<Node> pieces = new NodeSplitter(NOW).split(rootWithRoutingNodes());

        for (Node p : pieces) {
            for (ChildRef c : p.children()) {
                if (c.routing()) {
                    assertThat(
                                    c.range().low() == null
                                            ? p.range().low() == null
                                            : p.range().contains(c.range().low()))
                            .as("%s in %s", c.href(), p.range())
                            .isTrue();
                }
            }
        }
        // 42.html starts where the last leaf does, which the last piece holds.
        assertThat(pieces.get(pieces.size() - 1).children())
                .anyMatch(c -> c.href().equals("42.html"));
    }

    /**
     * The root a machine of a churned ring could not settle (a simulated ring of 50 machines with
     * 1,000 entries each, 5% replaced a round, round 11, the file as the cut refused it): 74
     * routing nodes beside 9 children of its own, 60 of them starting before the second child.
     * No cut places them all; without those that the finest cut cannot place, the root is cut.
     */
    @Test
    void theRoutingNodesNoCutPlacesAreFoundAndTheRestAreCut() throws Exception {
        Node root;
        try (var in = NodeSplitterTest.class.getResourceAsStream("crowded-ring-root.html")) {
            root = NodeReader.parse(
                            new String(in.readAllBytes(), StandardCharsets.UTF_8), "root.html")
                    .node();
        }
        NodeSplitter splitter = new NodeSplitter(NOW);
        assertThatThrownBy(() -> splitter.split(root)).isInstanceOf(IllegalStateException.class);
        List<ChildRef> own = root.children().stream().filter(c -> !c.routing()).toList();
        Bound second = own.get(1).range().low();

        List<ChildRef> dropped = splitter.unplaceableRouting(root);

        assertThat(dropped)
                .isNotEmpty()
                .allMatch(ChildRef::routing)
                .allMatch(c -> Range.compareLows(c.range().low(), second) < 0);
        List<ChildRef> kept = new ArrayList<>(root.children());
        kept.removeAll(dropped);
        Node fewer = root.withChildren(kept, root.range(), root.size(), NOW);
        List<Node> pieces = splitter.split(fewer);
        assertThat(pieces).hasSizeGreaterThan(1).allMatch(Rules::fits);
        assertThat(pieces.stream().flatMap(p -> p.children().stream()).toList())
                .containsExactlyInAnyOrderElementsOf(kept);
        assertThat(splitter.unplaceableRouting(fewer)).isEmpty();
    }

    @Test
    void aRoutingNodeIsCutByItsLinksAndEachPieceStaysARoutingNode() {
        List<ChildRef> links = LocalTreeRoutingTest.tiling("b.example", 90);
        Node routing = Node.internal(1, Range.ALL, Cover.size(Range.ALL, links), links, NOW);
        Map<String, String> extra = new HashMap<>(routing.extra());
        extra.put(Node.ROUTING, "true");
        routing = new Node(
                routing.version(),
                routing.height(),
                routing.range(),
                routing.size(),
                routing.updated(),
                null,
                null,
                List.of(),
                routing.children(),
                extra);
        assertThat(Rules.fits(routing)).isFalse();

        List<Node> pieces = new NodeSplitter(NOW).split(routing);

        assertThat(pieces).hasSizeGreaterThan(1).allMatch(Rules::fits).allMatch(Node::routing);
        assertThat(pieces.stream().flatMap(p -> p.children().stream()))
                .containsExactlyElementsOf(links);
        for (Node p : pieces) {
            assertThat(Cover.firstGap(p.range(), p.children()))
                    .as("%s", p.range())
                    .isEmpty();
        }
    }

    @Test
    void eachLocalChildGoesToExactlyOnePiece() {
        Node root = rootWithRoutingNodes();

        List<Node> pieces = new NodeSplitter(NOW).split(root);

        List<String> local = new ArrayList<>();
        pieces.forEach(p -> p.children().stream()
                .filter(c -> Links.isRelative(c.href()))
                .forEach(c -> local.add(c.href())));
        List<String> expected = root.children().stream()
                .filter(c -> Links.isRelative(c.href()))
                .map(ChildRef::href)
                .toList();
        assertThat(local).containsExactlyInAnyOrderElementsOf(expected);
    }
}
