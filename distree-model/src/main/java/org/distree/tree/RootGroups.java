package org.distree.tree;

import static org.distree.tree.LocalTree.BY_LOW;
import static org.distree.tree.LocalTree.href;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.distree.html.NodeWriter;
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
 *
 * <p>Those 6 held runs of uneven leaves: cuts at the edges of the ranges a machine holds leave
 * leaves of 5 entries beside leaves of 43, and no 16 of them add up to 16 times the largest.
 * Where no group keeps 16x as it is, the largest group of at least {@value #MIN_CUT_RUN}
 * children that keeps it once each child over a sixteenth of the group is cut ({@link
 * ChildCuts#cutToObey}: the cut child keeps its file, with copies of its pieces for those who
 * link it) is made instead. The same ring then lost none.
 */
final class RootGroups {
    /** The fewest children a run needs to be grouped: a group obeys 16x only with about 16. */
    static final int MIN_RUN = 16;

    /**
     * The fewest children a group made by cutting its largest children may take: fewer would
     * give the root little room for the files the cuts add.
     */
    static final int MIN_CUT_RUN = 8;

    private RootGroups() {}

    /**
     * The root's links with each run grouped (the groups' files written in the transaction),
     * in key order; {@code refs} as given when no run could be grouped.
     */
    static List<ChildRef> group(TreeOp op, List<ChildRef> refs) throws IOException {
        return group(op, refs, Integer.MAX_VALUE);
    }

    /**
     * As {@link #group(TreeOp, List)}, each group's file at most {@code maxBytes} (also within
     * 10 KB with its children's sums): a root that fits but has no room left is given some only
     * by groups that leave it some.
     */
    static List<ChildRef> group(TreeOp op, List<ChildRef> refs, int maxBytes) throws IOException {
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
            @Nullable
            List<ChildRef> groups = run.size() >= MIN_CUT_RUN ? groups(op, run, maxBytes) : null;
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
     * gives back from its end until it keeps 16x (a group needs 16 times its largest child).
     * When no such group of at least {@value #MIN_RUN} exists there, the largest group of at
     * least {@value #MIN_CUT_RUN} that keeps 16x once its largest children are cut ({@link
     * ChildCuts#cutToObey}) is made instead. A child that starts no group stays on the root.
     */
    private static @Nullable List<ChildRef> groups(TreeOp op, List<ChildRef> run, int maxBytes)
            throws IOException {
        List<ChildRef> out = new ArrayList<>();
        boolean grouped = false;
        int i = 0;
        while (i < run.size()) {
            int fit = fittingEnd(op, run, i, maxBytes);
            @Nullable Group group = fit < 0 ? null : plain(op, run, i, fit);
            if (group == null && fit >= 0) {
                group = cut(op, run, i, fit, maxBytes);
            }
            if (group == null) {
                out.add(run.get(i++));
                continue;
            }
            out.add(group.item());
            grouped = true;
            i = group.end();
        }
        return grouped ? out : null;
    }

    /** A group written: its link on the root, and the end (exclusive) of its children in the run. */
    private record Group(ChildRef item, int end) {}

    /**
     * The end (exclusive) of the most children from {@code i} whose group fits its file; -1
     * when fewer than {@value #MIN_CUT_RUN} do.
     */
    private static int fittingEnd(TreeOp op, List<ChildRef> run, int i, int maxBytes) {
        int end = i + MIN_CUT_RUN;
        if (end > run.size() || !fits(op, node(op, run.subList(i, end)), maxBytes)) {
            return -1;
        }
        while (end < run.size() && fits(op, node(op, run.subList(i, end + 1)), maxBytes)) {
            end++;
        }
        return end;
    }

    /**
     * True when a group fits in its file with the sums of its children: a group without them
     * has each of its children asked for by every reader every run ({@link ChildSums}).
     */
    private static boolean fits(TreeOp op, Node group, int maxBytes) {
        long bytes = ChildSums.withSums(group, op.byteSize(group));
        return bytes <= maxBytes && Rules.fits(bytes);
    }

    /** The group from {@code i} trimmed from {@code end} until it keeps 16x, if one of {@value #MIN_RUN} does. */
    private static @Nullable Group plain(TreeOp op, List<ChildRef> run, int i, int end) {
        while (end - i >= MIN_RUN && !obeysSixteenX(run.subList(i, end))) {
            end--;
        }
        return end - i < MIN_RUN ? null : written(op, node(op, run.subList(i, end)), end);
    }

    /**
     * The largest group from {@code i}, ending at or before {@code fit}, that keeps 16x once
     * its children over a sixteenth of it are cut; null when none does. Ends whose pieces'
     * links would not fit in the file (each piece's link counted as its child's, before any
     * child is read) are not tried.
     */
    private static @Nullable Group cut(TreeOp op, List<ChildRef> run, int i, int fit, int maxBytes)
            throws IOException {
        for (int end = fit; end - i >= MIN_CUT_RUN; end--) {
            List<ChildRef> part = run.subList(i, end);
            long limit = sizeOf(part) / Rules.SUBTREE_FACTOR;
            Node node = node(op, part);
            long after = bytesAfterCut(node, limit);
            if (limit <= 0 || !Rules.fits(after) || ChildSums.withSums(node, after) > maxBytes) {
                continue;
            }
            Node fixed = ChildCuts.cutToObey(op, node);
            if (fixed != null) {
                return written(op, fixed, end);
            }
        }
        return null;
    }

    private static Group written(TreeOp op, Node n, int end) {
        String name = op.newName();
        op.write(name, n);
        return new Group(op.item(href(name), n), end);
    }

    private static long sizeOf(List<ChildRef> part) {
        long size = 0;
        for (ChildRef c : part) {
            size += c.size();
        }
        return size;
    }

    /**
     * The bytes of {@code node} with each child over {@code limit} cut into the fewest pieces
     * within it, each piece's link as long as its child's, with its sum ({@link ChildSums}).
     */
    private static long bytesAfterCut(Node node, long limit) {
        long bytes = NodeWriter.fixedBytes(node);
        for (ChildRef c : node.children()) {
            bytes += (long) (NodeWriter.itemBytes(c) + ChildSums.SUM_BYTES)
                    * Math.max(1, (c.size() + limit - 1) / limit);
        }
        return bytes;
    }

    /** True when a node over {@code part} would keep 16x, without making it. */
    private static boolean obeysSixteenX(List<ChildRef> part) {
        long largest = 0;
        for (ChildRef c : part) {
            largest = Math.max(largest, c.size());
        }
        return Rules.obeysSixteenX(sizeOf(part), largest);
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
