package org.distree.maintain;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.distree.maintain.internal.Balance;
import org.distree.maintain.internal.Fetches;
import org.distree.maintain.internal.LocalNodes;
import org.distree.maintain.internal.RemoteWalk;
import org.distree.maintain.internal.Ring;
import org.distree.maintain.internal.RingWalk;
import org.distree.maintain.internal.State;
import org.distree.model.Bound;
import org.distree.model.ChildRef;
import org.distree.model.Links;
import org.distree.model.Node;
import org.distree.model.Range;
import org.distree.rules.Cover;
import org.distree.store.NodeStore;
import org.distree.tree.LocalTree;
import org.jspecify.annotations.Nullable;

/**
 * Neighbor sync on the ring ({@code positions} above 0), {@link SyncJob}'s second half: the
 * machines known, their places and the ranges held; copies within them, marks, routing.
 *
 * <pre>
 * machines known (peers, submissions, links read) ─► RingWalk: roots, own files meeting the
 *   ranges held; the places each root publishes ─► the ring ─► the ranges held now
 *   copies: taken within them (budget), dropped outside; leaves vouched for where both this
 *           run and the last held them and nothing was left out
 *   root:   Routing links, for every key, complete nodes of other machines
 * </pre>
 */
final class RingSync {
    private RingSync() {}

    /**
     * Sync on the ring ({@code positions} above 0): the roots of the machines known are read, and
     * of their trees only what meets the ranges this machine held in the last run ({@link
     * RingWalk}); the ring is this machine's places and those published by the machines read now
     * or within {@link #GRACE_RUNS} runs; copies are taken and dropped by the ranges held now,
     * and vouched for only where both runs held them (the walk read nothing else); the root's
     * routing is made from the complete nodes read or linked by their own machines.
     */
    static JobReport run(Context ctx, int submitted) throws IOException {
        MaintainerConfig config = ctx.config();
        State state = ctx.state();
        long now = ctx.now().toEpochMilli();
        String self = Links.origin(java.util.Objects.requireNonNull(config.baseUrl()));
        for (String n : state.neighbors()) {
            // A submission, or a node remembered before the ring: its machine takes part.
            URI u = uri(n);
            if (u != null) {
                state.heardOf(Links.origin(u), now);
            }
        }
        // The peers, then the machines whose roots were read before, then those only heard of
        // (a node can name many machines that never answer: they must not take the budget).
        Set<URI> starts = new LinkedHashSet<>(config.peers());
        List<URI> unread = new ArrayList<>();
        for (Map.Entry<String, State.Member> m : state.members().entrySet()) {
            String root = m.getValue().root();
            URI u = uri(root != null ? root : m.getKey() + "/" + NodeStore.INDEX);
            if (u != null && !m.getKey().equals(self)) {
                (root != null ? starts : unread).add(u);
            }
        }
        starts.addAll(unread);
        Ring last = ctx.ring();
        List<Range> walked = last == null ? null : last.arcs(self);
        Fetches fetches = ctx.fetches();
        RingWalk.Explore explore = new RingWalk.Explore(
                ctx.tree().root().extra().get(Node.RING), EXPLORED_PER_RUN, now ^ self.hashCode());
        RingWalk.Result walk =
                RingWalk.walk(fetches, ctx.walkCache(), starts, ctx::own, walked, explore);
        List<RemoteWalk.Seen> seen = walk.seen();
        ctx.lastSeen(seen);
        ctx.readBySync(answered(walk), now);
        walk.heard().forEach(o -> state.heardOf(o, now));
        walk.roots().forEach((o, r) -> state.seen(o, r.toString(), walk.places().get(o), now));
        // Counted in runs, not time: a run slower than its interval (a loaded machine) must not
        // drop the machines it read a run ago.
        long since = ctx.syncStarted(now, GRACE_RUNS);
        state.forgetMembers(now - MEMBER_EXPIRY.toMillis());
        state.save();
        List<LocalNodes.Local> local = LocalNodes.list(ctx.tree());
        Map<String, List<Bound>> places = new LinkedHashMap<>();
        places.put(self, ownPlaces(ctx, self, seen, local));
        for (Map.Entry<String, State.Member> m : state.members().entrySet()) {
            State.Member member = m.getValue();
            if (!m.getKey().equals(self) && member.root() != null && member.seenMillis() >= since) {
                places.put(m.getKey(), Ring.decode(member.places()));
            }
        }
        Ring ring = Ring.of(places, config.replicas());
        ctx.ring(ring);
        try {
            String digest = ring.digest();
            // Checked on the committed root first: a sync with nothing to write does not wait
            // for a writer that holds the tree.
            if (!digest.equals(ctx.tree().root().extra().get(Node.RING))) {
                ctx.tree().setRootAttribute(Node.RING, digest);
            }
        } catch (IllegalArgumentException full) {
            // A root with no room left: the others read this machine's routing a little more
            // often until the rules job has split the root.
        }
        List<Range> arcs = ring.arcs(self);
        SyncJob.Withdrawn withdrawn = new SyncJob.Withdrawn(seen);
        // A walk the budget cut short read only part of the ranges held: what it did not read
        // is neither dropped nor vouched for anew (the marks stay as they are).
        int dropped = walk.complete() ? SyncJob.dropWithdrawn(ctx, withdrawn, local, arcs) : 0;
        Set<Bound> skipped = new TreeSet<>();
        Set<Bound> unshared = new TreeSet<>();
        int copied = SyncJob.copyEntries(
                ctx,
                seen,
                withdrawn,
                dropped == 0 ? local : LocalNodes.list(ctx.tree()),
                arcs,
                skipped,
                unshared);
        List<Range> vouched = List.of();
        if (walk.complete()) {
            vouched = walked == null ? arcs : Ring.intersect(arcs, walked);
            // Entries that are never copied (relative links) keep their leaves from vouching
            // in every run; unlike skipped ones, they do not make the ring unsettled.
            Set<Bound> notHeld = skipped;
            if (!unshared.isEmpty()) {
                notHeld = new TreeSet<>(skipped);
                notHeld.addAll(unshared);
            }
            vouch(ctx, arcs, vouched, notHeld, walk.unread());
        }
        List<LocalNodes.Local> after = LocalNodes.list(ctx.tree());
        int adopted = SyncJob.adoptChildren(ctx, seen, after, true);
        adopted += Routing.run(ctx, seen, walk.linked()) > 0 ? 1 : 0;
        boolean settled = walk.complete()
                && walk.unread().isEmpty()
                && dropped == 0
                && copied == 0
                && skipped.isEmpty();
        balance(ctx, self, ring, walk, after, settled);
        JobReport report = SyncJob.report(fetches, submitted, seen, dropped, copied, adopted);
        // What the ring is as this run sees it, so that an operator (or a test's log) can tell
        // when a machine left it and when this one took the ranges over.
        report = report.withDetail(String.format(
                java.util.Locale.ROOT,
                "; ring of %d machines (%d roots read now), %d ranges held, %d"
                        + " vouched for%s%s",
                ring.machines(),
                walk.roots().size(),
                arcs.size(),
                vouched.size(),
                walk.unread().isEmpty()
                        ? ""
                        : " but where " + walk.unread().size() + " nodes linked could not be read",
                settled ? ", settled" : ""));
        if (walk.complete()) {
            return report;
        }
        // A ring reads each machine's root and a few files of each every run (docs/PROTOCOL.md,
        // Limits): a budget below that leaves the walk short in every run, which an operator
        // must see.
        return report.withDetail(String.format(
                java.util.Locale.ROOT,
                "; the fetch budget (max-fetches-per-round=%d) ran out before"
                        + " the %d machines known were read: nothing was dropped or"
                        + " vouched for, raise it to about 15 a machine",
                config.maxFetches(),
                state.members().size()));
    }

    /**
     * Publishes this machine's store ({@link Node#STORED}) and, when it is heavy against the
     * median store of the roots read, moves its places ({@link Balance}): only once its ranges
     * are settled (this run read every machine known and neither copied nor dropped an entry,
     * nor left one out for the copy budget) and {@value #SETTLE_RUNS} runs after it last moved,
     * so that each machine judges its own store after the last move took effect, and machines do
     * not move in waves that wait for one quiet ring.
     */
    private static void balance(
            Context ctx,
            String self,
            Ring ring,
            RingWalk.Result walk,
            List<LocalNodes.Local> local,
            boolean settled)
            throws IOException {
        long load = 0;
        for (LocalNodes.Local l : local) {
            load += l.node().entries().size();
        }
        publishStore(ctx, load);
        int runs = ctx.syncsSincePlacesMoved();
        if (!ctx.config().balance()
                || !settled
                || runs <= SETTLE_RUNS
                || ring.machines() <= ctx.config().replicas()) {
            return;
        }
        long median = medianStore(walk, load);
        if (!Balance.heavy(load, median)) {
            return;
        }
        List<Bound> stored = new ArrayList<>();
        for (LocalNodes.Local l : local) {
            l.node().entries().forEach(e -> stored.add(e.position()));
        }
        stored.sort(null);
        List<Bound> published = Ring.decode(ctx.tree().root().extra().get(Node.PLACES));
        List<Bound> next = Balance.places(ring, self, published, stored, median);
        if (next.equals(published)) {
            return;
        }
        try {
            ctx.tree().setRootAttribute(Node.PLACES, Ring.encode(next));
            ctx.placesMoved();
        } catch (IllegalArgumentException full) {
            // A root with no room left: the places stay until the rules job has split the root.
        }
    }

    /**
     * Sync runs a machine waits after it moved its places before it judges its store again
     * ({@value}): the run that publishes them and the run in which its ranges shrink; a run that
     * copies or drops entries is not settled either.
     */
    static final int SETTLE_RUNS = 2;

    /**
     * Publishes this machine's store on its root when the root says nothing yet or is off by
     * more than a thirty-second: a root rewritten for every entry would answer no conditional
     * request with a {@code 304}.
     */
    private static void publishStore(Context ctx, long load) throws IOException {
        String said = ctx.tree().root().extra().get(Node.STORED);
        long before = parseStore(said);
        if (before >= 0 && Math.abs(before - load) <= load / 32) {
            return;
        }
        try {
            ctx.tree().setRootAttribute(Node.STORED, Long.toString(load));
        } catch (IllegalArgumentException full) {
            // A root with no room left: the store is published once the rules job split it.
        }
    }

    /**
     * The median of the stores that the roots read in this run publish, this machine's {@code
     * load} among them; 0 when fewer than {@value #MIN_STORES} are known. A store that is not a
     * number is left out.
     */
    private static long medianStore(RingWalk.Result walk, long load) {
        Set<URI> roots = new java.util.HashSet<>(walk.roots().values());
        List<Long> stores = new ArrayList<>();
        stores.add(load);
        for (RemoteWalk.Seen s : walk.seen()) {
            if (roots.remove(s.url())) {
                long n = parseStore(s.node().extra().get(Node.STORED));
                if (n >= 0) {
                    stores.add(n);
                }
            }
        }
        if (stores.size() < MIN_STORES) {
            return 0;
        }
        stores.sort(null);
        return stores.get(stores.size() / 2);
    }

    /** The stores a machine needs to know, its own included, before it judges its own: {@value}. */
    static final int MIN_STORES = 5;

    /** A published store, or -1 for none or a value that is not a count. */
    private static long parseStore(@Nullable String value) {
        if (value == null
                || value.isEmpty()
                || value.length() > 18
                || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return -1;
        }
        return Long.parseLong(value);
    }

    /**
     * Machines whose routing nodes a run reads at most, of those that see another ring than
     * this one ({@link RingWalk.Explore}): {@value}.
     */
    static final int EXPLORED_PER_RUN = 2;

    /** The URI in a string of the state (written by this code, or edited by hand), or null. */
    private static @Nullable URI uri(String s) {
        try {
            return URI.create(s);
        } catch (IllegalArgumentException bad) {
            return null;
        }
    }

    /**
     * Sync runs a machine stays on the ring after its root was last read (this run and the 2
     * before): a machine that misses a run or two (a restart, a slow answer) does not move every
     * range.
     */
    static final int GRACE_RUNS = 3;

    /** A machine not read for this long is forgotten. */
    static final java.time.Duration MEMBER_EXPIRY = java.time.Duration.ofDays(1);

    /**
     * The places this machine takes: those its root publishes, or, before it publishes any (or
     * when {@code positions} changed), places over the entries it holds and read in this run
     * (their positions, key and link, so a hot key weighs as its entries do) and the bounds of
     * the children of the nodes it holds and read, published on its root
     * from then on. Places stay where they are once published: places that moved with what each
     * walk read would move ranges, copies and links every run.
     */
    private static List<Bound> ownPlaces(
            Context ctx, String self, List<RemoteWalk.Seen> seen, List<LocalNodes.Local> local)
            throws IOException {
        int positions = ctx.config().positions();
        List<Bound> published = Ring.decode(ctx.tree().root().extra().get(Node.PLACES));
        if (published.size() == positions) {
            return published;
        }
        Set<Bound> scale = new java.util.HashSet<>();
        for (LocalNodes.Local l : local) {
            l.node().entries().forEach(e -> scale.add(e.position()));
            bounds(l.node(), scale);
        }
        for (RemoteWalk.Seen s : seen) {
            s.node().entries().forEach(e -> scale.add(e.position()));
            bounds(s.node(), scale);
        }
        List<Bound> places = Ring.placesOf(self, scale, positions);
        try {
            ctx.tree().setRootAttribute(org.distree.model.Node.PLACES, Ring.encode(places));
        } catch (IllegalArgumentException full) {
            // A root with no room left: this machine holds its ranges unpublished (the others
            // leave it off their rings) until the rules job has split the root.
        }
        return places;
    }

    /**
     * Adds the bounds of an internal node's children to a scale: every machine reads the
     * roots of the others, so they gather nearly the same bounds, which fall about evenly among
     * the entries (leaves are cut by size).
     */
    private static void bounds(Node n, Set<Bound> scale) {
        for (ChildRef c : n.children()) {
            if (c.range().low() != null) {
                scale.add(c.range().low());
            }
            if (c.range().high() != null) {
                scale.add(c.range().high());
            }
        }
    }

    /**
     * Marks what this machine vouches for: leaves inside its arcs are complete, unless the copy
     * budget left out an entry in their range, or the walk could not read a node that other
     * machines' trees link there ({@code unread}: what they hold there is not known); leaves are
     * cut at the arcs' edges first.
     */
    private static void vouch(
            Context ctx,
            List<Range> arcs,
            List<Range> vouched,
            Set<Bound> skipped,
            List<Range> unread)
            throws IOException {
        TreeSet<Bound> missing = new TreeSet<>(skipped);
        List<Bound> cuts = new ArrayList<>();
        for (Range a : arcs) {
            if (a.low() != null) {
                cuts.add(a.low());
            }
            if (a.high() != null) {
                cuts.add(a.high());
            }
        }
        java.util.function.Predicate<Range> held =
                r -> Ring.within(vouched, r) && !holdsAny(missing, r) && !Ring.meets(unread, r);
        List<Bound> needed = markEdges(new TreeSet<>(cuts), held);
        if (marked(LocalNodes.list(ctx.tree()), held, new TreeSet<>(needed))) {
            return; // every mark is right: the tree is not taken
        }
        ctx.tree().vouch(held, needed);
    }

    /**
     * The edges among {@code cuts} (sorted) where the mark changes: the stretch below one and
     * the stretch above it (to the neighbouring edges) are not both vouched for, nor both not.
     * A leaf is cut only there: cut where both sides are partial (arcs the copy budget left
     * short), the pieces would carry one mark, the rules would merge them, and the next run
     * would cut them again.
     */
    static List<Bound> markEdges(
            java.util.SortedSet<Bound> cuts, java.util.function.Predicate<Range> held) {
        List<Bound> sorted = new ArrayList<>(cuts);
        List<Bound> out = new ArrayList<>();
        Bound below = null;
        for (int i = 0; i < sorted.size(); i++) {
            Bound c = sorted.get(i);
            Bound above = i + 1 < sorted.size() ? sorted.get(i + 1) : null;
            if (held.test(new Range(below, c)) != held.test(new Range(c, above))) {
                out.add(c);
            }
            below = c;
        }
        return out;
    }

    /**
     * True when the committed nodes already carry the marks {@link LocalTree#vouch} would give
     * them and no leaf straddles a cut, read without holding the tree.
     */
    private static boolean marked(
            List<LocalNodes.Local> local,
            java.util.function.Predicate<Range> held,
            java.util.NavigableSet<Bound> cuts) {
        Map<String, Node> byName = new HashMap<>();
        for (LocalNodes.Local l : local) {
            byName.put(l.name().substring(l.name().lastIndexOf('/') + 1), l.node());
        }
        for (LocalNodes.Local l : local) {
            Node n = l.node();
            if (n.isLeaf()) {
                Range r = n.range();
                Bound inside = r.low() == null
                        ? (cuts.isEmpty() ? null : cuts.first())
                        : cuts.higher(r.low());
                if (n.partial() == held.test(r) || (inside != null && r.contains(inside))) {
                    return false;
                }
            } else {
                boolean partial = n.children().stream().anyMatch(ChildRef::partial)
                        && Cover.partial(n.range(), n.children());
                if (partial != n.partial() || mergeable(n, byName)) {
                    return false;
                }
            }
        }
        return true;
    }

    /**
     * True when two local leaves under this node that follow each other, of one mark, would fit
     * in one file well within the budget: cuts at edges the ranges held no longer have.
     */
    private static boolean mergeable(Node parent, Map<String, Node> byName) {
        Node prev = null;
        for (ChildRef c : parent.children()) {
            Node n = Links.isRelative(c.href()) ? byName.get(c.href()) : null;
            if (n == null || !n.isLeaf()) {
                continue;
            }
            if (prev != null
                    && prev.partial() == n.partial()
                    && java.util.Objects.equals(prev.range().high(), n.range().low())
                    && (org.distree.rules.Budgets.within(
                                    org.distree.html.NodeWriter.byteSize(prev),
                                    org.distree.rules.Budgets.MERGE_BELOW)
                            || org.distree.rules.Budgets.within(
                                    org.distree.html.NodeWriter.byteSize(n),
                                    org.distree.rules.Budgets.MERGE_BELOW))
                    && org.distree.rules.Budgets.within(
                            org.distree.html.NodeWriter.byteSize(prev)
                                    + org.distree.html.NodeWriter.byteSize(n),
                            org.distree.rules.Budgets.SPLIT_FILL)) {
                return true;
            }
            prev = n;
        }
        return false;
    }

    private static boolean holdsAny(java.util.NavigableSet<Bound> points, Range r) {
        Bound first = r.low() == null
                ? (points.isEmpty() ? null : points.first())
                : points.ceiling(r.low());
        return first != null && r.contains(first);
    }

    /**
     * The nodes the walk read, or knew current from the items their own machine wrote, on the
     * machines whose roots it read: their URLs as links name them.
     */
    private static Set<String> answered(RingWalk.Result walk) {
        Set<String> out = new java.util.HashSet<>();
        for (RemoteWalk.Seen s : walk.seen()) {
            if (walk.roots().containsKey(s.origin())) {
                out.add(s.url().toString());
            }
        }
        for (RingWalk.Linked l : walk.linked()) {
            if (walk.roots().containsKey(Links.origin(l.url()))) {
                out.add(l.url().toString());
            }
        }
        return out;
    }
}
