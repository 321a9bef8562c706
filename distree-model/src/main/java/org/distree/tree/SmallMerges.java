package org.distree.tree;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.distree.model.ChildRef;
import org.distree.model.Entry;
import org.distree.model.Links;
import org.distree.model.Node;
import org.distree.model.Range;
import org.distree.rules.Budgets;
import org.distree.rules.Cover;
import org.distree.rules.Rules;

/**
 * The merging of small nodes in a {@link TreeOp}: after a change, a touched local child well
 * under its budget joins a neighbour of the same height, within the fill of a split piece, so
 * that removes and cuts do not leave a tree of near-empty files. It reads and writes through the
 * transaction it is given.
 */
final class SmallMerges {
    private SmallMerges() {}

    /**
     * Merges each touched small local child with a neighbour of the same height when the
     * two fit together well within the budget, and the merged child holds at most {@code
     * largest} entries. Empty leaves always merge away.
     *
     * @param largest the most entries a merged child may hold: {@link #sixteenthOf} where
     *     every child counts as touched (the vouch), {@code Long.MAX_VALUE} for none
     */
    static List<ChildRef> merge(TreeOp op, List<ChildRef> refs, List<Integer> touched, long largest)
            throws IOException {
        return merge(op, refs, touched, Budgets.MERGE_BELOW, largest);
    }

    /**
     * The most entries a child of a node over {@code refs} may hold and keep the node within
     * the 16x rule: a sixteenth of their size; no limit for a root (the rule is on a node linked
     * as a child). A merge past it undoes the cuts that made the node obey the rule: a root's
     * run of leaves grouped with its larger leaves cut in sixteenths ({@link RootGroups}) was
     * merged back by the next vouch, the group then broke 16x and was spliced into the root, and
     * the root grouped it again, under new file names every run (a Zipf ring of 50, measured).
     */
    static long sixteenthOf(Range range, List<ChildRef> refs, boolean root) {
        return root ? Long.MAX_VALUE : Cover.size(range, refs) / Rules.SUBTREE_FACTOR;
    }

    /**
     * As {@link #merge(TreeOp, List, List, long)}, for touched children under {@code below} of
     * the budget (1: any child, as long as the two fit within the fill of a split piece).
     */
    static List<ChildRef> merge(
            TreeOp op, List<ChildRef> refs, List<Integer> touched, double below, long largest)
            throws IOException {
        if (refs.size() < 2) {
            return refs;
        }
        List<ChildRef> out = new ArrayList<>(refs);
        java.util.Set<String> touchedHrefs = new java.util.HashSet<>();
        for (int t : touched) {
            touchedHrefs.add(refs.get(t).href());
        }
        for (int i = 0; i < out.size() && out.size() > 1; i++) {
            ChildRef c = out.get(i);
            if (!touchedHrefs.contains(c.href()) || !Links.isRelative(c.href()) || c.routing()) {
                continue;
            }
            Node n = op.read(TreeOp.nameOf(c.href()));
            if (!Budgets.within(op.byteSize(n), below) && n.size() > 0) {
                continue;
            }
            int j = localNeighbour(out, i);
            if (j < 0) {
                continue;
            }
            int left = Math.min(i, j);
            int right = Math.max(i, j);
            ChildRef a = out.get(left);
            ChildRef b = out.get(right);
            if (!Links.isRelative(b.href())
                    || !Links.isRelative(a.href())
                    || a.routing()
                    || b.routing()
                    || a.height() != b.height()
                    || !adjacent(a.range(), b.range())) {
                continue;
            }
            Node na = op.read(TreeOp.nameOf(a.href()));
            Node nb = op.read(TreeOp.nameOf(b.href()));
            if (na.partial() != nb.partial()) {
                continue; // a complete leaf merged with a partial one would vouch for neither
            }
            Range union = new Range(a.range().low(), b.range().high());
            Node merged;
            if (na.isLeaf()) {
                List<Entry> all = new ArrayList<>(na.entries());
                all.addAll(nb.entries());
                // Complete only where both were: a merged leaf vouches for no more than each.
                merged = na.withEntries(all, union, op.now)
                        .withPartial(na.partial() || nb.partial());
            } else {
                List<ChildRef> all = new ArrayList<>(na.children());
                all.addAll(nb.children());
                merged = TreeOp.marked(na.withChildren(all, union, Cover.size(union, all), op.now));
            }
            if (!Budgets.within(op.byteSize(merged), Budgets.SPLIT_FILL)
                    || (merged.size() > largest && n.size() > 0)) {
                continue;
            }
            String mergedName = TreeOp.nameOf(a.href());
            op.write(mergedName, merged);
            op.delete(TreeOp.nameOf(b.href()));
            out.set(left, op.item(a.href(), merged));
            out.remove(right);
            touchedHrefs.add(a.href());
            i = Math.max(-1, left - 2);
        }
        return out;
    }

    /**
     * Lets each local child lower than the tallest local child join an adjacent local sibling
     * that is taller than it, as one of that sibling's children, when the sibling with it stays
     * within the fill of a split piece and keeps the 16x rule. Links of several heights come
     * from splices (a piece that broke 16x hands its children up); left in place they pile up
     * towards the root, whose cuts then break 16x with every try. Folded into a neighbour they
     * cost the parent no link, and the neighbour, grown, keeps 16x more easily. {@code refs}
     * must be in key order; the result is too. Links shaped by a ring ({@link
     * ChildCuts#ofTheRing}) are left as they are.
     */
    static List<ChildRef> absorbShort(TreeOp op, List<ChildRef> refs) throws IOException {
        if (ChildCuts.ofTheRing(refs)) {
            return refs;
        }
        int tallest = -1;
        for (ChildRef c : refs) {
            if (Links.isRelative(c.href()) && !c.routing()) {
                tallest = Math.max(tallest, c.height());
            }
        }
        List<ChildRef> out = new ArrayList<>(refs);
        for (int i = 0; i < out.size(); i++) {
            ChildRef c = out.get(i);
            if (c.height() >= tallest || !Links.isRelative(c.href()) || c.routing()) {
                continue;
            }
            for (int j : new int[] {localNeighbourAfter(out, i), localNeighbourBefore(out, i)}) {
                if (j < 0 || out.get(j).height() <= c.height()) {
                    continue;
                }
                ChildRef s = out.get(j);
                boolean after = j > i;
                if (!(after ? adjacent(c.range(), s.range()) : adjacent(s.range(), c.range()))) {
                    continue;
                }
                String name = TreeOp.nameOf(s.href());
                Node sibling = op.read(name);
                List<ChildRef> kids = new ArrayList<>(sibling.children());
                kids.add(c);
                kids.sort(LocalTree.BY_LOW);
                Range union = after
                        ? new Range(c.range().low(), s.range().high())
                        : new Range(s.range().low(), c.range().high());
                Node grown = TreeOp.marked(
                        sibling.withChildren(kids, union, Cover.size(union, kids), op.now));
                if (!Budgets.within(op.byteSize(grown), Budgets.SPLIT_FILL)
                        || !Rules.obeysSixteenX(grown)) {
                    continue;
                }
                op.write(name, grown);
                out.set(j, op.item(s.href(), grown));
                out.remove(i);
                i--;
                break;
            }
        }
        return out;
    }

    /**
     * The index of the local child (not routing) nearest after {@code i} in the list, else the
     * nearest before it, passing over links to other machines between them; -1 when none.
     */
    private static int localNeighbour(List<ChildRef> refs, int i) {
        int after = localNeighbourAfter(refs, i);
        return after >= 0 ? after : localNeighbourBefore(refs, i);
    }

    /** The index of the nearest local child (not routing) after {@code i}; -1 when none. */
    private static int localNeighbourAfter(List<ChildRef> refs, int i) {
        for (int j = i + 1; j < refs.size(); j++) {
            if (Links.isRelative(refs.get(j).href()) && !refs.get(j).routing()) {
                return j;
            }
        }
        return -1;
    }

    /** The index of the nearest local child (not routing) before {@code i}; -1 when none. */
    private static int localNeighbourBefore(List<ChildRef> refs, int i) {
        for (int j = i - 1; j >= 0; j--) {
            if (Links.isRelative(refs.get(j).href()) && !refs.get(j).routing()) {
                return j;
            }
        }
        return -1;
    }

    private static boolean adjacent(Range a, Range b) {
        return a.high() != null && a.high().equals(b.low());
    }
}
