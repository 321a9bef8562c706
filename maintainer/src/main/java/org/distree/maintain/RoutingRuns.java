package org.distree.maintain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.distree.html.NodeWriter;
import org.distree.model.Bound;
import org.distree.model.ChildRef;
import org.distree.model.Node;
import org.distree.model.Range;
import org.distree.rules.Budgets;
import org.distree.rules.Cover;
import org.distree.rules.Rules;
import org.jspecify.annotations.Nullable;

/**
 * How a machine's routing links are cut into routing nodes ({@link Routing}): a chain's links in
 * runs, each a routing node within 85% of 10 KB and the 16x rule, and, for a ring whose routing
 * nodes the root cannot hold, each chain's routing nodes in upper routing nodes the same way.
 */
final class RoutingRuns {
    private RoutingRuns() {}

    /** What a link left out of every run costs: more than any number of nodes and cuts. */
    private static final long LIFTED = 1L << 40;

    /** What a routing node costs, beside its cut's penalty. */
    private static final long NODE = 8;

    /** The penalty of a cut at the weakest link; one at a link of {@link #ANCHOR} levels, none. */
    private static final long WEAK_CUT = 16;

    /** The level of a link where a cut costs nothing more than the node it ends. */
    private static final int ANCHOR = 4;

    /**
     * What a run ending just before {@code next} costs beside its node: the fewer trailing zero
     * bits in a hash of {@code next}'s low bound (its key and link, not its file name), the more,
     * so that runs end at the same links whatever changes elsewhere in the chain (content-defined
     * cuts, as in Merkle search trees), and a changed link rewrites its routing node, not every
     * node on one side of it.
     */
    static long cutPenalty(ChildRef next) {
        Bound low = next.range().low();
        long h = low == null ? 0 : mix(low.key().hashCode() * 31L + low.link().hashCode());
        int level = Math.min(ANCHOR, Long.numberOfTrailingZeros(h));
        return WEAK_CUT * (ANCHOR - level) / ANCHOR;
    }

    /** A 64-bit finalizer (MurmurHash3's), so that a key's hash bits are evenly spread. */
    private static long mix(long x) {
        x ^= x >>> 33;
        x *= 0xff51afd7ed558ccdL;
        x ^= x >>> 33;
        x *= 0xc4ceb9fe1a85ec53L;
        x ^= x >>> 33;
        return x;
    }

    /**
     * A second level of routing: the root's links ({@code top}) and, for each upper routing
     * node, the indexes of the routing nodes it links ({@code groups}).
     */
    record Upper(List<ChildRef> top, List<List<Integer>> groups) {}

    /**
     * Each chain's routing nodes (in key order) cut in upper routing nodes as {@link #groups}
     * cuts a chain's links (within 10 KB, obeying 16x, covering their range); those no run takes
     * stay in the root.
     */
    static Upper upper(List<Node> routing, List<Integer> chainOf, Instant now) {
        List<ChildRef> top = new ArrayList<>();
        List<List<Integer>> groups = new ArrayList<>();
        java.util.IdentityHashMap<ChildRef, Integer> index = new java.util.IdentityHashMap<>();
        int chains = chainOf.isEmpty() ? 0 : java.util.Collections.max(chainOf) + 1;
        for (int c = 0; c < chains; c++) {
            List<ChildRef> chain = new ArrayList<>();
            for (int i = 0; i < routing.size(); i++) {
                if (chainOf.get(i) == c) {
                    ChildRef ref = ChildRef.local("r.html", routing.get(i), now);
                    index.put(ref, i);
                    chain.add(ref);
                }
            }
            chain.sort(Routing.BY_LOW);
            List<ChildRef> lifted = new ArrayList<>();
            for (Node u : groups(chain, lifted, now)) {
                List<Integer> g = new ArrayList<>();
                u.children()
                        .forEach(ref -> g.add(java.util.Objects.requireNonNull(index.get(ref))));
                groups.add(g);
                top.add(ChildRef.local("r.html", u, now));
            }
            top.addAll(lifted);
        }
        return new Upper(top, groups);
    }

    /**
     * One chain's links (in key order, each reaching past the one before) in routing nodes: runs
     * of consecutive links, each node's range from its first link's low end to its last link's
     * high end (so that its links cover it), within {@value Budgets#ADOPT_FILL} of 10 KB and
     * obeying 16x. The fewest links that fit in no such run go to {@code lifted} instead, for
     * the root, which 16x does not bind; the others are cut where runs cost least (dynamic
     * programming over where the runs end): a node each, and each cut its {@link #cutPenalty},
     * so that runs end at the same anchor links from one run of the job to the next (some 13%
     * more nodes than the fewest). The nodes between lifted links cover their ranges with no
     * hole. Empty when every link is lifted (a chain of a few large nodes).
     */
    static List<Node> groups(List<ChildRef> chain, List<ChildRef> lifted, Instant now) {
        int n = chain.size();
        // A run's bytes are its node's fixed bytes plus its links' items (NodeWriter measures
        // items one at a time); the items' sum alone, a lower bound, ends the search for longer
        // runs and skips runs that cannot fit, and the sum of the links' sizes, an upper bound
        // of the run's size, skips runs that cannot obey 16x, so that only the runs that may be
        // taken are built (this loop is most of a sync's time on a ring of 100 machines).
        long[] item = new long[n];
        for (int k = 0; k < n; k++) {
            item[k] = NodeWriter.itemBytes(chain.get(k));
        }
        // cost[i]: for the first i links, LIFTED per link lifted, NODE per node and, for each
        // run ending before the chain does, the cut's penalty; from[i]: where the last run
        // ending at link i-1 starts, or -1 when link i-1 is lifted.
        long[] cost = new long[n + 1];
        int[] from = new int[n + 1];
        for (int i = 1; i <= n; i++) {
            cost[i] = cost[i - 1] + LIFTED;
            from[i] = -1;
            long runCost = NODE + (i < n ? cutPenalty(chain.get(i)) : 0);
            long largest = 0;
            long items = 0;
            long sizes = 0;
            for (int j = i - 1; j >= 0; j--) {
                largest = Math.max(largest, chain.get(j).size());
                sizes += chain.get(j).size();
                items += item[j];
                if (!Budgets.within(items, Budgets.ADOPT_FILL)) {
                    break; // longer runs only grow
                }
                // A run covers its range: it does not reach over keys no link of it holds.
                if (cost[j] + runCost < cost[i]
                        && Rules.obeysSixteenX(sizes, largest)
                        && contiguous(chain, j, i)) {
                    Node r = run(chain, j, i, now);
                    if (Rules.obeysSixteenX(r.size(), largest)
                            && Budgets.within(
                                    NodeWriter.fixedBytes(r) + items, Budgets.ADOPT_FILL)) {
                        cost[i] = cost[j] + runCost;
                        from[i] = j;
                    }
                }
            }
        }
        List<Node> out = new ArrayList<>();
        List<ChildRef> left = new ArrayList<>();
        for (int i = n; i > 0; ) {
            if (from[i] < 0) {
                left.add(chain.get(i - 1));
                i--;
            } else {
                out.add(run(chain, from[i], i, now));
                i = from[i];
            }
        }
        java.util.Collections.reverse(out);
        java.util.Collections.reverse(left);
        lifted.addAll(left);
        return out;
    }

    /**
     * True when links {@code j} to {@code i - 1} (sorted by low) hold every key from the first's
     * low to the furthest high among them: each link starts at or before the furthest reach of
     * the links before it (a short partial node between two long links leaves no gap).
     */
    private static boolean contiguous(List<ChildRef> chain, int j, int i) {
        Bound reach = chain.get(j).range().high();
        for (int k = j + 1; k < i; k++) {
            if (reach == null) {
                return true;
            }
            Range r = chain.get(k).range();
            if (r.low() != null && r.low().compareTo(reach) > 0) {
                return false;
            }
            if (Range.compareHighs(r.high(), reach) > 0) {
                reach = r.high();
            }
        }
        return true;
    }

    /** The routing node over links {@code j} to {@code i - 1} of a chain. */
    private static Node run(List<ChildRef> chain, int j, int i, Instant now) {
        Bound high = chain.get(j).range().high();
        for (int k = j + 1; k < i && high != null; k++) {
            if (Range.compareHighs(chain.get(k).range().high(), high) > 0) {
                high = chain.get(k).range().high();
            }
        }
        return node(chain.subList(j, i), chain.get(j).range().low(), high, now);
    }

    private static Node node(
            List<ChildRef> children, @Nullable Bound low, @Nullable Bound high, Instant now) {
        Range r = new Range(low, high);
        List<ChildRef> in = new ArrayList<>();
        int height = 1;
        for (ChildRef c : children) {
            if (c.range().meets(r)) {
                in.add(c);
                height = Math.max(height, c.height() + 1);
            }
        }
        in.sort(Routing.BY_LOW);
        return Node.internal(height, r, Cover.size(r, in), in, now);
    }
}
