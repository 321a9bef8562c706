package org.distree.tree;

import static org.distree.tree.LocalTree.BY_LOW;
import static org.distree.tree.LocalTree.href;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.distree.model.Bound;
import org.distree.model.ChildRef;
import org.distree.model.Links;
import org.distree.model.Node;
import org.distree.model.Range;
import org.distree.rules.Cover;
import org.distree.store.NodeStore;

/**
 * The transaction of {@link LocalTree#setRouting(List, List, List)}: what the root links on other
 * machines, its routing nodes (one level, or two) written in the files of the old ones where it
 * can, and nothing written when the root already links exactly these.
 */
final class RoutingInstall {
    private RoutingInstall() {}

    /** As {@link LocalTree#setRouting(List, List, List)}, in {@code op}, which it commits. */
    static int install(
            TreeOp op,
            String rootName,
            List<ChildRef> remote,
            List<Node> routing,
            List<List<Integer>> upper)
            throws IOException {
        java.util.Set<Integer> grouped = new java.util.HashSet<>();
        for (List<Integer> g : upper) {
            for (int i : g) {
                if (i < 0 || i >= routing.size() || !grouped.add(i)) {
                    throw new IllegalArgumentException("routing node " + i + " in " + upper);
                }
            }
        }
        Node root = op.read(rootName);
        List<ChildRef> keep = new ArrayList<>();
        List<String> oldRouting = new ArrayList<>();
        List<String> oldUpper = new ArrayList<>();
        List<ChildRef> oldRemote = new ArrayList<>();
        List<java.util.Set<String>> oldLinks = new ArrayList<>();
        List<Integer> oldShape = new ArrayList<>();
        if (root.isLeaf()) {
            keep.add(op.item(href(rootName), root));
        } else {
            for (ChildRef c : root.children()) {
                if (!Links.isRelative(c.href())) {
                    oldRemote.add(c);
                } else if (c.routing()) {
                    String name = NodeStore.NODE_DIR + "/" + c.href();
                    Node n = op.read(name);
                    if (upperRouting(n)) {
                        oldUpper.add(name);
                        oldShape.add(n.children().size());
                        for (ChildRef g : n.children()) {
                            String lower = NodeStore.NODE_DIR + "/" + g.href();
                            oldRouting.add(lower);
                            oldLinks.add(hrefs(op.read(lower).children()));
                        }
                    } else {
                        oldShape.add(0);
                        oldRouting.add(name);
                        oldLinks.add(hrefs(n.children()));
                    }
                } else {
                    keep.add(c);
                }
            }
            List<java.util.Set<String>> newLinks = new ArrayList<>();
            List<Integer> newShape = new ArrayList<>();
            for (List<Integer> g : upper) {
                newShape.add(g.size());
                g.forEach(i -> newLinks.add(hrefs(routing.get(i).children())));
            }
            for (int i = 0; i < routing.size(); i++) {
                if (!grouped.contains(i)) {
                    newShape.add(0);
                    newLinks.add(hrefs(routing.get(i).children()));
                }
            }
            java.util.Collections.sort(oldShape);
            java.util.Collections.sort(newShape);
            if (hrefs(oldRemote).equals(hrefs(remote))
                    && oldShape.equals(newShape)
                    && new java.util.HashSet<>(oldLinks).equals(new java.util.HashSet<>(newLinks))
                    && oldLinks.size() == newLinks.size()) {
                return 0;
            }
        }
        // Routing nodes keep their files, in key order, so that other machines' links to them
        // stay good; only those no longer needed go.
        List<String> names = new ArrayList<>(oldRouting);
        names.addAll(oldUpper);
        int needed = routing.size() + upper.size();
        for (String name : names.subList(Math.min(needed, names.size()), names.size())) {
            op.delete(name);
        }
        int reused = 0;
        List<ChildRef> refs = new ArrayList<>(keep);
        refs.addAll(remote);
        int height = root.isLeaf() ? 1 : root.height();
        for (ChildRef r : remote) {
            height = Math.max(height, r.height() + 1);
        }
        List<ChildRef> lower = new ArrayList<>();
        for (Node n : routing) {
            String name = reused < names.size() ? names.get(reused++) : op.newName();
            Node marked = marked(n, n.children(), op.now);
            op.write(name, marked);
            lower.add(op.item(href(name), marked));
        }
        for (List<Integer> g : upper) {
            List<ChildRef> in = new ArrayList<>();
            int h = 1;
            for (int i : g) {
                in.add(lower.get(i));
                h = Math.max(h, lower.get(i).height() + 1);
            }
            in.sort(BY_LOW);
            Range r = new Range(in.get(0).range().low(), highest(in));
            Node n = Node.internal(h, r, Cover.size(r, in), in, op.now);
            String name = reused < names.size() ? names.get(reused++) : op.newName();
            Node marked = marked(n, in, op.now);
            op.write(name, marked);
            refs.add(op.item(href(name), marked));
            height = Math.max(height, marked.height() + 1);
        }
        for (int i = 0; i < routing.size(); i++) {
            if (!grouped.contains(i)) {
                refs.add(lower.get(i));
                height = Math.max(height, lower.get(i).height() + 1);
            }
        }
        refs.sort(BY_LOW);
        Node top = LocalTree.rootOver(
                height,
                refs,
                op.now,
                root.analyzer(),
                root.isLeaf() ? LocalTree.placesOf(root) : root.extra());
        top = top.withPartial(TreeOp.partial(Range.ALL, refs));
        if (!org.distree.rules.Rules.fits(top)) {
            throw new IllegalArgumentException("the root with " + refs.size()
                    + " children would be over " + org.distree.rules.Rules.MAX_FILE_BYTES
                    + " bytes");
        }
        String topName = root.isLeaf() ? op.newName() : rootName;
        op.write(topName, top);
        op.writeIndex(topName, top);
        op.commit();
        return op.changed.size() + op.deleted.size();
    }

    /** True for a routing node whose children are this machine's routing nodes (level two). */
    private static boolean upperRouting(Node n) {
        return !n.children().isEmpty()
                && n.children().stream().allMatch(c -> Links.isRelative(c.href()) && c.routing());
    }

    /** The furthest high of these children (null: unbounded). */
    private static @org.jspecify.annotations.Nullable Bound highest(List<ChildRef> in) {
        Bound high = in.get(0).range().high();
        for (ChildRef c : in) {
            if (high == null || c.range().high() == null) {
                return null;
            }
            if (c.range().high().compareTo(high) > 0) {
                high = c.range().high();
            }
        }
        return high;
    }

    /** {@code n} with these children, marked a routing node, its partial mark recomputed. */
    private static Node marked(Node n, List<ChildRef> children, Instant now) {
        Map<String, String> extra = new java.util.HashMap<>(n.extra());
        extra.put(Node.ROUTING, "true");
        Node marked = new Node(
                n.version(),
                n.height(),
                n.range(),
                n.size(),
                now,
                null,
                null,
                List.of(),
                children,
                extra);
        return marked.withPartial(TreeOp.partial(marked.range(), marked.children()));
    }

    private static java.util.Set<String> hrefs(List<ChildRef> refs) {
        java.util.Set<String> out = new java.util.HashSet<>();
        refs.forEach(r -> out.add(r.href()));
        return out;
    }
}
