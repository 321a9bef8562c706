package org.distree.maintain;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;
import org.distree.maintain.internal.Fetches;
import org.distree.maintain.internal.Inbox;
import org.distree.maintain.internal.LocalNodes;
import org.distree.maintain.internal.RemoteWalk;
import org.distree.maintain.internal.Ring;
import org.distree.model.Bound;
import org.distree.model.ChildRef;
import org.distree.model.Entry;
import org.distree.model.Links;
import org.distree.model.Node;
import org.distree.model.Range;
import org.distree.rules.Cover;
import org.distree.tree.LocalTree;
import org.jspecify.annotations.Nullable;

/**
 * Neighbor sync: this machine's nodes meet the nodes of other machines at the same height.
 *
 * <pre>
 * inbox (submissions) ─► neighbors ─┐
 * peer roots, remote children ──────┴► RemoteWalk (fetch, parse, heights fall, budget)
 *   leaves:   drop copies their own machine withdrew (its leaf covering the key lacks it);
 *             copy entries they lack from overlapping remote leaves (acceptance, copy budget;
 *             ranges near own entries first), marked data-copy=ORIGIN; own entries untouched
 *   internal: adopt children of same-height overlapping remote nodes (Adoption: preference,
 *             redundancy, 10 KB, 16x); a leaf root grows a root to link remote leaves it could
 *             not copy
 * </pre>
 *
 * <p>On the ring ({@code positions} above 0) {@link RingSync} runs instead, with the copies,
 * withdrawals and adoptions of this class.
 */
final class SyncJob {
    /** The attribute that marks an entry copied from another machine; its value is the origin. */
    public static final String COPY = "data-copy";

    /** Entries copied per transaction. */
    static final int BATCH = 2000;

    private SyncJob() {}

    public static JobReport run(Context ctx) throws IOException {
        MaintainerConfig config = ctx.config();
        int submitted = Inbox.drain(config.data(), ctx.state());
        if (config.positions() > 0) {
            return RingSync.run(ctx, submitted);
        }
        // Only nodes above the leaves link other machines' nodes.
        List<LocalNodes.Local> local = LocalNodes.internal(ctx.tree());
        Set<URI> starts = new LinkedHashSet<>(config.peers());
        for (String n : ctx.state().neighbors()) {
            starts.add(URI.create(n));
        }
        URI self = config.data().toUri();
        for (LocalNodes.Local l : local) {
            for (ChildRef c : l.node().children()) {
                if (!Links.isRelative(c.href())) {
                    try {
                        starts.add(Links.resolve(self, c.href()));
                    } catch (IllegalArgumentException e) {
                        // A bad link is the link check's business.
                    }
                }
            }
        }
        Fetches fetches = ctx.fetches();
        List<RemoteWalk.Seen> seen = RemoteWalk.walk(fetches, starts, ctx::own);
        ctx.lastSeen(seen);
        for (RemoteWalk.Seen s : seen) {
            if (s.node().height() > 0
                    && config.peers().stream().noneMatch(p -> Links.origin(p).equals(s.origin()))) {
                // Remember other machines' upper nodes: later walks start there too.
                ctx.state().addNeighbor(s.url().toString());
            }
        }
        ctx.state().save();
        if (seen.isEmpty()) {
            // No other machine's node: nothing withdrawn, nothing to copy or adopt, so the
            // whole tree is not read (a static tree with no peers, or every peer down).
            return report(fetches, submitted, seen, 0, 0, 0);
        }
        Withdrawn withdrawn = new Withdrawn(seen);
        List<LocalNodes.Local> now = LocalNodes.list(ctx.tree());
        int dropped = dropWithdrawn(ctx, withdrawn, now, null);
        int copied = copyEntries(
                ctx,
                seen,
                withdrawn,
                dropped == 0 ? now : LocalNodes.list(ctx.tree()),
                null,
                new TreeSet<>(),
                new TreeSet<>());
        // Walked again: a leaf root links only the remote leaves whose entries it lacks now.
        int adopted = adoptChildren(ctx, seen, LocalNodes.list(ctx.tree()), false);
        return report(fetches, submitted, seen, dropped, copied, adopted);
    }

    static JobReport report(
            Fetches fetches,
            int submitted,
            List<RemoteWalk.Seen> seen,
            int dropped,
            int copied,
            int adopted) {
        return new JobReport(
                "sync",
                fetches.count(),
                dropped + copied + adopted,
                String.format(
                        Locale.ROOT,
                        "%d submissions taken, %d remote nodes seen, %d copies removed"
                                + " (withdrawn, or outside the ranges held), %d entries copied, %d nodes adopted children",
                        submitted,
                        seen.size(),
                        dropped,
                        copied,
                        adopted));
    }

    /**
     * Whether copies may come from {@code origin} ({@code scheme://host[:port]} as {@link
     * Links#origin} writes it): every origin, none, or those whose host, or host and port, the
     * {@code accept-hosts} allowlist names. A host {@link URI} cannot parse (one with {@code _})
     * is compared as written.
     */
    static boolean accepts(MaintainerConfig config, String origin) {
        return switch (config.acceptance()) {
            case ALL -> true;
            case NONE -> false;
            case ALLOWLIST -> {
                int sep = origin.indexOf("://");
                if (sep < 0) {
                    yield false; // no host: a file: origin
                }
                String scheme = origin.substring(0, sep);
                String authority = origin.substring(sep + 3);
                // An origin names its port only when it is not the scheme's default.
                int colon = authority.lastIndexOf(':');
                boolean hasPort = colon > authority.lastIndexOf(']');
                String host = hasPort ? authority.substring(0, colon) : authority;
                String port =
                        hasPort ? authority.substring(colon + 1) : "" + Links.defaultPort(scheme);
                yield config.acceptHosts().contains(host)
                        || config.acceptHosts().contains(host + ":" + port);
            }
        };
    }

    /**
     * Copies entries local leaves lack; returns how many. Own entries are never replaced.
     *
     * <p>An entry whose link is relative (a record entry's always is: {@code ../p/NAME.html},
     * FORMAT.md) is not copied: on this machine its link would lead to this machine's files, and
     * a record entry carries no attribute to mark it a copy. Its place goes into {@code
     * unshared}, so that the leaf that holds its place does not vouch for it: a search asks its
     * own machine.
     *
     * <p>Chosen without holding the tree, from a walk that reads each node as last committed;
     * then {@link LocalTree#insertAbsent} puts each batch in under the tree's monitor, where it
     * checks again that no entry is at the copy's position, so an own entry the daemon wrote
     * meanwhile is never replaced by a copy.
     */
    static int copyEntries(
            Context ctx,
            List<RemoteWalk.Seen> seen,
            Withdrawn withdrawn,
            List<LocalNodes.Local> local,
            @Nullable List<Range> arcs,
            Set<Bound> skipped,
            Set<Bound> unshared)
            throws IOException {
        URI base = ctx.config().baseUrl();
        String self = base == null ? null : Links.origin(base);
        MaintainerConfig config = ctx.config();
        LocalTree tree = ctx.tree();
        TreeMap<Bound, Boolean> leafHasOwn = new TreeMap<>();
        Map<Bound, Entry> present = new HashMap<>();
        long copies = 0;
        for (LocalNodes.Local l : local) {
            if (!l.node().isLeaf()) {
                continue;
            }
            boolean own = false;
            for (Entry e : l.node().entries()) {
                present.put(e.position(), e);
                if (e.extra().containsKey(COPY)) {
                    copies++;
                } else {
                    own = true;
                }
            }
            Bound low = l.node().range().low();
            leafHasOwn.put(low == null ? Bound.of("") : low, own);
        }
        long room = config.copyBudget() == Long.MAX_VALUE
                ? Long.MAX_VALUE
                : Math.max(0, config.copyBudget() - copies);
        Map<Bound, Entry> near = new LinkedHashMap<>();
        Map<Bound, Entry> far = new LinkedHashMap<>();
        for (RemoteWalk.Seen s : seen) {
            if (!s.node().isLeaf()) {
                continue;
            }
            if (!accepts(config, s.origin())) {
                // Entries of the ranges held that this machine may not copy: the leaves they
                // fall in do not vouch for their range.
                for (Entry e : s.node().entries()) {
                    if (arcs != null
                            && s.node().range().contains(e.position())
                            && Ring.contains(arcs, e.position())
                            && !present.containsKey(e.position())) {
                        skipped.add(e.position());
                    }
                }
                continue;
            }
            for (Entry e : s.node().entries()) {
                Bound p = e.position();
                // A remote leaf vouches only for the entries inside its own range.
                if (present.containsKey(p)
                        || !s.node().range().contains(p)
                        || (arcs != null && !Ring.contains(arcs, p))) {
                    continue;
                }
                String origin = e.extra().getOrDefault(COPY, s.origin());
                // Not back here, where it is gone, nor from where its own machine dropped it.
                if (origin.equals(self) || withdrawn.test(origin, p)) {
                    continue;
                }
                if (e.isRecord() || Links.isRelative(e.link())) {
                    unshared.add(p);
                    continue;
                }
                Entry copy = e.extra().containsKey(COPY) ? e : withCopy(e, s.origin());
                Map.Entry<Bound, Boolean> leaf = leafHasOwn.floorEntry(p);
                (leaf != null && leaf.getValue() ? near : far).putIfAbsent(p, copy);
            }
        }
        List<Entry> take = new ArrayList<>();
        if (arcs != null) {
            // Within the arcs, in key order: what does not fit is remembered, so that the
            // leaves it falls in do not vouch for their range.
            TreeMap<Bound, Entry> inOrder = new TreeMap<>(near);
            inOrder.putAll(far);
            for (Entry e : inOrder.values()) {
                if (take.size() < room) {
                    take.add(e);
                } else {
                    skipped.add(e.position());
                }
            }
        } else {
            for (Entry e : near.values()) {
                if (take.size() < room) {
                    take.add(e);
                }
            }
            for (Entry e : far.values()) {
                if (!near.containsKey(e.position()) && take.size() < room) {
                    take.add(e);
                }
            }
        }
        int copied = 0;
        for (int i = 0; i < take.size(); i += BATCH) {
            copied += tree.insertAbsent(take.subList(i, Math.min(take.size(), i + BATCH)));
        }
        return copied;
    }

    /**
     * Entries their own machine no longer holds. An entry first copied from origin O at position
     * p is withdrawn when a leaf of O fetched in this run holds p in its range but not the entry,
     * and no leaf of O fetched in this run holds it: a leaf vouches for its whole range. Orphan
     * copies are frozen, so they vouch for nothing.
     */
    static final class Withdrawn {
        private final Map<String, List<Node>> leaves = new HashMap<>();
        private final IdentityHashMap<Node, Set<Bound>> held = new IdentityHashMap<>();

        Withdrawn(List<RemoteWalk.Seen> seen) {
            for (RemoteWalk.Seen s : seen) {
                if (s.node().isLeaf() && s.node().id() == null) {
                    leaves.computeIfAbsent(s.origin(), o -> new ArrayList<>()).add(s.node());
                }
            }
        }

        boolean test(String origin, Bound p) {
            boolean lacking = false;
            for (Node leaf : leaves.getOrDefault(origin, List.of())) {
                if (!leaf.range().contains(p)) {
                    continue;
                }
                Set<Bound> h = held.computeIfAbsent(leaf, l -> {
                    Set<Bound> out = new java.util.HashSet<>();
                    l.entries().forEach(e -> out.add(e.position()));
                    return out;
                });
                if (h.contains(p)) {
                    return false;
                }
                lacking = true;
            }
            return lacking;
        }
    }

    /**
     * Removes the copies whose own machine withdrew them; returns how many. Chosen without the
     * tree; {@link LocalTree#deleteIf} removes each only if it is still a copy from that origin
     * (an own entry written there meanwhile stays).
     */
    static int dropWithdrawn(
            Context ctx,
            Withdrawn withdrawn,
            List<LocalNodes.Local> local,
            @Nullable List<Range> arcs)
            throws IOException {
        Map<String, List<Bound>> byOrigin = new HashMap<>();
        for (LocalNodes.Local l : local) {
            for (Entry e : l.node().entries()) {
                String origin = e.extra().get(COPY);
                if (origin != null
                        && (withdrawn.test(origin, e.position())
                                || (arcs != null && !Ring.contains(arcs, e.position())))) {
                    byOrigin.computeIfAbsent(origin, o -> new ArrayList<>()).add(e.position());
                }
            }
        }
        int dropped = 0;
        for (Map.Entry<String, List<Bound>> o : byOrigin.entrySet()) {
            String origin = o.getKey();
            dropped += ctx.tree()
                    .deleteIf(o.getValue(), e -> origin.equals(e.extra().get(COPY)));
        }
        return dropped;
    }

    private static Entry withCopy(Entry e, String origin) {
        Map<String, String> extra = new HashMap<>(e.extra());
        extra.put(COPY, origin);
        return new Entry(e.key(), e.link(), e.title(), e.comment(), e.digest(), extra);
    }

    /**
     * Internal nodes adopt children of same-height remote nodes; returns nodes changed.
     *
     * <p>The candidates are chosen without holding the tree; each edit then runs inside {@link
     * LocalTree#editChildren}'s transaction on the node's children as they are at that moment
     * (another job may have changed them since the walk), and decides there what to adopt.
     */
    static int adoptChildren(
            Context ctx, List<RemoteWalk.Seen> seen, List<LocalNodes.Local> local, boolean routed)
            throws IOException {
        Map<URI, RemoteWalk.Seen> byUrl = new HashMap<>();
        for (RemoteWalk.Seen s : seen) {
            byUrl.put(s.url(), s);
        }
        java.time.Instant now = ctx.now();
        int redundancy = ctx.config().redundancy();
        Map<String, UnaryOperator<List<ChildRef>>> edits = new HashMap<>();
        Set<Bound> present = new java.util.HashSet<>();
        for (LocalNodes.Local l : local) {
            l.node().entries().forEach(e -> present.add(e.position()));
        }
        for (LocalNodes.Local l : local) {
            Node n = l.node();
            if (routed && (l.root() || n.routing())) {
                continue; // the root's links are Routing's
            }
            if (n.isLeaf()) {
                if (l.root()) {
                    leafRoot(ctx, l, seen, present, now).ifPresent(e -> edits.put(l.name(), e));
                }
                continue;
            }
            List<ChildRef> candidates = new ArrayList<>();
            for (RemoteWalk.Seen m : seen) {
                if (m.node().height() != n.height() || !m.node().range().meets(n.range())) {
                    continue;
                }
                for (ChildRef c : m.node().children()) {
                    URI url;
                    try {
                        url = Links.resolve(Links.file(m.url()), c.href());
                    } catch (IllegalArgumentException e) {
                        continue;
                    }
                    RemoteWalk.Seen child = byUrl.get(url);
                    if (child != null
                            && !ctx.own(url)
                            && Adoption.acceptable(child.node(), n.height(), n.range())) {
                        candidates.add(Adoption.refTo(child, now));
                    }
                }
            }
            List<ChildRef> next = Adoption.adopt(n, l.root(), candidates, redundancy);
            if (next.size() > n.children().size()) {
                boolean root = l.root();
                edits.put(
                        l.name(),
                        current -> Adoption.adopt(
                                n.withChildren(
                                        current,
                                        n.range(),
                                        Cover.size(n.range(), current),
                                        n.updated()),
                                root,
                                candidates,
                                redundancy));
            }
        }
        return edits.isEmpty() ? 0 : ctx.tree().editChildren(edits);
    }

    /**
     * A leaf root links the remote leaves whose entries it could not copy (acceptance policy or
     * copy budget), under a new root one level up.
     */
    private static java.util.Optional<UnaryOperator<List<ChildRef>>> leafRoot(
            Context ctx,
            LocalNodes.Local l,
            List<RemoteWalk.Seen> seen,
            Set<Bound> present,
            java.time.Instant now) {
        List<ChildRef> candidates = new ArrayList<>();
        for (RemoteWalk.Seen s : seen) {
            if (!s.node().isLeaf() || !Adoption.acceptable(s.node(), 1, Range.ALL)) {
                continue;
            }
            boolean lacking =
                    s.node().entries().stream().anyMatch(e -> !present.contains(e.position()));
            if (lacking) {
                candidates.add(Adoption.refTo(s, now));
            }
        }
        if (candidates.isEmpty()) {
            return java.util.Optional.empty();
        }
        ChildRef self =
                ChildRef.local(l.name().substring(l.name().lastIndexOf('/') + 1), l.node(), now);
        Node up = Node.internal(1, Range.ALL, l.node().size(), List.of(self), now);
        List<ChildRef> next = Adoption.adopt(up, true, candidates, ctx.config().redundancy());
        if (next.size() <= 1) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(old -> next);
    }
}
