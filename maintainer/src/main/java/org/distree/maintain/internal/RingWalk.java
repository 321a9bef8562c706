package org.distree.maintain.internal;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.distree.crawl.NodeFetchException;
import org.distree.crawl.Revalidated;
import org.distree.crawl.Validators;
import org.distree.html.NodeFormatException;
import org.distree.html.NodeSums;
import org.distree.html.RootPointerException;
import org.distree.model.ChildRef;
import org.distree.model.Links;
import org.distree.model.Node;
import org.distree.model.Range;
import org.distree.query.NodeSource;
import org.distree.store.NodeStore;
import org.jspecify.annotations.Nullable;

/**
 * What a machine that holds ranges reads of the others: each machine's own tree from its root,
 * but only where it matters to the reader. Unlike {@link RemoteWalk}, which follows every link
 * it meets, it never follows a link from one machine to another: it notes the other machine
 * and goes on; the root of a machine not known at the start is read at the end of the run
 * (the walk's starts are the roots of those known).
 *
 * <pre>
 * roots of the machines known (and the peers, and submitted nodes)
 *   └─► within one machine's own files:
 *         routing nodes             followed on the machines explored in this run (their
 *                                   links name the machines that hold ranges), and on all
 *                                   before the ranges held are known
 *         other internal nodes      followed (few; the items of the leaves below them are the
 *                                   routing's candidates)
 *         leaves                    followed where they meet the ranges held (entries to copy)
 *         everything                before the ranges held are known (the first run)
 *       links to other machines     not followed: their origins are the machines heard of,
 *                                   and the roots of those not among the starts are read last
 *       complete, non-routing items the routing's candidates, known from their item alone
 *       orphan copies in a file     read, but their items are no candidates: frozen snapshots
 *                                   of nodes that moved, they link what the tree held then
 * </pre>
 *
 * <p>A start is the root recorded for a machine when it was last read; roots move (a leaf root
 * that grows a level keeps its file, as a leaf). A start read that turns out not to be its
 * machine's root, or is gone (404, 410), has the machine's entry page read after the other
 * starts, once a run, so that the machine's root is read and recorded again; a start that does
 * not answer costs nothing more.
 *
 * <p>Reading every machine's routing nodes every run would cost each machine the routing of
 * all the others: at N machines, about N times N / 60 files a run (the routing of a ring links
 * every range's holders). A machine's root names the ring it sees ({@link Node#RING}); the walk
 * reads the routing only of machines that see another ring than this one, whose root changed
 * since this machine last read their routing, and of those at most {@link Explore#most} a run,
 * a different few each run: what one machine knows spreads as gossip does, and a ring where all
 * agree reads no routing at all.
 *
 * <p>Each file is asked for with the validators of the copy read last time ({@link Cache}), so
 * that in a steady state almost every request is answered {@code 304}.
 */
public final class RingWalk {
    /**
     * A node of another machine known from the item that links it in that machine's own tree.
     *
     * @param url the node's URL
     * @param item the item, as its own machine wrote it
     */
    public record Linked(URI url, ChildRef item) {}

    /**
     * What the walk found.
     *
     * @param seen the nodes read
     * @param linked complete, non-routing nodes of other machines, known by their own machine's
     *     items (read or not)
     * @param heard the machines that the nodes read link (origins), this machine's own included
     *     when linked
     * @param roots each machine whose root node was read, with the root node's URL
     * @param places the places each machine's root read publishes ({@link Node#PLACES}, as
     *     written)
     * @param complete false when the run's fetch budget ran out before the walk read the
     *     machines known at its start (those first heard of in the run may be left unread)
     * @param unread the ranges of the nodes a tree read links (not routing nodes, not orphan
     *     copies' children) that could not be read (a 404 when the machine renamed the node
     *     between the reads, a timeout, a bad file), or that came back covering less than the
     *     link said (a split since): what other machines hold there is not known from this run
     */
    public record Result(
            List<RemoteWalk.Seen> seen,
            List<Linked> linked,
            Set<String> heard,
            Map<String, URI> roots,
            Map<String, String> places,
            boolean complete,
            List<Range> unread) {}

    /**
     * The files read in earlier runs, with their validators, so that a run asks for each only if
     * it changed. Least recently used files are forgotten past the capacity. Not thread-safe: one
     * sync at a time uses it.
     */
    public static final class Cache {
        /** A file as read, with its node's sum ({@link NodeSums}) once asked for. */
        private static final class Kept {
            final Validators validators;
            final NodeSource.Fetched fetched;
            private @Nullable String sum;

            Kept(Validators validators, NodeSource.Fetched fetched) {
                this.validators = validators;
                this.fetched = fetched;
            }

            Validators validators() {
                return validators;
            }

            NodeSource.Fetched fetched() {
                return fetched;
            }

            String sum() {
                String s = sum;
                if (s == null) {
                    // Interned: the simulator's machines keep one copy of a node and its sum.
                    s = NodeSums.of(fetched.file().node()).intern();
                    sum = s;
                }
                return s;
            }
        }

        private long unasked;

        /**
         * Files taken from the cache without a request: the item that linked each, in a node read
         * or itself taken so, carried the sum of the copy kept ({@link ChildRef#SUM}).
         */
        public long unasked() {
            return unasked;
        }

        private final int capacity;
        private final LinkedHashMap<URI, Kept> files;

        /** A cache of at most {@code capacity} files (at least 1). */
        public Cache(int capacity) {
            if (capacity < 1) {
                throw new IllegalArgumentException("capacity " + capacity + " must be 1 or more");
            }
            this.capacity = capacity;
            this.files = new LinkedHashMap<>(16, 0.75f, true);
        }

        /** Files kept now. */
        public int size() {
            return files.size();
        }

        /** Runs of the walk with this cache. */
        private long runs;

        /**
         * Files that answered {@code 404} or {@code 410} when an orphan copy linked them, with
         * the run they did: not asked again for {@link #GONE_RUNS} runs. As bounded as the files.
         */
        private final LinkedHashMap<URI, Long> gone = new LinkedHashMap<>(16, 0.75f, true);

        /** True when {@code file} was gone in one of the last {@link #GONE_RUNS} runs. */
        boolean gone(URI file) {
            Long at = gone.get(file);
            return at != null && runs - at < GONE_RUNS;
        }

        void gone(URI file, boolean isGone) {
            if (!isGone) {
                gone.remove(file);
                return;
            }
            gone.put(file, runs);
            while (gone.size() > capacity) {
                gone.remove(gone.keySet().iterator().next());
            }
        }

        /**
         * The roots whose machines' routing nodes were read ({@link #walk explored}), with the
         * root's validators then: a machine whose root has not changed since is not explored
         * again (its routing names no machine it did not name then, since a change of routing
         * rewrites the root). As bounded as the files.
         */
        private final LinkedHashMap<URI, Validators> explored =
                new LinkedHashMap<>(16, 0.75f, true);

        /** True when {@code root} changed since its machine was last explored, or never was. */
        boolean changedSinceExplored(URI root) {
            Kept kept = files.get(root);
            return kept == null || !kept.validators().equals(explored.get(root));
        }

        /** Notes that the machine of {@code root} was explored with the root as kept now. */
        void explored(@Nullable URI root) {
            Kept kept = root == null ? null : files.get(root);
            if (kept != null) {
                URI asked = java.util.Objects.requireNonNull(root);
                URI file = kept.fetched().url();
                explored.put(file.equals(asked) ? file : asked, kept.validators());
                while (explored.size() > capacity) {
                    explored.remove(explored.keySet().iterator().next());
                }
            }
        }

        /**
         * The file, asked for only if it changed since the copy kept (a conditional GET), and not
         * at all when {@code sum}, the sum on the item that links it, is the copy's; a file that
         * cannot be had is forgotten.
         */
        NodeSource.Fetched fetch(Fetches fetches, URI file, @Nullable String sum)
                throws IOException, NodeFormatException {
            Kept kept = files.get(file);
            if (kept != null && sum != null && sum.equals(kept.sum())) {
                unasked++;
                return kept.fetched();
            }
            Revalidated r;
            try {
                r = fetches.fetchIfChanged(
                        file, kept == null ? Validators.NONE : kept.validators());
            } catch (Fetches.BudgetSpent e) {
                throw e;
            } catch (IOException | NodeFormatException | RuntimeException e) {
                files.remove(file);
                throw e;
            }
            NodeSource.Fetched f = r.fetched();
            if (f == null) {
                if (kept != null) {
                    return kept.fetched();
                }
                // A 304 to a request that named no version: read it whole.
                return fetches.fetch(file);
            }
            if (!r.validators().none()) {
                // Keyed by the file's own URL when it is the one asked: a source that gives many
                // readers one reading of a file (the simulator) then keeps one URL for them all.
                files.put(f.url().equals(file) ? f.url() : file, new Kept(r.validators(), f));
                while (files.size() > capacity) {
                    files.remove(files.keySet().iterator().next());
                }
            } else {
                files.remove(file);
            }
            return f;
        }
    }

    /**
     * One file to read.
     *
     * @param late a machine first heard of in this run, or below its root: read after the
     *     machines known at the start, and not needed for the walk to be complete
     * @param copy linked by an orphan copy only: read last, when no tree read links it
     * @param range the range the item that links it gives, for a node of a tree read (null for
     *     a start, a routing node, an orphan copy's child): unread when the file is not read
     */
    private record Step(
            URI url,
            int below,
            int hops,
            boolean start,
            boolean late,
            @Nullable String sum,
            boolean copy,
            @Nullable Range range) {
        Step(URI url, int below, int hops, boolean start, boolean late, @Nullable String sum) {
            this(url, below, hops, start, late, sum, false, null);
        }
    }

    /**
     * Whose routing nodes a walk reads, once the ranges held are known.
     *
     * @param ring the ring this machine sees ({@link Node#RING} on its root), or null to read
     *     the routing of every machine (up to {@code most})
     * @param most machines whose routing one run reads at most
     * @param salt what picks among more machines than {@code most} (a different few each run)
     */
    public record Explore(@Nullable String ring, int most, long salt) {
        /**
         * Every machine's routing whose root changed since it was last read (a machine that sees
         * no ring yet has nothing to compare).
         */
        public static final Explore EVERY = new Explore(null, Integer.MAX_VALUE, 0);
    }

    /**
     * Runs for which a file that an orphan copy linked and that was gone ({@code 404}, {@code
     * 410}) is not asked again: 100 (8 hours of 5-minute runs). A node's name is never used
     * again once it is gone, so the file rarely comes back; it is asked again now and then in
     * case a server answered wrongly. An orphan copy stays in its file for the aging period.
     */
    static final int GONE_RUNS = 100;

    private RingWalk() {}

    /**
     * As the walk with {@link Explore#EVERY}: the routing nodes of every machine whose root
     * changed since the cache last saw them read.
     */
    public static Result walk(
            Fetches fetches,
            Cache cache,
            Collection<URI> starts,
            Predicate<URI> own,
            @Nullable List<Range> held) {
        return walk(fetches, cache, starts, own, held, Explore.EVERY);
    }

    /**
     * Walks from {@code starts}; stops quietly when the budget is spent. What cannot be fetched
     * or parsed is skipped. Routing nodes are read as {@code explore} says (every machine's
     * when {@code held} is null).
     *
     * @param starts roots (entry pages or root nodes) and submitted nodes
     * @param own true for URLs of this machine, which are not read
     * @param held the ranges this machine holds, or null to read the machines' whole trees
     */
    public static Result walk(
            Fetches fetches,
            Cache cache,
            Collection<URI> starts,
            Predicate<URI> own,
            @Nullable List<Range> held,
            Explore explore) {
        List<RemoteWalk.Seen> out = new ArrayList<>();
        List<Linked> linked = new ArrayList<>();
        Set<String> heard = new LinkedHashSet<>();
        Map<String, URI> roots = new LinkedHashMap<>();
        Map<String, String> places = new LinkedHashMap<>();
        List<Range> unread = new ArrayList<>();
        Set<URI> visited = new HashSet<>();
        // Machines whose routing nodes this run reads: all before the ranges held are known,
        // else those explore accepts whose root changed since they were last explored.
        Set<String> exploring = new HashSet<>();
        // The routing nodes of machines that may be explored, by machine, with their roots:
        // read once the rest is, for at most explore.most() machines.
        Map<String, List<Step>> deferred = new LinkedHashMap<>();
        Map<String, URI> deferredRoots = new HashMap<>();
        int explored = 0;
        // The routing nodes of machines not explored in this run: never read.
        List<Step> unexplored = new ArrayList<>();
        Deque<Step> queue = new ArrayDeque<>();
        Deque<Step> later = new ArrayDeque<>();
        // The children of orphan copies: read once the trees are, where no tree read links
        // them (a copy links the children a node had when it moved; its machine renames them
        // as it goes on, so most are gone). Each was asked every run: reading them last cut a
        // steady ring of 50 dense machines' sync from 490 requests a machine a run to 365, and
        // its 404s from 77 to 37.
        Deque<Step> copies = new ArrayDeque<>();
        Set<URI> asked = new HashSet<>();
        cache.runs++;
        boolean complete = true;
        // Machines first heard of in this run are read in it too, after everything else: a
        // machine that joins knows the whole ring at the end of its first run (and submits its
        // entries to their holders then), rather than one ring of links further each run.
        Set<String> known = new HashSet<>();
        // Machines whose start was read (or is gone: 404, 410) without naming their root: the
        // root recorded for them moved since (a leaf root that grew a level keeps its file as a
        // leaf). Their entry pages are read once the starts are, each once a run; otherwise the
        // machine would fall off the ring for good, its root never read again.
        Set<String> startsWithoutRoot = new LinkedHashSet<>();
        Set<String> entryPagesAsked = new HashSet<>();
        for (URI s : starts) {
            queue.add(new Step(s, Integer.MAX_VALUE, 0, true, false, null));
            known.add(Links.origin(s));
        }
        java.util.function.Consumer<String> discovered = o -> {
            if (known.add(o)) {
                URI root = rootOf(o);
                if (root != null) {
                    later.add(new Step(root, Integer.MAX_VALUE, 0, true, true, null));
                }
            }
        };
        while (!queue.isEmpty()
                || !later.isEmpty()
                || !deferred.isEmpty()
                || !startsWithoutRoot.isEmpty()
                || !copies.isEmpty()) {
            if (queue.isEmpty() && !startsWithoutRoot.isEmpty()) {
                for (String o : startsWithoutRoot) {
                    URI entry = rootOf(o);
                    if (!roots.containsKey(o) && entry != null && entryPagesAsked.add(o)) {
                        queue.add(new Step(entry, Integer.MAX_VALUE, 0, true, false, null));
                    }
                }
                startsWithoutRoot.clear();
                continue;
            }
            if (queue.isEmpty() && !deferred.isEmpty()) {
                // Everything else read: the routing of a few machines that see another ring.
                for (String o : pick(deferred.keySet(), explore, explore.most() - explored)) {
                    explored++;
                    exploring.add(o);
                    cache.explored(deferredRoots.get(o));
                    queue.addAll(deferred.get(o));
                }
                deferred.clear();
                continue;
            }
            if (queue.isEmpty() && later.isEmpty()) {
                for (Step c : copies) {
                    URI file = Links.file(c.url);
                    if (!asked.contains(file) && !cache.gone(file)) {
                        queue.add(c);
                    }
                }
                copies.clear();
                continue;
            }
            Step step = queue.isEmpty() ? later.poll() : queue.poll();
            if (own.test(step.url) || !RemoteWalk.fetchable(step.url)) {
                continue;
            }
            asked.add(Links.file(step.url));
            NodeSource.Fetched f;
            try {
                f = cache.fetch(fetches, Links.file(step.url), step.sum);
            } catch (Fetches.BudgetSpent e) {
                // The machines known at the start all read: what a node named besides (maybe
                // many names that never answer) waits for the next run.
                complete = step.late;
                break;
            } catch (RootPointerException p) {
                URI to = RemoteWalk.pointer(step.url, p, step.hops);
                if (to != null) {
                    (step.late ? later : queue)
                            .addFirst(new Step(
                                    to,
                                    step.below,
                                    step.hops + 1,
                                    step.start,
                                    step.late,
                                    null,
                                    step.copy,
                                    step.range));
                } else if (step.range != null) {
                    unread.add(step.range);
                }
                continue;
            } catch (IOException | NodeFormatException | RuntimeException e) {
                if (step.range != null) {
                    unread.add(step.range);
                }
                boolean isGone = e instanceof NodeFetchException nfe
                        && (nfe.status() == 404 || nfe.status() == 410);
                if (step.start && !step.late && isGone) {
                    startsWithoutRoot.add(Links.origin(step.url));
                }
                if (step.copy) {
                    cache.gone(Links.file(step.url), isGone);
                }
                continue;
            }
            URI file = Links.file(f.url());
            // Interned: a ring keeps an origin in many places (seen nodes, members, places).
            String origin = Links.origin(file).intern();
            if (step.start && !step.late) {
                startsWithoutRoot.add(origin);
            }
            // The node asked for only, not the file's orphan copies: a copy is a frozen
            // snapshot of a node that moved, whose items link the children it had then, which
            // its machine may have renamed since. Its machine's own tree links what holds
            // those entries now, and the walk reads that; the copies' items, taken as routing
            // candidates, put links to files long gone into every machine's routing.
            List<Node> nodes = RemoteWalk.nodes(f, step.url);
            // The node the link names comes first (RemoteWalk.nodes), then the orphan copies.
            boolean named = f.file().fragment(Links.fragment(step.url)).isPresent();
            if (step.range != null
                    && (!named || nodes.isEmpty() || !nodes.get(0).range().encloses(step.range))) {
                // Split (or gone) since its parent was read: the rest is in a node not linked
                // by what this run read.
                unread.add(step.range);
            }
            for (int k = 0; k < nodes.size(); k++) {
                Node n = nodes.get(k);
                // A file's orphan copies are read (their entries count for the sync, as before)
                // but give no routing candidates: a copy is a frozen snapshot of a node that
                // moved, whose items link the children it had then, which its machine renames
                // as it goes on; taken as candidates, they put links to files long gone into
                // every machine's routing.
                List<Linked> candidates = named && k == 0 ? linked : new ArrayList<>();
                URI url = RemoteWalk.url(file, n);
                if (n.height() >= step.below || !visited.add(url)) {
                    continue;
                }
                out.add(new RemoteWalk.Seen(url, n, origin));
                if (step.start
                        && n.id() == null
                        && n.range().equals(Range.ALL)
                        && roots.putIfAbsent(origin, url) == null) {
                    if (n.extra().containsKey(Node.PLACES)) {
                        places.put(origin, n.extra().get(Node.PLACES));
                    }
                    if (held == null) {
                        exploring.add(origin);
                    } else if ((explore.ring() == null
                                    || !explore.ring().equals(n.extra().get(Node.RING)))
                            && cache.changedSinceExplored(file)) {
                        deferred.put(origin, new ArrayList<>());
                        deferredRoots.put(origin, file);
                    }
                }
                for (ChildRef c : n.children()) {
                    String other = follow(
                            n,
                            c,
                            file,
                            origin,
                            held,
                            exploring.contains(origin)
                                    ? null
                                    : deferred.getOrDefault(origin, unexplored),
                            k > 0 ? copies : step.late ? later : queue,
                            step.late || k > 0,
                            k > 0,
                            candidates);
                    if (other != null) {
                        heard.add(other);
                        discovered.accept(other);
                    }
                }
            }
        }
        return new Result(out, linked, heard, roots, places, complete, List.copyOf(unread));
    }

    /**
     * At most {@code most} of {@code origins}: those whose hash with the salt is
     * least, so that each run picks a different few.
     */
    private static List<String> pick(Collection<String> origins, Explore explore, int most) {
        List<String> out = new ArrayList<>(origins);
        out.sort(
                java.util.Comparator.comparingLong((String o) -> mix(o.hashCode() ^ explore.salt()))
                        .thenComparing(o -> o));
        return out.subList(0, Math.max(0, Math.min(most, out.size())));
    }

    /** A 64-bit mix (SplitMix64's finalizer): nearby inputs give unrelated outputs. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** The root page of the machine at {@code origin}, or null when that is no URL. */
    private static @Nullable URI rootOf(String origin) {
        try {
            return URI.create(origin + "/" + NodeStore.INDEX);
        } catch (IllegalArgumentException bad) {
            return null;
        }
    }

    /**
     * Queues the child when it is one of this machine's files to read (a routing node into
     * {@code routing} instead, when not null: its machine is not explored yet), and notes it
     * among the routing's candidates; returns the child's origin when it is another machine's,
     * else null.
     */
    private static @Nullable String follow(
            Node parent,
            ChildRef c,
            URI file,
            String origin,
            @Nullable List<Range> held,
            @Nullable List<Step> routing,
            Deque<Step> queue,
            boolean late,
            boolean copy,
            List<Linked> linked) {
        if (c.height() >= parent.height()) {
            return null;
        }
        URI url;
        try {
            url = Links.resolve(file, c.href());
        } catch (IllegalArgumentException bad) {
            return null; // an invalid link in someone else's node
        }
        if (!RemoteWalk.fetchable(url)) {
            return null;
        }
        String to = Links.origin(url);
        if (!to.equals(origin)) {
            return to;
        }
        if (!c.partial() && !c.routing() && Links.fragment(url) == null) {
            linked.add(new Linked(url, c));
        }
        // Internal nodes are few (one to tens of leaves): all are read, so that the leaves
        // below are known by their items, the routing's preferred links.
        boolean read = c.height() > 0 || held == null || Ring.meets(held, c.range());
        // The item's sum, from a node read or known current: a copy kept with that sum is current.
        Step next = new Step(
                url,
                parent.height(),
                0,
                false,
                late,
                c.sum(),
                copy,
                copy || c.routing() ? null : c.range());
        if (c.routing() && routing != null) {
            routing.add(next); // read if this machine is explored in this run
        } else if (read) {
            queue.add(next);
        }
        return null;
    }
}
