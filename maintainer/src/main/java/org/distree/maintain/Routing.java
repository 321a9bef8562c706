package org.distree.maintain;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.distree.html.NodeWriter;
import org.distree.maintain.internal.RemoteWalk;
import org.distree.maintain.internal.RingWalk;
import org.distree.model.Bound;
import org.distree.model.ChildRef;
import org.distree.model.Links;
import org.distree.model.Node;
import org.distree.model.Range;
import org.distree.model.Status;
import org.distree.rules.Budgets;
import org.distree.rules.Cover;
import org.distree.rules.Rules;
import org.distree.rules.Sweep;
import org.jspecify.annotations.Nullable;

/**
 * What the root of a machine that holds ranges links on other machines, so that for every key
 * it reaches a node that vouches for it: its own leaves vouch only inside its arcs.
 *
 * <pre>
 * complete nodes that hold entries, read this run or linked by their own machines' nodes read
 * (any height, other machines, acceptable children; not routing nodes nor roots)
 *   ─► chains: from the lowest key up, at each point a leaf if one holds it (a leaf of twice
 *      the entries over a sliver), else the one reaching furthest ({@code replicas} chains, each
 *      avoiding the earlier ones' links and, where it can, their machines, so a dead machine
 *      costs no key)
 *   ─► keys no complete node holds (gaps): the partial nodes there, all of them; the first chain
 *      bridges each gap with those reaching least far past it, the root links the others
 *   ─► linked from the root when they fit in it, else each chain through routing nodes of its
 *      own, each a run of its links in key order within {@value Budgets#ADOPT_FILL} of 10 KB and
 *      the 16x rule; links too large for 16x in routing nodes of their own where together they
 *      obey it, else in the root, as many as fit
 * </pre>
 *
 * <p>Every machine so builds its own routing over the nodes that hold the entries: one level of
 * routing nodes under the root, which holds up to about 40 of them with its own children, each
 * linking about 40 nodes (some thousands of leaves over the chains). Linking other machines' routing nodes instead, which a larger
 * index will need, must first be made stable: two machines that link each other's routing drop
 * their own in turn.
 */
final class Routing {

    private static final Comparator<ChildRef> BY_LOW =
            (a, b) -> Range.compareLows(a.range().low(), b.range().low());

    private Routing() {}

    /**
     * Sets the root's routing from the nodes read and the complete nodes their own machines link
     * ({@code linked}); returns the files written.
     */
    static int run(Context ctx, List<RemoteWalk.Seen> seen, List<RingWalk.Linked> linked)
            throws IOException {
        Instant now = ctx.now();
        ctx.nextAcceptableRun();
        List<ChildRef> candidates = new ArrayList<>();
        List<ChildRef> partial = new ArrayList<>();
        Set<String> known = new HashSet<>();
        for (RemoteWalk.Seen s : seen) {
            Node n = s.node();
            // Only nodes that hold entries: a routing node or a root of another machine changes
            // with that machine's own choice of links, and two machines linking each other's
            // routing would take turns dropping their own (a cycle of two rounds, measured).
            if (n.routing()
                    || n.id() != null
                    || (n.range().equals(Range.ALL) && !n.isLeaf())
                    || ctx.own(s.url())
                    || !ctx.acceptableChild(n)) {
                continue;
            }
            (n.partial() ? partial : candidates).add(Adoption.refTo(s, now));
            known.add(s.url().toString());
        }
        for (RingWalk.Linked l : linked) {
            ChildRef item = l.item();
            // As for the nodes read: no routing node, no root, none of this machine's, and
            // each once (a node both read and linked is taken as read).
            if (item.partial()
                    || item.routing()
                    || (item.range().equals(Range.ALL) && item.height() > 0)
                    || ctx.own(l.url())
                    || !known.add(l.url().toString())) {
                continue;
            }
            candidates.add(new ChildRef(
                    l.url().toString(),
                    item.range(),
                    item.height(),
                    item.size(),
                    now,
                    Status.OK,
                    java.util.Map.of()));
        }
        List<List<ChildRef>> chains = new ArrayList<>();
        List<ChildRef> chosen = new ArrayList<>();
        Set<String> taken = new HashSet<>();
        for (int c = 0; c < ctx.config().replicas(); c++) {
            List<ChildRef> chain = chain(candidates, taken, chosen);
            if (!chain.isEmpty()) {
                chains.add(chain);
                chain.forEach(r -> taken.add(r.href()));
                chosen.addAll(chain);
            }
        }
        // Keys no complete node holds (holders that could not copy their ranges, within the
        // copy budget or the acceptance policy): the partial nodes there, all of them, so that
        // a search reads each (the union is what exists).
        List<ChildRef> complete = new ArrayList<>();
        for (ChildRef c : chosen) {
            if (c.status() != Status.DEAD) {
                complete.add(c);
            }
        }
        complete.sort(BY_LOW);
        List<Range> bare = complete.isEmpty() ? List.of(Range.ALL) : holes(complete);
        List<ChildRef> fill = new ArrayList<>();
        for (ChildRef p : partial) {
            if (bare.stream().anyMatch(h -> h.meets(p.range()))) {
                fill.add(p);
            }
        }
        chosen.addAll(fill);
        if (chosen.isEmpty()) {
            return 0;
        }
        // The first chain bridges its gaps with the narrowest partial nodes there, so that its
        // runs go on through them; a wide partial node in a routing node would take the place
        // of the complete ones it overlaps in the node's cover (the size rule) and break 16x.
        // The other partial nodes of the gaps are linked from the root.
        List<ChildRef> bridges = chains.isEmpty() ? List.of() : bridges(chains.get(0), fill);
        if (!bridges.isEmpty()) {
            List<ChildRef> first = new ArrayList<>(chains.get(0));
            first.addAll(bridges);
            first.sort(BY_LOW);
            chains.set(0, first);
        }
        chosen.sort(BY_LOW);
        Node root = ctx.tree().root();
        List<ChildRef> local = new ArrayList<>();
        if (root.isLeaf()) {
            local.add(ChildRef.local("self.html", root, now));
        } else {
            for (ChildRef c : root.children()) {
                if (Links.isRelative(c.href()) && !c.routing()) {
                    local.add(c);
                }
            }
        }
        if (fits(local, chosen, now)) {
            return install(ctx, root, chosen, List.of(), List.of());
        }
        // Each chain cut in routing nodes of its own (each covers its range once, so it holds
        // enough children for 16x; links too large for any go in the root): a search that meets
        // a dead machine through one goes back to the root and takes another chain's node there,
        // on other machines where there were any. (Alternates inside one chain's routing nodes
        // rarely fit: a node cut full of one
        // chain has no room left, and one cut smaller breaks 16x.)
        List<Node> routing = new ArrayList<>();
        // The links the root takes itself, in chain order: whole chains too short for routing
        // nodes, and the links too large for any.
        List<ChildRef> loose = new ArrayList<>(fill);
        loose.removeAll(bridges);
        List<Integer> chainOf = new ArrayList<>();
        for (int c = 0; c < chains.size(); c++) {
            // A later chain has holes where no other holder was read: the first chain's links
            // there fill them, so that its runs are whole and make routing nodes.
            List<ChildRef> chain = c == 0 ? chains.get(0) : patched(chains.get(c), chains.get(0));
            List<ChildRef> big = new ArrayList<>();
            List<Node> nodes = groups(chain, big, now);
            if (nodes.isEmpty()) {
                // A chain of few large nodes needs no routing: the root links them.
                loose.addAll(chain);
                continue;
            }
            loose.addAll(big);
            for (Node n : nodes) {
                routing.add(n);
                chainOf.add(c);
            }
        }
        // The root holds local children, routing nodes and the loose links: the last chains'
        // routing nodes go first when they do not all fit (the first chain alone still reaches
        // every key), then the loose links the rest cover, then the smallest.
        List<ChildRef> refs = new ArrayList<>();
        for (Node g : routing) {
            refs.add(ChildRef.local("r.html", g, now));
        }
        // More routing nodes than the root holds: a second level, each chain's routing nodes in
        // routing nodes of their own (a ring of hundreds of machines); failing that, the last
        // chains' routing nodes go first (the first chain alone still reaches every key).
        List<List<Integer>> upper = List.of();
        if (!fits(local, refs, now)) {
            Upper two = upper(routing, chainOf, now);
            if (fits(local, two.top(), now)) {
                upper = two.groups();
                refs = two.top();
            }
        }
        while (upper.isEmpty()
                && !fits(local, refs, now)
                && !routing.isEmpty()
                && chainOf.get(chainOf.size() - 1) > 0) {
            routing.remove(routing.size() - 1);
            chainOf.remove(chainOf.size() - 1);
            refs.remove(refs.size() - 1);
        }
        if (!fits(local, refs, now)) {
            Upper two = upper(routing, chainOf, now);
            if (!fits(local, two.top(), now)) {
                return 0; // more routing than two levels hold: left for a later version
            }
            upper = two.groups();
            refs = two.top();
        }
        List<ChildRef> routed = new ArrayList<>();
        routing.forEach(g -> routed.addAll(g.children()));
        // Each node once: a later chain patched with the first chain's links lifts the same
        // link again, and a link a routing node holds gains nothing from the root.
        Set<String> linkedOnce = hrefs(routed);
        List<ChildRef> single = new ArrayList<>();
        for (ChildRef c : loose) {
            if (linkedOnce.add(c.href())) {
                single.add(c);
            }
        }
        List<ChildRef> kept = trim(local, refs, single, routed, now);
        kept.sort(BY_LOW);
        return install(ctx, root, kept, routing, upper);
    }

    /**
     * A second level of routing: the root's links ({@code top}) and, for each upper routing
     * node, the indexes of the routing nodes it links ({@code groups}).
     */
    private record Upper(List<ChildRef> top, List<List<Integer>> groups) {}

    /**
     * Each chain's routing nodes (in key order) cut in upper routing nodes as {@link #groups}
     * cuts a chain's links (within 10 KB, obeying 16x, covering their range); those no run takes
     * stay in the root.
     */
    private static Upper upper(List<Node> routing, List<Integer> chainOf, Instant now) {
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
            chain.sort(BY_LOW);
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
     * {@code links} (in chain order) that fit in the root beside {@code local} and {@code
     * fixed}: when not all do, first those whose range the rest still cover (with the links of
     * {@code routed} and the complete local children), the last chains' first, then the
     * smallest; the root keeps the rest rather than keep old links that may be gone (a larger
     * index needs a second level of routing, which this version does not make).
     */
    private static List<ChildRef> trim(
            List<ChildRef> local,
            List<ChildRef> fixed,
            List<ChildRef> links,
            List<ChildRef> routed,
            Instant now) {
        List<ChildRef> out = new ArrayList<>(links);
        List<ChildRef> all = new ArrayList<>(fixed);
        all.addAll(out);
        if (fits(local, all, now)) {
            return out;
        }
        // Partial links (the gaps' fill) vouch for nothing: a link they seem to cover stays.
        List<ChildRef> covering = new ArrayList<>();
        for (ChildRef c : routed) {
            if (!c.partial()) {
                covering.add(c);
            }
        }
        for (ChildRef c : local) {
            if (!c.partial()) {
                covering.add(c);
            }
        }
        for (int k = out.size() - 1; k >= 0 && !fits(local, all, now); k--) {
            ChildRef c = out.get(k);
            List<ChildRef> others = new ArrayList<>(covering);
            for (int m = 0; m < out.size(); m++) {
                if (m != k && !out.get(m).partial()) {
                    others.add(out.get(m));
                }
            }
            others.sort(BY_LOW);
            if (Cover.firstGap(c.range(), others).isEmpty()) {
                out.remove(k);
                all.remove(c);
            }
        }
        List<ChildRef> order = new ArrayList<>(out);
        order.sort(Comparator.comparingLong(ChildRef::size));
        for (ChildRef drop : order) {
            if (fits(local, all, now)) {
                break;
            }
            out.remove(drop);
            all.remove(drop);
        }
        return out;
    }

    /**
     * Sets the root's links unless it already has exactly these, which is checked first on the
     * committed nodes, without holding the tree (a daemon keeps taking writes).
     */
    private static int install(
            Context ctx,
            Node root,
            List<ChildRef> remote,
            List<Node> routing,
            List<List<Integer>> upper)
            throws IOException {
        Set<String> haveRemote = new HashSet<>();
        List<Set<String>> haveRouting = new ArrayList<>();
        List<Integer> haveShape = new ArrayList<>();
        if (!root.isLeaf()) {
            for (ChildRef c : root.children()) {
                if (!Links.isRelative(c.href())) {
                    haveRemote.add(c.href());
                } else if (c.routing()) {
                    Node n = ctx.tree().read(org.distree.store.NodeStore.NODE_DIR + "/" + c.href());
                    boolean two = !n.children().isEmpty()
                            && n.children().stream()
                                    .allMatch(g -> Links.isRelative(g.href()) && g.routing());
                    haveShape.add(two ? n.children().size() : 0);
                    for (ChildRef g : two ? n.children() : List.of(c)) {
                        haveRouting.add(hrefs(ctx.tree()
                                .read(org.distree.store.NodeStore.NODE_DIR + "/" + g.href())
                                .children()));
                    }
                }
            }
        }
        List<Set<String>> wantRouting = new ArrayList<>();
        routing.forEach(n -> wantRouting.add(hrefs(n.children())));
        List<Integer> wantShape = new ArrayList<>();
        upper.forEach(g -> wantShape.add(g.size()));
        int grouped = upper.stream().mapToInt(List::size).sum();
        for (int i = grouped; i < routing.size(); i++) {
            wantShape.add(0);
        }
        java.util.Collections.sort(haveShape);
        java.util.Collections.sort(wantShape);
        // In any order: the root lists its children by key, and routing nodes that start at the
        // same key (one a chain) may be listed in another order than the chains made them.
        if (!root.isLeaf()
                && haveRemote.equals(hrefs(remote))
                && haveShape.equals(wantShape)
                && haveRouting.size() == wantRouting.size()
                && new HashSet<>(haveRouting).equals(new HashSet<>(wantRouting))) {
            return 0;
        }
        return ctx.tree().setRouting(remote, routing, upper);
    }

    private static Set<String> hrefs(List<ChildRef> refs) {
        Set<String> out = new HashSet<>();
        for (ChildRef r : refs) {
            out.add(r.href());
        }
        return out;
    }

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

    private static boolean fits(List<ChildRef> local, List<ChildRef> more, Instant now) {
        List<ChildRef> all = new ArrayList<>(local);
        all.addAll(more);
        all.sort(BY_LOW);
        int height = 1;
        for (ChildRef c : all) {
            height = Math.max(height, c.height() + 1);
        }
        Node n = Node.internal(height, Range.ALL, Cover.size(Range.ALL, all), all, now);
        return Budgets.within(NodeWriter.byteSize(n), Budgets.ADOPT_FILL);
    }

    /**
     * One chain's links (in key order, each reaching past the one before) in routing nodes: runs
     * of consecutive links, each node's range from its first link's low end to its last link's
     * high end (so that its links cover it), within {@value Budgets#ADOPT_FILL} of 10 KB and
     * obeying 16x. The fewest links that fit in no such run, then the fewest nodes (found by
     * dynamic programming over where the runs end), go to {@code lifted} instead, for the root,
     * which 16x does not bind; the nodes between them cover their ranges with no hole. Empty when
     * every link is lifted (a chain of a few large nodes).
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
        // cost[i]: for the first i links, 1,000 per link lifted plus 1 per node; from[i]: where
        // the last run ending at link i-1 starts, or -1 when link i-1 is lifted.
        long[] cost = new long[n + 1];
        int[] from = new int[n + 1];
        for (int i = 1; i <= n; i++) {
            cost[i] = cost[i - 1] + 1000;
            from[i] = -1;
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
                if (cost[j] + 1 < cost[i]
                        && Rules.obeysSixteenX(sizes, largest)
                        && contiguous(chain, j, i)) {
                    Node r = run(chain, j, i, now);
                    if (Rules.obeysSixteenX(r.size(), largest)
                            && Budgets.within(
                                    NodeWriter.fixedBytes(r) + items, Budgets.ADOPT_FILL)) {
                        cost[i] = cost[j] + 1;
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
    private static List<Range> holes(List<ChildRef> chain) {
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
        out.sort(BY_LOW);
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
        in.sort(BY_LOW);
        return Node.internal(height, r, Cover.size(r, in), in, now);
    }
}
