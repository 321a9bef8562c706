package org.distree.tree;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.distree.html.NodeWriter;
import org.distree.model.Bound;
import org.distree.model.ChildRef;
import org.distree.model.Entry;
import org.distree.model.Links;
import org.distree.model.Node;
import org.distree.model.Range;
import org.distree.rules.Budgets;
import org.distree.rules.Cover;
import org.distree.rules.Rules;

/**
 * Cuts a node that breaks the 10 KB rule into pieces that each fit: a leaf by entry count, an
 * internal node by subtree size over its local children that are not routing nodes (the cover
 * entries are placed through; each routing node goes with the piece that holds its low, and links
 * to other machines follow the pieces while they fit), and, when the even cut leaves pieces that
 * break the 16x rule, by a cut made for that rule. The first piece keeps the node's height; later
 * pieces are new nodes and take the lowest height above their children.
 */
final class NodeSplitter {
    private final Instant now;

    NodeSplitter(Instant now) {
        this.now = now;
    }

    List<Node> split(Node node) {
        int capacity = Math.max(1, Budgets.itemCapacity(NodeWriter.fixedBytes(node)));
        int groups = groupsFor(node);
        for (int attempt = 0; attempt < 16; attempt++, groups++) {
            List<Node> pieces = node.isLeaf()
                    ? splitLeaf(node, capacity, groups)
                    : splitInternal(node, capacity, groups);
            if (pieces.stream().allMatch(Rules::fits) && pieces.size() > 1) {
                return node.isLeaf() ? pieces : fewerSplices(node, capacity, pieces);
            }
        }
        throw new IllegalStateException("cannot cut " + node.range() + " into pieces that"
                + " fit the " + Rules.MAX_FILE_BYTES + " byte limit");
    }

    /**
     * The local routing nodes that no cut of this internal node can place, to be dropped before
     * it is cut (routing nodes hold no entry, and the routing job makes them again within the
     * room the root has left). A routing node goes with the piece that holds its low, so those
     * that start between two adjacent local children go with one piece, whatever the cut; where
     * more start there than a file holds beside the child (a churned ring's root held 74
     * routing nodes beside 9 children of its own, 60 before the second), no cut places them
     * all. Found on the finest cut, which every other cut only joins: the last of each piece's
     * routing nodes while the piece is over 10 KB. Empty for a leaf, and when every piece of
     * the finest cut fits.
     */
    List<ChildRef> unplaceableRouting(Node node) {
        if (node.isLeaf()) {
            return List.of();
        }
        Children children = Children.of(node);
        List<List<ChildRef>> parts = singletons(children.cut());
        List<ChildRef> out = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            List<ChildRef> held = routingHeldBy(children, parts, i);
            if (held.isEmpty()) {
                continue;
            }
            Range r = pieceRange(node, parts, i);
            List<ChildRef> part = new ArrayList<>(parts.get(i));
            part.addAll(held);
            part.sort(LocalTree.BY_LOW);
            while (!held.isEmpty() && !Rules.fits(piece(node, part, r))) {
                ChildRef last = held.remove(held.size() - 1);
                part.remove(last);
                out.add(last);
            }
        }
        return out;
    }

    /** The routing nodes that go with part {@code i}: those whose low it holds, in key order. */
    private static List<ChildRef> routingHeldBy(
            Children children, List<List<ChildRef>> parts, int i) {
        List<ChildRef> held = new ArrayList<>();
        for (ChildRef rt : children.routing()) {
            if (holderOf(rt, parts) == i) {
                held.add(rt);
            }
        }
        return held;
    }

    private static List<List<ChildRef>> singletons(List<ChildRef> children) {
        return children.stream().map(List::of).toList();
    }

    /** The pieces the even cut of a node over 10 KB starts from: at least two. */
    static int groupsFor(Node node) {
        int capacity = Math.max(1, Budgets.itemCapacity(NodeWriter.fixedBytes(node)));
        long totalBytes = (long) NodeWriter.byteSize(node) - NodeWriter.fixedBytes(node);
        return Math.max(2, Packer.groupsFor(totalBytes, capacity, Budgets.SPLIT_FILL));
    }

    List<Node> splitLeaf(Node node, int capacity, int groups) {
        List<List<Entry>> parts =
                Packer.pack(node.entries(), NodeWriter::itemBytes, e -> 1, capacity, groups);
        List<Node> out = new ArrayList<>();
        Bound low = node.range().low();
        for (int i = 0; i < parts.size(); i++) {
            List<Entry> part = parts.get(i);
            Bound high = i + 1 < parts.size()
                    ? Bound.between(
                            part.get(part.size() - 1).position(),
                            parts.get(i + 1).get(0).position())
                    : node.range().high();
            out.add(node.withEntries(part, new Range(low, high), now));
            low = high;
        }
        return out;
    }

    /**
     * Cuts an internal node by its local cover ({@link Children#cut}); each piece keeps the
     * routing nodes whose low it holds, and the links to other machines that meet its range,
     * most preferred first, while they fit (alternates give way to the cover in the byte budget).
     */
    List<Node> splitInternal(Node node, int capacity, int groups) {
        Children split = Children.of(node);
        return splitInternal(
                node,
                Packer.pack(
                        split.cut(),
                        Packer.ItemBytes.alone(NodeWriter::itemBytes),
                        ChildRef::size,
                        capacity,
                        groups),
                split);
    }

    /**
     * An internal node's children as a cut sees them.
     *
     * @param cut the local children that are not routing nodes, in key order: the cover that
     *     entries are placed through ({@link TreeOp#route}), so they tile the node's range and
     *     each piece's range is cut at the low of its first; all children when fewer than two are
     *     (a routing node, whose children are all on other machines)
     * @param routing the local routing nodes ({@link Node#ROUTING}), in key order: their ranges
     *     overlap the cover (several may start at the lowest key), so a cut at one of their lows
     *     could leave a piece that no local child covers
     * @param remote the links to other machines, most preferred first
     */
    record Children(List<ChildRef> cut, List<ChildRef> routing, List<ChildRef> remote) {
        static Children of(Node node) {
            List<ChildRef> cut = new ArrayList<>();
            List<ChildRef> routing = new ArrayList<>();
            List<ChildRef> remote = new ArrayList<>();
            for (ChildRef c : node.children()) {
                if (!Links.isRelative(c.href())) {
                    remote.add(c);
                } else if (c.routing()) {
                    routing.add(c);
                } else {
                    cut.add(c);
                }
            }
            if (cut.size() < 2) {
                return new Children(node.children(), List.of(), List.of());
            }
            return new Children(cut, routing, Cover.mostPreferredFirst(remote));
        }
    }

    /**
     * The even cut by size can leave pieces that break the 16x rule, which the parent then
     * splices (links their children instead). When leaf sizes differ a lot, every piece of
     * a root can break it, and the root never settles. Then a cut made for the 16x rule,
     * which leaves the parent fewer links, is taken instead.
     */
    List<Node> fewerSplices(Node node, int capacity, List<Node> pieces) {
        if (pieces.stream().allMatch(Rules::obeysSixteenX)) {
            return pieces;
        }
        Children split = Children.of(node);
        List<List<ChildRef>> parts =
                Packer.packSixteenX(split.cut(), NodeWriter::itemBytes, ChildRef::size, capacity);
        List<Node> other = splitInternal(node, parts, split);
        List<List<ChildRef>> before = pieces.stream().map(Node::children).toList();
        if (other.stream().allMatch(Rules::fits)
                && Packer.parentLinks(parts, ChildRef::size)
                        < Packer.parentLinks(before, ChildRef::size)) {
            return other;
        }
        return pieces;
    }

    List<Node> splitInternal(Node node, List<List<ChildRef>> parts, Children children) {
        List<Node> out = new ArrayList<>();
        for (int i = 0; i < parts.size(); i++) {
            List<ChildRef> part = new ArrayList<>(parts.get(i));
            Range r = pieceRange(node, parts, i);
            // Each routing node is linked once, from the piece that holds its low; a cut whose
            // pieces are over 10 KB with them is made again with more pieces (split).
            part.addAll(routingHeldBy(children, parts, i));
            part.sort(LocalTree.BY_LOW);
            for (ChildRef alt : children.remote()) {
                if (!alt.range().meets(r)) {
                    continue;
                }
                List<ChildRef> more = new ArrayList<>(part);
                more.add(alt);
                more.sort(LocalTree.BY_LOW);
                if (Rules.fits(piece(node, more, r))) {
                    part = more;
                }
            }
            // A piece's mark follows from its own items: it may keep fewer alternates.
            Node piece = piece(node, part, r);
            if (i > 0) {
                // A new node takes the lowest height above its children. The first piece
                // keeps the node's name, so it keeps its height (fixed at creation).
                piece = withHeight(piece, lowestHeightAbove(part));
            }
            out.add(piece);
        }
        return out;
    }

    /** The range of part {@code i}'s piece: from its first child's low to the next part's. */
    private static Range pieceRange(Node node, List<List<ChildRef>> parts, int i) {
        Bound low = i == 0 ? node.range().low() : parts.get(i).get(0).range().low();
        Bound high = i + 1 < parts.size()
                ? parts.get(i + 1).get(0).range().low()
                : node.range().high();
        return new Range(low, high);
    }

    /** A piece of {@code node} over {@code r} linking {@code children}, marked by its items. */
    private Node piece(Node node, List<ChildRef> children, Range r) {
        return TreeOp.marked(node.withChildren(children, r, Cover.size(r, children), now));
    }

    /**
     * The index of the part whose piece holds the child's low: the last part that starts at or
     * below it, else the first.
     */
    private static int holderOf(ChildRef child, List<List<ChildRef>> parts) {
        int holder = 0;
        for (int i = 1; i < parts.size(); i++) {
            if (Range.compareLows(
                            parts.get(i).get(0).range().low(), child.range().low())
                    <= 0) {
                holder = i;
            }
        }
        return holder;
    }

    /** The height of a new node holding these children: one above the highest. */
    static int lowestHeightAbove(List<ChildRef> children) {
        int max = 0;
        for (ChildRef c : children) {
            max = Math.max(max, c.height());
        }
        return max + 1;
    }

    private static Node withHeight(Node n, int height) {
        return new Node(
                n.version(),
                height,
                n.range(),
                n.size(),
                n.updated(),
                n.analyzer(),
                n.id(),
                n.entries(),
                n.children(),
                n.extra());
    }
}
