package org.distree.maintain;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.distree.html.NodeWriter;
import org.distree.maintain.internal.RemoteWalk;
import org.distree.model.Bound;
import org.distree.model.ChildRef;
import org.distree.model.Links;
import org.distree.model.Node;
import org.distree.model.Range;
import org.distree.model.Status;
import org.distree.rules.Budgets;
import org.distree.rules.Cover;
import org.distree.rules.Rules;

/**
 * Which remote children a node adopts: the redundancy rule within the 10 KB and 16x rules.
 *
 * <p>Candidates go in preference order ({@link Cover#PREFERENCE}, the most preferred first). One
 * is adopted when, at the low point of its range, the node's live children that vouch for it
 * (not marked {@link Node#PARTIAL}) come from fewer than {@code redundancy} machines and none
 * from the candidate's machine ("3 to 4 children covering each point, on different machines"),
 * or when some key of its range has no live child that vouches for it, and the node with it still fits in {@value Budgets#ADOPT_FILL} of the
 * 10 KB budget (room is left for the cover to grow) and, if it is not a root, obeys 16x.
 */
final class Adoption {
    private Adoption() {}

    /** The machine a child lives on: {@code self} for a local link. */
    static String origin(ChildRef c) {
        if (Links.isRelative(c.href())) {
            return "self";
        }
        try {
            return Links.origin(URI.create(c.href()));
        } catch (IllegalArgumentException e) {
            return c.href();
        }
    }

    /** A child item for a node fetched from another machine now, with what it really holds. */
    static ChildRef refTo(RemoteWalk.Seen s, java.time.Instant now) {
        return new ChildRef(
                s.url().toString(),
                s.node().range(),
                s.node().height(),
                s.node().size(),
                now,
                Status.OK,
                s.node().partial() ? java.util.Map.of(Node.PARTIAL, "true") : java.util.Map.of());
    }

    /** True when a fetched node may be linked under a node of this height and range. */
    static boolean acceptable(Node candidate, int height, Range range) {
        return candidate.height() < height
                && candidate.range().meets(range)
                // A partial node vouches for nothing it does not list; an orphan copy is taken
                // still (it bridges keys that moved until their node is linked; the search
                // reads alternates past it, as past any partial node).
                && (!candidate.partial() || candidate.id() != null)
                && Rules.acceptableChild(candidate);
    }

    /**
     * The node's children with the candidates it adopts.
     *
     * @param node the node (or, for a leaf root, the root one level up that would link it)
     */
    static List<ChildRef> adopt(
            Node node, boolean root, List<ChildRef> candidates, int redundancy) {
        List<ChildRef> children = new ArrayList<>(node.children());
        Set<String> linked = new HashSet<>();
        for (ChildRef c : children) {
            linked.add(c.href());
        }
        List<ChildRef> ordered = Cover.mostPreferredFirst(candidates);
        // First every key gets one child that vouches for it, then more machines per key: a
        // node that fills up with a third alternate for some keys would leave others to partial
        // children alone.
        for (boolean gapsOnly : new boolean[] {true, false}) {
            for (ChildRef cand : ordered) {
                if (linked.contains(cand.href()) || !cand.range().meets(node.range())) {
                    continue;
                }
                boolean wanted = fillsAGap(children, cand, node.range());
                if (!wanted && !gapsOnly) {
                    Set<String> origins = originsAt(children, cand.range().low());
                    wanted = !origins.contains(origin(cand)) && origins.size() < redundancy;
                }
                if (!wanted) {
                    continue;
                }
                List<ChildRef> more = new ArrayList<>(children);
                more.add(cand);
                long size = Cover.size(node.range(), more);
                long largest = 0;
                for (ChildRef c : more) {
                    largest = Math.max(largest, c.size());
                }
                Node bigger = node.withChildren(more, node.range(), size, node.updated());
                if (!Budgets.within(NodeWriter.byteSize(bigger), Budgets.ADOPT_FILL)
                        || (!root && !Rules.obeysSixteenX(size, largest))) {
                    continue;
                }
                children = more;
                linked.add(cand.href());
            }
        }
        return children;
    }

    /**
     * True when some key of the candidate's range (within the node's) has no live child that
     * vouches for it: then it is wanted whatever its low end has.
     */
    private static boolean fillsAGap(List<ChildRef> children, ChildRef cand, Range range) {
        if (!cand.range().meets(range)) {
            return false;
        }
        List<ChildRef> complete = new ArrayList<>();
        for (ChildRef c : children) {
            if (!c.partial() && c.status() != Status.DEAD) {
                complete.add(c);
            }
        }
        return Cover.firstGap(cand.range().intersect(range), complete).isPresent();
    }

    /** The machines whose live children hold this point (null: minus infinity). */
    private static Set<String> originsAt(
            List<ChildRef> children, @org.jspecify.annotations.Nullable Bound point) {
        Set<String> out = new HashSet<>();
        for (ChildRef c : children) {
            if (c.status() == Status.DEAD || c.partial()) {
                continue;
            }
            boolean holds = point == null ? c.range().low() == null : c.range().contains(point);
            if (holds) {
                out.add(origin(c));
            }
        }
        return out;
    }
}
