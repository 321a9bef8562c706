package org.distree.tree;

import static org.distree.tree.LocalTree.BY_LOW;
import static org.distree.tree.LocalTree.href;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.distree.model.ChildRef;
import org.distree.model.Links;
import org.distree.model.Node;
import org.distree.model.Range;
import org.distree.rules.Cover;
import org.distree.rules.Rules;
import org.jspecify.annotations.Nullable;

/**
 * Gives a ring's root room by moving runs of its local children into nodes of their own, one
 * level down, when its links no longer fit in one file.
 *
 * <p>The root of a machine on a ring links its routing nodes, whose size is that of a range of
 * the whole ring, beside the nodes of its own tree. Only a root may link them: any other node
 * that did would need 16 times their size (the 16x rule). So when such a root is over 10 KB, its
 * even cut gives pieces that break 16x, and each is spliced (its links handed up) into the next
 * root, which is as full: the root cannot settle and the change is refused. This is what a
 * machine meets once its tree holds more leaves than the root's spare room beside the routing:
 * a simulated ring of 10 machines with 1,000 own entries each refused its copies in its third
 * round. Grouping the root's leaves (or nodes of any one height) into nodes one level up gives
 * the root one link for each group instead, and each group obeys the rules on its own.
 *
 * <p>A run is a sequence of the root's children that are all local, not routing, not partial,
 * of one height, and whose ranges meet end to end; a run of fewer than {@value #MIN_RUN} is left
 * as it is. A run is cut into the fewest groups of consecutive children, each with about as
 * many, such that every group fits in its file and obeys 16x; a run with no such cut is left as
 * it is. Links to other machines, routing and partial nodes stay on the root.
 */
final class RootGroups {
    /** The fewest children a run needs to be grouped: a group obeys 16x only with about 16. */
    static final int MIN_RUN = 16;

    private RootGroups() {}

    /**
     * The root's links with each run grouped (the groups' files written in the transaction),
     * in key order; {@code refs} as given when no run could be grouped.
     */
    static List<ChildRef> group(TreeOp op, List<ChildRef> refs) {
        List<ChildRef> kept = new ArrayList<>();
        List<ChildRef> groupable = new ArrayList<>();
        for (ChildRef c : refs) {
            (groupable(c) ? groupable : kept).add(c);
        }
        groupable.sort(BY_LOW);
        boolean grouped = false;
        int i = 0;
        while (i < groupable.size()) {
            int end = runEnd(groupable, i);
            List<ChildRef> run = groupable.subList(i, end);
            @Nullable List<ChildRef> groups = run.size() >= MIN_RUN ? groups(op, run) : null;
            if (groups == null) {
                kept.addAll(run);
            } else {
                kept.addAll(groups);
                grouped = true;
            }
            i = end;
        }
        if (!grouped) {
            return refs;
        }
        kept.sort(BY_LOW);
        return kept;
    }

    private static boolean groupable(ChildRef c) {
        return Links.isRelative(c.href()) && !c.routing() && !c.partial();
    }

    /** The end (exclusive) of the run that starts at {@code i}. */
    private static int runEnd(List<ChildRef> refs, int i) {
        int j = i + 1;
        while (j < refs.size()
                && refs.get(j).height() == refs.get(i).height()
                && refs.get(j - 1).range().high() != null
                && Range.compareLows(
                                refs.get(j).range().low(),
                                refs.get(j - 1).range().high())
                        == 0) {
            j++;
        }
        return j;
    }

    /**
     * The run cut into the fewest groups that each fit and obey 16x, their files written; null
     * when no cut does.
     */
    private static @Nullable List<ChildRef> groups(TreeOp op, List<ChildRef> run) {
        for (int count = 1; count <= run.size() / MIN_RUN; count++) {
            List<Node> nodes = new ArrayList<>();
            boolean fits = true;
            boolean obeys = true;
            for (int g = 0; g < count; g++) {
                List<ChildRef> part = run.subList((int) ((long) run.size() * g / count), (int)
                        ((long) run.size() * (g + 1) / count));
                Node n = node(op, part);
                fits &= Rules.fits(op.byteSize(n));
                obeys &= Rules.obeysSixteenX(n);
                nodes.add(n);
            }
            if (fits && obeys) {
                List<ChildRef> out = new ArrayList<>();
                for (Node n : nodes) {
                    String name = op.newName();
                    op.write(name, n);
                    out.add(op.item(href(name), n));
                }
                return out;
            }
            if (fits) {
                return null; // more groups only make each smaller beside its largest child
            }
        }
        return null;
    }

    /** A node one level above {@code part}, over the ranges it covers end to end. */
    private static Node node(TreeOp op, List<ChildRef> part) {
        Range range = new Range(
                part.get(0).range().low(), part.get(part.size() - 1).range().high());
        return TreeOp.marked(new Node(
                Node.FORMAT_VERSION,
                part.get(0).height() + 1,
                range,
                Cover.size(range, part),
                op.now,
                null,
                null,
                List.of(),
                List.copyOf(part),
                Map.of()));
    }
}
