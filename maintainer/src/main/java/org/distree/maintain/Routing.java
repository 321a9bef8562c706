package org.distree.maintain;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.distree.html.NodeWriter;
import org.distree.maintain.internal.RemoteWalk;
import org.distree.maintain.internal.RingWalk;
import org.distree.model.Bound;
import org.distree.model.ChildRef;
import org.distree.model.Entry;
import org.distree.model.Links;
import org.distree.model.Node;
import org.distree.model.Range;
import org.distree.model.Status;
import org.distree.rules.Budgets;
import org.distree.rules.Cover;
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

    static final Comparator<ChildRef> BY_LOW =
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
        Map<String, Node> partialNodes = new HashMap<>();
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
            ChildRef ref = Adoption.refTo(s, now);
            (n.partial() ? partial : candidates).add(ref);
            if (n.partial()) {
                partialNodes.put(ref.href(), n);
            }
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
        List<List<ChildRef>> chains =
                RoutingChains.chains(candidates, ctx.config().replicas());
        List<ChildRef> chosen = new ArrayList<>();
        chains.forEach(chosen::addAll);
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
        List<Range> bare = complete.isEmpty() ? List.of(Range.ALL) : RoutingChains.holes(complete);
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
        // The first chain bridges its gaps with the partial nodes there, each item narrowed to
        // the gap (RoutingChains.bridges), so that its runs go on through them. The other
        // partial nodes of the gaps are linked from the root.
        List<ChildRef> bridges = chains.isEmpty()
                ? List.of()
                : RoutingChains.bridges(
                        chains.get(0),
                        fill,
                        (c, part) -> sizeWithin(partialNodes.get(c.href()), c, part));
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
        Set<String> bridged = hrefs(bridges);
        loose.removeIf(c -> bridged.contains(c.href()));
        List<Integer> chainOf = new ArrayList<>();
        for (int c = 0; c < chains.size(); c++) {
            // A later chain has holes where no other holder was read: the first chain's links
            // there fill them, so that its runs are whole and make routing nodes.
            List<ChildRef> chain =
                    c == 0 ? chains.get(0) : RoutingChains.patched(chains.get(c), chains.get(0));
            List<ChildRef> big = new ArrayList<>();
            List<Node> nodes = RoutingRuns.groups(chain, big, now);
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
            RoutingRuns.Upper two = RoutingRuns.upper(routing, chainOf, now);
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
            RoutingRuns.Upper two = RoutingRuns.upper(routing, chainOf, now);
            if (!fits(local, two.top(), now)) {
                // The root's own children leave no room (many small leaves): grouped a level
                // down, they make room for the next run's routing; else more routing than two
                // levels hold, left for a later version.
                ctx.tree().groupRoot();
                return 0;
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
        List<ChildRef> kept = trim(local, refs, single, routed, ctx.config().replicas(), now);
        kept.sort(BY_LOW);
        return install(ctx, root, kept, routing, upper);
    }

    /**
     * The entries of {@code part} that the partial node {@code node} (linked by {@code item})
     * lists: a leaf's entries there, or an internal node's children's sizes along its cover of
     * the part; the item's size when the node was not read.
     */
    static long sizeWithin(@Nullable Node node, ChildRef item, Range part) {
        if (node == null) {
            return item.size();
        }
        if (node.isLeaf()) {
            long n = 0;
            for (Entry e : node.entries()) {
                if (part.contains(e.position())) {
                    n++;
                }
            }
            return n;
        }
        return Cover.size(part.intersect(node.range()), node.children());
    }

    /**
     * {@code links} (in chain order) that fit in the root beside {@code local} and {@code
     * fixed}: when not all do, first those whose every key the rest still hold on {@code
     * replicas} machines (with the links of {@code routed} and the complete local children,
     * this machine counting as one), then on 2, then at all, the last chains' first each time,
     * then the smallest; the root keeps the rest rather than keep old links that may be gone.
     * (Going first by cover alone, a root of a ring of 10 kept one chain where three did not
     * fit, and two stops then left keys with no live link: the machines are what a stop takes.)
     */
    private static List<ChildRef> trim(
            List<ChildRef> local,
            List<ChildRef> fixed,
            List<ChildRef> links,
            List<ChildRef> routed,
            int replicas,
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
        // Machines counted key by key cost links squared for each link: for the few hundred
        // links at most that a root holds.
        List<Integer> needs = new ArrayList<>();
        if (out.size() <= MAX_COUNTED) {
            for (int need = replicas; need >= 2; need--) {
                needs.add(need);
            }
        }
        needs.add(1);
        for (int need : needs) {
            for (int k = out.size() - 1; k >= 0 && !fits(local, all, now); k--) {
                ChildRef c = out.get(k);
                List<ChildRef> others = new ArrayList<>(covering);
                for (int m = 0; m < out.size(); m++) {
                    if (m != k && !out.get(m).partial()) {
                        others.add(out.get(m));
                    }
                }
                others.sort(BY_LOW);
                boolean held = need == 1
                        ? Cover.firstGap(c.range(), others).isEmpty()
                        : fewestMachines(c.range(), others) >= need;
                if (held) {
                    out.remove(k);
                    all.remove(c);
                }
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

    /** Links to the root at most whose machines {@link #trim} counts key by key: {@value}. */
    static final int MAX_COUNTED = 150;

    /**
     * The fewest machines whose links among {@code links} hold a key of {@code range}: over each
     * piece of the range between the links' bounds, the machines of the links that enclose it.
     */
    static int fewestMachines(Range range, List<ChildRef> links) {
        // Only a link that meets the range can enclose a piece of it. The pieces are swept left
        // to right, each link counted from the piece at its low to the one before its high, so
        // that a root of hundreds of links, a wide one among them, costs n log n, not n squared.
        List<ChildRef> meeting = new ArrayList<>();
        for (ChildRef l : links) {
            if (l.range().meets(range)) {
                meeting.add(l);
            }
        }
        java.util.TreeMap<Bound, Integer> cuts = new java.util.TreeMap<>();
        for (ChildRef l : meeting) {
            for (Bound b : new Bound[] {l.range().low(), l.range().high()}) {
                if (b != null
                        && range.contains(b)
                        && (range.low() == null || b.compareTo(range.low()) > 0)) {
                    cuts.put(b, 0);
                }
            }
        }
        int pieces = cuts.size() + 1; // piece 0 starts at the range's low, piece k at cut k
        int k = 1;
        for (Map.Entry<Bound, Integer> e : cuts.entrySet()) {
            e.setValue(k++);
        }
        List<List<String>> starts = new ArrayList<>();
        List<List<String>> ends = new ArrayList<>();
        for (int i = 0; i <= pieces; i++) {
            starts.add(new ArrayList<>());
            ends.add(new ArrayList<>());
        }
        for (ChildRef l : meeting) {
            Bound low = l.range().low();
            Bound high = l.range().high();
            Integer from = low == null ? null : cuts.get(low);
            Integer to = high == null ? null : cuts.get(high);
            String origin = Adoption.origin(l);
            starts.get(from == null ? 0 : from).add(origin);
            ends.get(to == null ? pieces : to).add(origin);
        }
        Map<String, Integer> open = new HashMap<>();
        int fewest = Integer.MAX_VALUE;
        for (int i = 0; i < pieces; i++) {
            for (String o : ends.get(i)) {
                open.merge(o, -1, (a, b) -> a + b == 0 ? null : a + b);
            }
            for (String o : starts.get(i)) {
                open.merge(o, 1, Integer::sum);
            }
            fewest = Math.min(fewest, open.size());
        }
        return fewest;
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
}
