package org.distree.maintain;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.distree.model.Bound;
import org.distree.model.ChildRef;
import org.distree.model.Range;
import org.distree.rules.Sweep;
import org.jspecify.annotations.Nullable;

/**
 * Which links a machine's routing takes ({@link Routing}): {@code replicas} chains drawn up the
 * key space together from the complete nodes of other machines (each key's links on different
 * machines where there are, a leaf first, then the one reaching furthest), the partial nodes
 * that bridge a chain's holes, and a later chain patched with the first chain's links.
 */
final class RoutingChains {
    private RoutingChains() {}

    /**
     * {@code count} chains drawn up the key space together, each a list of candidates, no
     * candidate in two (but see the first chain below). The chain whose link ends lowest takes
     * the next at the point where it ends: among the candidates not yet taken that hold it, one
     * on a machine that none of the other chains' links there is on, a leaf before a node above
     * the leaves, then the better ({@link #better}); where every such candidate is on those
     * machines (or none holds the point), the chain skips ahead to where a candidate starts or
     * one of those links ends. A chain that moves on sees the machines the others hold the point
     * on, and they see its own when they move on: every key has its chains' links on as many
     * different machines as hold it, up to {@code count}, so that {@code count - 1} of them
     * stopping leave a link to a live one. (Drawn one after the other, a chain could only avoid
     * the earlier chains' machines at the point where its link started, and the earlier chains
     * moved onto its machine further up.) The first chain then takes the others' links where
     * they held the only candidates, so that it alone reaches every key a candidate holds.
     * Chains with no link are left out.
     */
    static List<List<ChildRef>> chains(List<ChildRef> candidates, int count) {
        Sweep sweep = new Sweep(candidates);
        List<Integer> bottom = sweep.at(null);
        List<Integer> here = bottom;
        Bound point = null;
        boolean[] taken = new boolean[candidates.size()];
        List<List<ChildRef>> out = new ArrayList<>();
        Bound[] reach = new Bound[count];
        boolean[] started = new boolean[count];
        boolean[] done = new boolean[count];
        for (int k = 0; k < count; k++) {
            out.add(new ArrayList<>());
        }
        while (true) {
            int k = lowest(reach, started, done);
            if (k < 0) {
                break;
            }
            Bound p = reach[k];
            if (started[k] && p != null && (point == null || p.compareTo(point) > 0)) {
                here = sweep.at(p);
                point = p;
            }
            List<Integer> holding = started[k] ? here : bottom;
            Set<String> there = new HashSet<>();
            for (int j = 0; j < count; j++) {
                List<ChildRef> other = out.get(j);
                if (j != k && !other.isEmpty() && holds(other.get(other.size() - 1), p)) {
                    there.add(Adoption.origin(other.get(other.size() - 1)));
                }
            }
            int best = -1;
            boolean bestFresh = false;
            for (int i : holding) {
                if (taken[i]) {
                    continue;
                }
                ChildRef c = candidates.get(i);
                boolean fresh = !there.contains(Adoption.origin(c));
                if (best < 0 || preferred(c, fresh, candidates.get(best), bestFresh)) {
                    best = i;
                    bestFresh = fresh;
                }
            }
            started[k] = true;
            if (best < 0 || !bestFresh) {
                // Nothing here, or only nodes on machines the other chains hold the point on
                // (they add no machine): wait for the next link to start, or for one of those
                // chains to move on.
                Bound next = sweep.nextLow();
                if (best >= 0) {
                    for (int j = 0; j < count; j++) {
                        List<ChildRef> other = out.get(j);
                        Bound high = other.isEmpty()
                                ? null
                                : other.get(other.size() - 1).range().high();
                        if (j != k
                                && high != null
                                && holds(other.get(other.size() - 1), p)
                                && (next == null || high.compareTo(next) < 0)) {
                            next = high;
                        }
                    }
                }
                if (next == null || (p != null && next.compareTo(p) <= 0)) {
                    done[k] = true;
                } else {
                    reach[k] = next;
                }
                continue;
            }
            taken[best] = true;
            ChildRef link = candidates.get(best);
            out.get(k).add(link);
            reach[k] = link.range().high();
            done[k] = reach[k] == null;
        }
        out.removeIf(List::isEmpty);
        if (out.size() > 1) {
            // The first chain left a point to the others where they held the only candidates:
            // it takes their links there, so that it alone reaches every key a candidate holds
            // (it is what stays when the root has no room for the others, and what fills the
            // later chains' holes). Drawn alone it did; drawn together without this (and without
            // the wait above), a ring of 10 daemons lost keys at 2 stops in 7 runs of 17.
            List<ChildRef> first = new ArrayList<>(out.get(0));
            first.sort(Routing.BY_LOW);
            List<ChildRef> others = new ArrayList<>();
            out.subList(1, out.size()).forEach(others::addAll);
            others.sort(Routing.BY_LOW);
            out.set(0, patched(first, others));
        }
        return out;
    }

    /** The chain not done whose link ends lowest (one not started first), or -1. */
    private static int lowest(Bound[] reach, boolean[] started, boolean[] done) {
        int k = -1;
        for (int j = 0; j < reach.length; j++) {
            if (done[j]) {
                continue;
            }
            if (!started[j]) {
                return j;
            }
            if (k < 0 || reach[j].compareTo(reach[k]) < 0) {
                k = j;
            }
        }
        return k;
    }

    /** Whether {@code c} holds point {@code p} (null: the start of the key space). */
    private static boolean holds(ChildRef c, @Nullable Bound p) {
        return p == null ? c.range().low() == null : c.range().contains(p);
    }

    /**
     * Whether candidate {@code c} goes before {@code best}: on a machine none of the other
     * chains holds the point on, then a leaf (a routing node must be 16 times the size of its
     * largest link, which a few large nodes among leaves break: they would go in the root, which
     * has room for few), then {@link #better}.
     */
    private static boolean preferred(ChildRef c, boolean fresh, ChildRef best, boolean bestFresh) {
        if (fresh != bestFresh) {
            return fresh;
        }
        boolean leaf = c.height() == 0;
        if (leaf != (best.height() == 0)) {
            return leaf;
        }
        return better(c, best);
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
     * For each hole of {@code chain} (sorted by low), links to partial nodes of {@code fill} that
     * tile it: at each point of the hole, the node holding it that ends first, its item narrowed
     * to the part of the hole from that point to where the node ends (or the hole does), with the
     * size {@code sizeWithin} gives for that part. Points no node of {@code fill} holds stay
     * holes.
     *
     * <p>Narrowed, because a partial node over its whole range would take the place of the
     * complete nodes it overlaps in its routing node's cover (rule 7 takes, at a point only
     * partial nodes hold, the one reaching furthest, and jumps to its end): an origin's own leaf
     * over a fifth of the keys then hid the complete nodes there, the routing node's size fell
     * below 16 times its largest link, and the links of the stretch went to a root with no room
     * for them (a ring of 50 with 15 machines stopped lost 9% of its keys for three rounds, where
     * the holders left alive held them). A narrowed item is an item that lags (rule 10 binds only
     * links on one machine): a search reads the node for the part the item names, keeps what it
     * lists and, the node being partial, covers that part again from the root's other links.
     */
    static List<ChildRef> bridges(
            List<ChildRef> chain,
            List<ChildRef> fill,
            java.util.function.ToLongBiFunction<ChildRef, Range> sizeWithin) {
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
                Bound end = Range.compareHighs(best.range().high(), hole.high()) < 0
                        ? best.range().high()
                        : hole.high();
                Range part = new Range(p, end);
                out.add(new ChildRef(
                        best.href(),
                        part,
                        best.height(),
                        sizeWithin.applyAsLong(best, part),
                        best.checked(),
                        best.status(),
                        best.extra()));
                p = end;
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
