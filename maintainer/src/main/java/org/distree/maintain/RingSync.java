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
        Map<String, List<String>> places = new LinkedHashMap<>();
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
        int copied = SyncJob.copyEntries(
                ctx,
                seen,
                withdrawn,
                dropped == 0 ? local : LocalNodes.list(ctx.tree()),
                arcs,
                skipped);
        if (walk.complete()) {
            List<Range> vouched = walked == null ? arcs : Ring.intersect(arcs, walked);
            vouch(ctx, arcs, vouched, skipped);
        }
        if (walk.complete()) {
            shed(ctx, self, places, ring, walk, skipped);
        }
        int adopted = SyncJob.adoptChildren(ctx, seen, LocalNodes.list(ctx.tree()), true);
        adopted += Routing.run(ctx, seen, walk.linked()) > 0 ? 1 : 0;
        JobReport report = SyncJob.report(fetches, submitted, seen, dropped, copied, adopted);
        if (walk.complete()) {
            return report;
        }
        // A ring reads each machine's root and a few files of each every run (docs/PROTOCOL.md,
        // Limits): a budget below that leaves the walk short in every run, which an operator
        // must see.
        return new JobReport(
                report.job(),
                report.fetches(),
                report.changes(),
                report.detail()
                        + String.format(
                                java.util.Locale.ROOT,
                                "; the fetch budget (max-fetches-per-round=%d) ran out before"
                                        + " the %d machines known were read: nothing was dropped or"
                                        + " vouched for, raise it to about 15 a machine",
                                config.maxFetches(),
                                state.members().size()));
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
     * when {@code positions} changed), places over the keys it holds and read in this run and
     * the keys that bound the children of the nodes it holds and read, published on its root
     * from then on. Places stay where they are once published: places that moved with what each
     * walk read would move ranges, copies and links every run. The only change is a place shed
     * for load ({@link #shed}): the root then publishes {@code positions} less those shed.
     */
    private static List<String> ownPlaces(
            Context ctx, String self, List<RemoteWalk.Seen> seen, List<LocalNodes.Local> local)
            throws IOException {
        int positions = ctx.config().positions();
        List<String> published = Ring.decode(ctx.tree().root().extra().get(Node.PLACES));
        if (!published.isEmpty() && published.size() + ctx.state().placesShed() == positions) {
            return published;
        }
        ctx.state().placesShed(0);
        Set<String> scale = new java.util.HashSet<>();
        for (LocalNodes.Local l : local) {
            l.node().entries().forEach(e -> scale.add(e.key()));
            bounds(l.node(), scale);
        }
        for (RemoteWalk.Seen s : seen) {
            s.node().entries().forEach(e -> scale.add(e.key()));
            bounds(s.node(), scale);
        }
        List<String> places = Ring.placesOf(self, scale, positions);
        try {
            ctx.tree().setRootAttribute(org.distree.model.Node.PLACES, Ring.encode(places));
        } catch (IllegalArgumentException full) {
            // A root with no room left: this machine holds its ranges unpublished (the others
            // leave it off their rings) until the rules job has split the root.
        }
        return places;
    }

    /**
     * Sync runs between two places shed at most, and runs the ring must have stayed the same
     * before one is: {@value}. Enough for the next holders of the ranges shed (or of a machine
     * gone) to read and copy them (one run) and vouch (the run after), so that the stores
     * weighed are those of the ring as it is.
     */
    static final int SHED_EVERY = 3;

    /**
     * A machine sheds a place when its ranges need more than this many times the mean store of
     * the machines on the ring: {@value}. Dropping one of 4 places takes about a quarter of its
     * copies away, so a machine above it comes back near the mean, and the machines that take
     * the ranges over stay below it.
     */
    static final double SHED_ABOVE = 1.3;

    /**
     * Ranges move when load is uneven: when the entries this machine's ranges need (its own, the
     * copies it holds and those the copy budget left out) pass {@link #SHED_ABOVE} times the
     * mean store of the machines on the ring, it drops one of its places, and the ranges behind
     * that place pass to the next machines on the ring, which take them over as when a machine
     * leaves. At most one place each {@link #SHED_EVERY} runs, only once the ring has stayed the
     * same that long (after a machine leaves, the others first take its ranges over: every
     * machine needs more then, and none should shed for it), and never below half of {@code
     * positions} (rounded up). Which place: the one whose dropping leaves the need nearest the
     * mean, weighed with the ring without it (a machine's ranges only shrink when it drops a
     * place, and what the ranges it keeps need is known here). A machine's store is read from
     * its root: the sizes of its own children but routing nodes. Hashed places vary: on the
     * simulated ring of 1,000 machines with 4 places each, the largest store was 1.9 times the
     * mean (7.48 against 3.98 shares, docs/SCALE.md); without this such a machine stores the most or, under its copy budget, vouches for part
     * of its ranges only, leaving those keys fewer complete holders than {@code replicas}.
     * Tried and left: shedding down to one place (on rings of 20, a machine of one place took
     * ranges past 9 shares when its neighbours stopped, and could shed no more), and moving a
     * place to a new hashed one instead of dropping it (a random walk: the largest store of a
     * ring of 20 went from 5.67 to 6.94 shares on one seed, and never settled).
     */
    private static void shed(
            Context ctx,
            String self,
            Map<String, List<String>> places,
            Ring ring,
            RingWalk.Result walk,
            Set<Bound> skipped)
            throws IOException {
        List<String> mine = places.get(self);
        int replicas = ctx.config().replicas();
        int stable = ctx.ringStable(ring.digest());
        if (mine == null
                || mine.size() <= (ctx.config().positions() + 1) / 2
                || places.size() <= replicas
                || stable < SHED_EVERY
                || !ctx.mayShed(SHED_EVERY)) {
            return;
        }
        long total = store(ctx.tree().root());
        int counted = 1;
        for (RemoteWalk.Seen s : walk.seen()) {
            URI root = walk.roots().get(s.origin());
            if (root != null
                    && root.equals(s.url())
                    && !s.origin().equals(self)
                    && places.containsKey(s.origin())) {
                total += store(s.node());
                counted++;
            }
        }
        double mean = (double) total / counted;
        List<Bound> needed = new ArrayList<>(skipped);
        long own = 0;
        for (LocalNodes.Local l : LocalNodes.list(ctx.tree())) {
            if (l.node().isLeaf()) {
                for (org.distree.model.Entry e : l.node().entries()) {
                    if (e.extra().containsKey(SyncJob.COPY)) {
                        needed.add(e.position());
                    } else {
                        own++;
                    }
                }
            }
        }
        if (own + needed.size() <= SHED_ABOVE * mean) {
            return;
        }
        List<String> best = null;
        double bestOff = Double.MAX_VALUE;
        for (int i = 0; i < mine.size(); i++) {
            List<String> fewer = new ArrayList<>(mine);
            fewer.remove(i);
            Map<String, List<String>> without = new LinkedHashMap<>(places);
            without.put(self, fewer);
            List<Range> arcs = Ring.of(without, replicas).arcs(self);
            long need =
                    own + needed.stream().filter(b -> Ring.contains(arcs, b)).count();
            double off = Math.abs(need - mean);
            if (off < bestOff) {
                best = fewer;
                bestOff = off;
            }
        }
        if (best == null) {
            return;
        }
        try {
            ctx.tree().setRootAttribute(Node.PLACES, Ring.encode(best));
        } catch (IllegalArgumentException full) {
            return; // a root with no room: the places stay as they are
        }
        ctx.state().placesShed(ctx.config().positions() - best.size());
        ctx.state().save();
        ctx.shed();
    }

    /** The entries a machine stores, from its root: its own children's sizes but routing nodes'. */
    private static long store(Node root) {
        if (root.isLeaf()) {
            return root.entries().size();
        }
        long n = 0;
        for (ChildRef c : root.children()) {
            if (Links.isRelative(c.href()) && !c.routing()) {
                n += c.size();
            }
        }
        return n;
    }

    /**
     * Adds the keys that bound an internal node's children to a scale: every machine reads the
     * roots of the others, so they gather nearly the same bounds, which fall about evenly among
     * the entries (leaves are cut by size).
     */
    private static void bounds(Node n, Set<String> scale) {
        for (ChildRef c : n.children()) {
            if (c.range().low() != null) {
                scale.add(c.range().low().key());
            }
            if (c.range().high() != null) {
                scale.add(c.range().high().key());
            }
        }
    }

    /**
     * Marks what this machine vouches for: leaves inside its arcs are complete, unless the copy
     * budget left out an entry in their range; leaves are cut at the arcs' edges first.
     */
    private static void vouch(
            Context ctx, List<Range> arcs, List<Range> vouched, Set<Bound> skipped)
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
                r -> Ring.within(vouched, r) && !holdsAny(missing, r);
        if (marked(LocalNodes.list(ctx.tree()), held, new TreeSet<>(cuts))) {
            return; // every mark is right: the tree is not taken
        }
        ctx.tree().vouch(held, cuts);
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
