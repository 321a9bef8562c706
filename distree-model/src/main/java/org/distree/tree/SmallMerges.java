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
     * two fit together well within the budget. Empty leaves always merge away.
     */
    static List<ChildRef> merge(TreeOp op, List<ChildRef> refs, List<Integer> touched)
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
            if (!Budgets.within(op.byteSize(n), Budgets.MERGE_BELOW) && n.size() > 0) {
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
            if (!Budgets.within(op.byteSize(merged), Budgets.SPLIT_FILL)) {
                continue;
            }
            String mergedName = TreeOp.nameOf(a.href());
            op.write(mergedName, merged);
            op.delete(TreeOp.nameOf(b.href()));
            out.set(left, ChildRef.local(a.href(), merged, op.now));
            out.remove(right);
            touchedHrefs.add(a.href());
            i = Math.max(-1, left - 2);
        }
        return out;
    }

    /**
     * The index of the local child (not routing) nearest after {@code i} in the list, else the
     * nearest before it, passing over links to other machines between them; -1 when none.
     */
    private static int localNeighbour(List<ChildRef> refs, int i) {
        for (int j = i + 1; j < refs.size(); j++) {
            if (Links.isRelative(refs.get(j).href()) && !refs.get(j).routing()) {
                return j;
            }
        }
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
