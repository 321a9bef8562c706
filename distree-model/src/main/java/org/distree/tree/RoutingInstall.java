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
        List<java.util.Set<String>> oldUpperLinks = new ArrayList<>();
        List<ChildRef> oldRemote = new ArrayList<>();
        List<java.util.Set<String>> oldLinks = new ArrayList<>();
        List<java.util.Set<String>> oldSigs = new ArrayList<>();
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
                        oldUpperLinks.add(hrefs(n.children()));
                        oldShape.add(n.children().size());
                        for (ChildRef g : n.children()) {
                            String lower = NodeStore.NODE_DIR + "/" + g.href();
                            oldRouting.add(lower);
                            List<ChildRef> in = op.read(lower).children();
                            oldLinks.add(hrefs(in));
                            oldSigs.add(signature(in));
                        }
                    } else {
                        oldShape.add(0);
                        oldRouting.add(name);
                        oldLinks.add(hrefs(n.children()));
                        oldSigs.add(signature(n.children()));
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
        // A routing node that links the same nodes over the same ranges as one it has keeps its
        // file untouched (a ring where one link changes rewrites one routing node, not all: a
        // Zipf ring of 50 rewrote some 7,000 files a round for one leaf renamed); the others
        // take the files of the old ones left, in key order, then new ones; only those no longer
        // needed go.
        Map<java.util.Set<String>, java.util.Deque<String>> same = new java.util.HashMap<>();
        for (int i = 0; i < oldRouting.size(); i++) {
            same.computeIfAbsent(oldSigs.get(i), k -> new java.util.ArrayDeque<>())
                    .add(oldRouting.get(i));
        }
        String[] lowerName = new String[routing.size()];
        boolean[] kept = new boolean[routing.size()];
        java.util.Set<String> taken = new java.util.HashSet<>();
        for (int i = 0; i < routing.size(); i++) {
            java.util.Deque<String> q = same.get(signature(routing.get(i).children()));
            if (q != null && !q.isEmpty()) {
                lowerName[i] = q.poll();
                kept[i] = true;
                taken.add(lowerName[i]);
            }
        }
        java.util.Deque<String> free = new java.util.ArrayDeque<>();
        for (String name : oldRouting) {
            if (!taken.contains(name)) {
                free.add(name);
            }
        }
        // An upper node over the same routing nodes, all kept, is kept too.
        String[] upperName = new String[upper.size()];
        for (int u = 0; u < upper.size(); u++) {
            java.util.Set<String> in = new java.util.HashSet<>();
            for (int i : upper.get(u)) {
                if (kept[i]) {
                    in.add(href(lowerName[i]));
                }
            }
            int old = in.size() == upper.get(u).size() ? oldUpperLinks.indexOf(in) : -1;
            if (old >= 0 && !taken.contains(oldUpper.get(old))) {
                upperName[u] = oldUpper.get(old);
                taken.add(upperName[u]);
            }
        }
        for (String name : oldUpper) {
            if (!taken.contains(name)) {
                free.add(name);
            }
        }
        List<ChildRef> refs = new ArrayList<>(keep);
        refs.addAll(remote);
        int height = root.isLeaf() ? 1 : root.height();
        for (ChildRef r : remote) {
            height = Math.max(height, r.height() + 1);
        }
        List<ChildRef> lower = new ArrayList<>();
        for (int i = 0; i < routing.size(); i++) {
            if (kept[i]) {
                lower.add(op.item(href(lowerName[i]), op.read(lowerName[i])));
                continue;
            }
            Node n = routing.get(i);
            lowerName[i] = free.isEmpty() ? op.newName() : free.poll();
            Node marked = marked(n, n.children(), op.now);
            op.write(lowerName[i], marked);
            lower.add(op.item(href(lowerName[i]), marked));
        }
        for (int u = 0; u < upper.size(); u++) {
            List<Integer> g = upper.get(u);
            if (upperName[u] != null) {
                Node n = op.read(upperName[u]);
                refs.add(op.item(href(upperName[u]), n));
                height = Math.max(height, n.height() + 1);
                continue;
            }
            List<ChildRef> in = new ArrayList<>();
            int h = 1;
            for (int i : g) {
                in.add(lower.get(i));
                h = Math.max(h, lower.get(i).height() + 1);
            }
            in.sort(BY_LOW);
            Range r = new Range(in.get(0).range().low(), highest(in));
            Node n = Node.internal(h, r, Cover.size(r, in), in, op.now);
            String name = free.isEmpty() ? op.newName() : free.poll();
            Node marked = marked(n, in, op.now);
            op.write(name, marked);
            refs.add(op.item(href(name), marked));
            height = Math.max(height, marked.height() + 1);
        }
        for (String name : free) {
            op.delete(name);
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

    /** Each link with its range: what a routing node kept as it is must still say. */
    private static java.util.Set<String> signature(List<ChildRef> refs) {
        java.util.Set<String> out = new java.util.HashSet<>();
        refs.forEach(r -> out.add(r.href() + " " + r.range()));
        return out;
    }

    private static java.util.Set<String> hrefs(List<ChildRef> refs) {
        java.util.Set<String> out = new java.util.HashSet<>();
        refs.forEach(r -> out.add(r.href()));
        return out;
    }
}
