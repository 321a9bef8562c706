package org.distree.tree;

import static org.distree.tree.LocalTree.BY_LOW;
import static org.distree.tree.LocalTree.href;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.distree.model.ChildRef;
import org.distree.model.Links;
import org.distree.model.Node;
import org.distree.model.Range;
import org.distree.rules.Rules;
import org.distree.tree.LocalTree.Written;

/**
 * The last step of a transaction that changed the root: the root's pieces become one root again.
 * Where the root was cut, a new root is made above the pieces (a level higher only when the
 * levels are full), cut again while it is over 10 KB, up to {@value #MAX_ROOT_ROUNDS} times; a
 * ring's root that would break 16x beside its routing groups its own children first ({@link
 * RootGroups}); where the pieces hand the same links up again (a cycle), adjacent local nodes of
 * one mark merge first, whatever their size ({@link SmallMerges}). A root left with one local
 * child hands the root over to it, and the root keeps
 * the whole range, the analyzer and the attributes only a root carries ({@link Node#ROOT_ONLY}).
 */
final class RootSettle {
    /** Times a root may split again while it settles before the change is refused. */
    private static final int MAX_ROOT_ROUNDS = 8;

    private RootSettle() {}

    /**
     * For the new root above the pieces of a root that was cut: as {@link TreeOp#addAcceptable},
     * but a piece that breaks 16x hands up only its own children, not its links to other
     * machines' nodes. Those are alternates (its own children cover its range), and the maintainer adopts
     * again within the rules. Handing them up too could never settle a root that links other
     * machines' nodes as large as its whole tree (full copies of the index): every piece breaks
     * 16x, and the root above them is as full as before.
     */
    private static void addAcceptableAtRoot(TreeOp op, List<ChildRef> refs, Written p)
            throws IOException {
        if (op.linkedPastSingleChild(refs, p)) {
            return; // a piece of one node of its own, as in TreeOp.addAcceptable
        }
        Written kept = ChildCuts.obey(op, p);
        if (kept == null) {
            for (ChildRef c : p.node().children()) {
                if (Links.isRelative(c.href())) {
                    refs.add(c);
                }
            }
            op.delete(p.name());
        } else {
            refs.add(op.item(href(kept.name()), kept.node()));
        }
    }

    /**
     * A new root above {@code refs}. Its height is the lowest above them, so that the tree grows
     * a level only when its levels are full.
     */
    private static Node grownRoot(TreeOp op, List<ChildRef> refs, Node oldRoot) {
        int height = NodeSplitter.lowestHeightAbove(refs);
        if (height > Node.MAX_HEIGHT) {
            throw new IllegalStateException("the tree cannot grow above height " + Node.MAX_HEIGHT);
        }
        return LocalTree.rootOver(height, refs, op.now, null, oldRoot.extra());
    }

    /** Makes the final root from the pieces of the old root: grows a level if it split. */
    static Written settle(TreeOp op, Node oldRoot, List<Written> pieces) throws IOException {
        int rounds = 0;
        List<String> handedUp = List.of();
        while (pieces.size() > 1) {
            if (++rounds > MAX_ROOT_ROUNDS) {
                throw new IllegalStateException("the entries cannot be placed within the"
                        + " rules: too few child links fit in a " + Rules.MAX_FILE_BYTES
                        + " byte file (keys too long, or many entries of one key whose"
                        + " links share a long prefix)");
            }
            List<ChildRef> refs = new ArrayList<>();
            for (Written p : pieces) {
                addAcceptableAtRoot(op, refs, p);
            }
            refs.sort(BY_LOW);
            Node grown = grownRoot(op, refs, oldRoot);
            // The links by what they link: a group made again has a new file name, and an
            // empty piece (a range with no entries left) is made again a level higher.
            List<String> shape = refs.stream()
                    .map(c -> c.range() + " " + c.size() + " " + c.routing())
                    .toList();
            if (shape.equals(handedUp) && !Rules.fits(op.byteSize(grown))) {
                // The pieces of the last round broke 16x and handed the same links up again: a
                // cycle that ends with the change refused. Links handed up by nodes that broke
                // 16x can be small leaves side by side, too short a run to group (a dense ring's
                // machine under churn refused every sync so): those of one mark join, whatever
                // their size, while the two fit in a piece.
                List<Integer> all = new ArrayList<>();
                for (int i = 0; i < refs.size(); i++) {
                    all.add(i);
                }
                List<ChildRef> merged = SmallMerges.merge(op, refs, all, 1.0, Long.MAX_VALUE);
                if (merged.size() < refs.size()) {
                    refs = new ArrayList<>(merged);
                    refs.sort(BY_LOW);
                    grown = grownRoot(op, refs, oldRoot);
                }
                // Still too many: routing nodes go, the last first, until the root fits. They
                // hold no entry (the local children cover the whole range), and the routing
                // job makes them again within the room the root has left (Routing).
                for (int i = refs.size() - 1; i >= 0 && !Rules.fits(op.byteSize(grown)); i--) {
                    ChildRef c = refs.get(i);
                    if (c.routing() && Links.isRelative(c.href())) {
                        dropRouting(op, TreeOp.nameOf(c.href()));
                        refs.remove(i);
                        grown = grownRoot(op, refs, oldRoot);
                    }
                }
            }
            handedUp = shape;
            if (!ChildSums.fitsWithSums(grown, op.byteSize(grown)) && ChildCuts.ofTheRing(refs)) {
                // A ring's root: its pieces would break 16x beside the routing (RootGroups).
                // Grouped before it is full, so that its links keep their sums.
                List<ChildRef> grouped = RootGroups.group(op, refs);
                if (grouped != refs) {
                    grown = grownRoot(op, grouped, oldRoot);
                }
            }
            if (!Rules.fits(op.byteSize(grown))) {
                grown = withoutUnplaceableRouting(op, grown, oldRoot);
            }
            pieces = op.writePieces(op.newName(), grown, grown);
        }
        Written top = pieces.get(0);
        // A root with one local child hands the root over to that child.
        while (!top.node().isLeaf()
                && top.node().children().size() == 1
                && Links.isRelative(top.node().children().get(0).href())) {
            String childName = TreeOp.nameOf(top.node().children().get(0).href());
            op.delete(top.name());
            top = new Written(childName, readUnchecked(op, childName));
        }
        Node root = top.node();
        java.util.Map<String, String> rootOnly = new java.util.HashMap<>();
        for (String key : Node.ROOT_ONLY) {
            String value = oldRoot.extra().get(key);
            if (value != null) {
                rootOnly.put(key, value);
            }
        }
        boolean moved = false;
        for (String key : Node.ROOT_ONLY) {
            moved |= !java.util.Objects.equals(root.extra().get(key), rootOnly.get(key));
        }
        if (!java.util.Objects.equals(root.analyzer(), oldRoot.analyzer())
                || !root.range().equals(Range.ALL)
                || moved) {
            java.util.Map<String, String> extra = new java.util.HashMap<>(root.extra());
            Node.ROOT_ONLY.forEach(extra::remove);
            extra.putAll(rootOnly);
            root = new Node(
                    root.version(),
                    root.height(),
                    Range.ALL,
                    root.size(),
                    op.now,
                    oldRoot.analyzer(),
                    null,
                    root.entries(),
                    root.children(),
                    extra);
            op.write(top.name(), root);
        }
        return new Written(top.name(), root);
    }

    /**
     * The new root without the routing nodes that no cut of it can place ({@link
     * NodeSplitter#unplaceableRouting}): more of them start between two of its own children
     * than a file holds. A machine of a churned ring of 50 was lost so, its root holding 74
     * routing nodes beside 9 children of its own, 60 of them before the second. They hold no
     * entry, and the routing job makes them again within the room the root has left.
     */
    private static Node withoutUnplaceableRouting(TreeOp op, Node grown, Node oldRoot)
            throws IOException {
        List<ChildRef> crowded = new NodeSplitter(op.now).unplaceableRouting(grown);
        if (crowded.isEmpty()) {
            return grown;
        }
        for (ChildRef c : crowded) {
            dropRouting(op, TreeOp.nameOf(c.href()));
        }
        List<ChildRef> kept = new ArrayList<>(grown.children());
        kept.removeAll(crowded);
        return grownRoot(op, kept, oldRoot);
    }

    /** Deletes a routing node's file, and those of the routing nodes it links (level two). */
    private static void dropRouting(TreeOp op, String name) throws IOException {
        for (ChildRef c : op.read(name).children()) {
            if (c.routing() && Links.isRelative(c.href())) {
                op.delete(TreeOp.nameOf(c.href()));
            }
        }
        op.delete(name);
    }

    private static Node readUnchecked(TreeOp op, String name) {
        try {
            return op.read(name);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
