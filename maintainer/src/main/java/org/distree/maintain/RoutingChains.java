package org.distree.maintain;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.distree.model.Bound;
import org.distree.model.ChildRef;
import org.distree.model.Range;
import org.distree.rules.Sweep;

/**
 * Which links a machine's routing takes ({@link Routing}): {@code replicas} chains drawn up the
 * key space from the complete nodes of other machines (a leaf first, then the one reaching
 * furthest, each chain on other machines than the earlier ones where it can), the partial nodes
 * that bridge a chain's holes, and a later chain patched with the first chain's links.
 */
final class RoutingChains {
    private RoutingChains() {}

    /**
     * From the lowest key up, the candidate not yet taken that holds the point: a leaf before a
     * node above the leaves, then the one reaching furthest (then the higher, then the larger);
     * a point no candidate holds is skipped.
     */
    static List<ChildRef> chain(List<ChildRef> candidates, Set<String> taken) {
        return chain(candidates, taken, List.of());
    }

    /**
     * As {@link #chain(List, Set)}, preferring at each point a node on a machine none of whose
     * links in {@code before} (the earlier chains) meets its range: a key then has its links on
     * different machines.
     */
    static List<ChildRef> chain(
            List<ChildRef> candidates, Set<String> taken, List<ChildRef> before) {
        List<ChildRef> open = new ArrayList<>();
        for (ChildRef c : candidates) {
            if (!taken.contains(c.href())) {
                open.add(c);
            }
        }
        // Both swept up the keys at once (a scan of every candidate at each point is quadratic
        // in the machines): the candidates that hold the point, and the earlier chains' links
        // there, whose machines a fresh candidate is not on.
        Sweep sweep = new Sweep(open);
        Sweep earlier = new Sweep(before);
        List<ChildRef> out = new ArrayList<>();
        Bound p = null;
        while (true) {
            Set<String> there = new HashSet<>();
            for (int i : earlier.at(p)) {
                there.add(Adoption.origin(before.get(i)));
            }
            ChildRef best = null;
            boolean bestFresh = false;
            for (int i : sweep.at(p)) {
                ChildRef c = open.get(i);
                boolean fresh = !there.contains(Adoption.origin(c));
                // Leaves first: a routing node must be 16 times the size of its largest
                // link, which a few large nodes among leaves break (they would go in the
                // root, which has room for few).
                int leaf = best == null ? 1 : Boolean.compare(c.height() == 0, best.height() == 0);
                if (best == null
                        || leaf > 0
                        || (leaf == 0 && fresh && !bestFresh)
                        || (leaf == 0 && fresh == bestFresh && better(c, best))) {
                    best = c;
                    bestFresh = fresh;
                }
            }
            if (best == null) {
                Bound next = sweep.nextLow();
                if (next == null) {
                    return out;
                }
                p = next;
                continue;
            }
            out.add(best);
            if (best.range().high() == null) {
                return out;
            }
            p = best.range().high();
        }
    }

    /**
     * Of two leaves, the one with more entries when it has at least twice as many (a sliver
     * at the edge of a holder's range makes a routing node small beside its largest link,
     * against 16x); otherwise, and of larger nodes, the one reaching further.
     */
    private static boolean better(ChildRef a, ChildRef b) {
        if (a.height() == 0 && b.height() == 0) {
            if (a.size() >= 2 * b.size() + 1) {
                return true;
            }
            if (b.size() >= 2 * a.size() + 1) {
                return false;
            }
        }
        return reachesFurther(a, b);
    }

    private static boolean reachesFurther(ChildRef a, ChildRef b) {
        int c = Range.compareHighs(a.range().high(), b.range().high());
        if (c != 0) {
            return c > 0;
        }
        if (a.height() != b.height()) {
            return a.height() > b.height();
        }
        return a.size() > b.size();
    }

    /**
     * For each hole of {@code chain} (sorted by low), the partial nodes of {@code fill} that
     * cover it reaching least far past it: at each point of the hole, the one holding it that
     * ends first. Points no node of {@code fill} holds stay holes.
     */
    static List<ChildRef> bridges(List<ChildRef> chain, List<ChildRef> fill) {
        List<ChildRef> out = new ArrayList<>();
        for (Range hole : holes(chain)) {
            Bound p = hole.low();
            boolean start = true;
            while (start || p != null) {
                ChildRef best = null;
                for (ChildRef f : fill) {
                    Range r = f.range();
                    boolean holds =
                            (start && p == null) ? r.low() == null : p != null && r.contains(p);
                    if (holds
                            && (best == null
                                    || Range.compareHighs(r.high(), best.range().high()) < 0)) {
                        best = f;
                    }
                }
                if (best == null) {
                    break; // the rest of this hole stays one (the root links what there is)
                }
                if (!out.contains(best)) {
                    out.add(best);
                }
                p = best.range().high();
                start = false;
                if (p == null || (hole.high() != null && p.compareTo(hole.high()) >= 0)) {
                    break;
                }
            }
        }
        return out;
    }

    /** The ranges no link of {@code chain} (sorted by low) holds, in key order. */
    static List<Range> holes(List<ChildRef> chain) {
        List<Range> holes = new ArrayList<>();
        Bound reach = null;
        boolean start = true;
        for (ChildRef c : chain) {
            Bound low = c.range().low();
            if (start ? low != null : (reach != null && low != null && low.compareTo(reach) > 0)) {
                holes.add(new Range(start ? null : reach, low));
            }
            if (start || (reach != null && Range.compareHighs(c.range().high(), reach) > 0)) {
                reach = c.range().high();
            }
            start = false;
            if (reach == null) {
                return holes;
            }
        }
        if (!start) {
            holes.add(new Range(reach, null));
        }
        return holes;
    }

    /**
     * {@code chain} (sorted by low) with the links of {@code cover} (sorted by low) that meet
     * the keys none of its links holds, in key order.
     */
    static List<ChildRef> patched(List<ChildRef> chain, List<ChildRef> cover) {
        if (chain.isEmpty()) {
            return cover;
        }
        List<Range> holes = holes(chain);
        List<ChildRef> out = new ArrayList<>(chain);
        for (ChildRef c : cover) {
            if (!out.contains(c) && holes.stream().anyMatch(h -> h.meets(c.range()))) {
                out.add(c);
            }
        }
        out.sort(Routing.BY_LOW);
        return out;
    }
}
