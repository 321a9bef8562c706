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
 * <p>A run is a sequence of the root's children that are all local, not routing, of one
 * height, and whose ranges meet end to end. Groups of at least {@value #MIN_RUN} consecutive
 * children are made in each run from left to right, each as large as its file allows and then
 * as large as keeps 16x; children that start no such group stay on the root, as do links to
 * other machines and routing nodes. A run may mix complete and partial nodes (a machine's own
 * entries outside the ranges it holds sit in partial leaves between its complete ones): a group
 * is marked partial as any internal node is, when its complete children leave part of its
 * range uncovered. With runs of one mark only, a ring of 50 machines with 1,000 entries each
 * lost 31 machines to refused changes in its fourth round; with mixed runs, 6.
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
        return Links.isRelative(c.href()) && !c.routing();
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
     * The run with groups made in it, left to right, their files written; null when none could
     * be made. From each child, a group takes the most children that fit in its file, then
     * gives back from its end until it keeps 16x (a group needs 16 times its largest child);
     * a child that starts no group of at least {@value #MIN_RUN} stays on the root.
     */
    private static @Nullable List<ChildRef> groups(TreeOp op, List<ChildRef> run) {
        List<ChildRef> out = new ArrayList<>();
        boolean grouped = false;
        int i = 0;
        while (i < run.size()) {
            int end = i + MIN_RUN;
            if (end > run.size() || !Rules.fits(op.byteSize(node(op, run.subList(i, end))))) {
                out.add(run.get(i++));
                continue;
            }
            while (end < run.size() && Rules.fits(op.byteSize(node(op, run.subList(i, end + 1))))) {
                end++;
            }
            while (end - i >= MIN_RUN && !obeysSixteenX(run.subList(i, end))) {
                end--;
            }
            if (end - i < MIN_RUN) {
                out.add(run.get(i++));
                continue;
            }
            Node n = node(op, run.subList(i, end));
            String name = op.newName();
            op.write(name, n);
            out.add(op.item(href(name), n));
            grouped = true;
            i = end;
        }
        return grouped ? out : null;
    }

    /** True when a node over {@code part} would keep 16x, without making it. */
    private static boolean obeysSixteenX(List<ChildRef> part) {
        long size = 0;
        long largest = 0;
        for (ChildRef c : part) {
            size += c.size();
            largest = Math.max(largest, c.size());
        }
        return Rules.obeysSixteenX(size, largest);
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
