package org.distree.tree;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.distree.model.Bound;
import org.distree.model.ChildRef;
import org.distree.model.Entry;
import org.distree.model.Node;
import org.distree.model.Range;
import org.distree.store.NodeStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node whose only child is a node of its own adds a level and nothing else: its parent, the
 * root included, links the child instead. A node over one empty child keeps 16x, so nothing
 * else took such a level away: a simulated ring (30 machines of 2,000 entries, Zipf
 * keys 1.3) grew towers of such nodes over an empty sliver of a hot key, one level a run, until
 * a root was of height 26.
 */
class SingleChildTest {
    static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    @TempDir
    Path dir;

    /**
     * Two leaves over the whole key space, cut at "m", the first empty, and a node of height 1
     * over the first.
     */
    private record Tree(
            String low, ChildRef lowItem, String high, Node highLeaf, String wrap, Node wrapper) {}

    private static Tree written(NodeStore store, NodeCache cache) throws java.io.IOException {
        TreeOp w = new TreeOp(store, cache, NOW);
        // Empty, as a sliver whose copies were withdrawn: a node over it keeps 16x (0 is at
        // least 16 times 0), so nothing else hands its child up.
        Node low = Node.leaf(new Range(null, Bound.of("m")), List.of(), NOW);
        Node high = Node.leaf(
                new Range(Bound.of("m"), null),
                List.of(Entry.of("pear", "https://e.org/p", "", "")),
                NOW);
        String lowName = w.newName();
        String highName = w.newName();
        w.write(lowName, low);
        w.write(highName, high);
        ChildRef lowItem = w.item(LocalTree.href(lowName), low);
        Node wrapper = TreeOp.marked(Node.internal(1, low.range(), 0, List.of(lowItem), NOW));
        String wrapName = w.newName();
        w.write(wrapName, wrapper);
        w.commit();
        return new Tree(lowName, lowItem, highName, high, wrapName, wrapper);
    }

    @Test
    void aPieceOfOneChildOfItsOwnIsReplacedByThatChild() throws Exception {
        try (NodeStore store = NodeStore.open(dir, false)) {
            NodeCache cache = new NodeCache();
            Tree t = written(store, cache);

            TreeOp op = new TreeOp(store, cache, NOW);
            List<ChildRef> refs = new ArrayList<>();
            op.addAcceptable(refs, new LocalTree.Written(t.wrap(), t.wrapper()));
            op.commit();

            assertThat(refs).containsExactly(t.lowItem());
            assertThat(store.exists(t.wrap())).isFalse();
            assertThat(store.exists(t.low())).isTrue();
        }
    }

    @Test
    void aRootCutWithAPieceOfOneChildLinksTheChildAndGrowsNoLevel() throws Exception {
        try (NodeStore store = NodeStore.open(dir, false)) {
            NodeCache cache = new NodeCache();
            Tree t = written(store, cache);
            Node oldRoot = LocalTree.rootOver(
                    1,
                    List.of(
                            t.lowItem(),
                            new TreeOp(store, cache, NOW)
                                    .item(LocalTree.href(t.high()), t.highLeaf())),
                    NOW,
                    null,
                    java.util.Map.of());

            TreeOp op = new TreeOp(store, cache, NOW);
            LocalTree.Written top = RootSettle.settle(
                    op,
                    oldRoot,
                    List.of(
                            new LocalTree.Written(t.wrap(), t.wrapper()),
                            new LocalTree.Written(t.high(), t.highLeaf())));
            op.commit();

            assertThat(top.node().height()).isEqualTo(1);
            assertThat(top.node().children())
                    .extracting(ChildRef::href)
                    .containsExactly(LocalTree.href(t.low()), LocalTree.href(t.high()));
            assertThat(store.exists(t.wrap())).isFalse();
        }
    }
}
