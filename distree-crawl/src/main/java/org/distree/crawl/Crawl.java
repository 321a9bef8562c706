package org.distree.crawl;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.distree.crawl.internal.Urls;
import org.distree.html.IndexPage;
import org.distree.model.Bound;
import org.distree.model.ChildRef;
import org.distree.model.Entry;
import org.distree.model.Links;
import org.distree.model.Node;
import org.distree.model.Range;
import org.distree.query.NodeSource;
import org.distree.query.Query;
import org.jspecify.annotations.Nullable;

/**
 * One search: a walk over node files fetched concurrently, driven from a single thread.
 *
 * <pre>
 *  roots ─► load ─► (first usable root read: pick analyzer, make one Query per key)
 *                     │
 *   visit(q, url) ◄───┘   each visit: check height falls, expand once:
 *     leaf: collect matching entries (a leaf marked partial: and hand its segment back)
 *     internal: cover (query ∩ range) with the preferred children ─► visit(q, child)
 *   a child that fails, does not cover its segment, or is a partial leaf (it vouches only for
 *   the entries it lists) hands the segment back to its parent, which covers it from its
 *   alternates not yet asked there, or hands it further up (what a node no longer covers, and
 *   all of a node whose machine says its file is gone, is first walked from that machine's own
 *   root, OtherRoots.askOwnRoot); an internal node marked partial needs nothing
 *   of its own, as its partial leaves hand back through it. What comes back to a root is
 *   walked again from another machine's root (OtherRoots: up to 3 machines whose nodes were
 *   read or linked, each root found from ORIGIN/index.html), and what comes back from the last is
 *   reported: "only partial nodes cover" where partial leaves were read, else "no reachable
 *   node covers"; then the roots of all the machines met, then and later in the walk, are asked
 *   for it (sweep: each lists its own entries there, OriginSweep), and what they do not cover is
 *   dropped.
 * </pre>
 *
 * Fetch completions arrive on HttpClient's I/O threads and are queued as events; all walk state
 * is touched only by the thread that called {@link #run()}. Files are fetched once per search
 * (by normalized URL, fragment dropped), at most {@code maxInFlight} at once and {@code
 * maxPerHost} per host; the node, byte and time budgets stop new fetches, and the time budget
 * also abandons those in flight.
 */
final class Crawl implements OtherRoots.Walk {
    private final SearchRequest request;
    private final long startNanos = System.nanoTime();
    private final long deadlineNanos;

    private int nodeCount;

    private final Map<String, NodeVisit> visits = new HashMap<>();
    private final SearchLog log = new SearchLog();
    private final @Nullable RootNode[] rootSlots;
    private final boolean[] rootFailed;
    private boolean started;
    private QueryPlan plan = QueryPlan.none();

    private final Hits hits = new Hits();
    /** Per query, the segments read from leaves marked partial: their entries, not all. */
    private final List<List<Range>> partialRead = new ArrayList<>();

    private final FetchQueue fetches;

    /** The machines met, whose roots the walk may ask ({@link OtherRoots}). */
    private final MachinesMet machines = new MachinesMet();

    private final OtherRoots otherRoots = new OtherRoots(this, machines, log);

    /**
     * A crawl over the web ({@code web}, the one fetcher's robots.txt cache, asked for on the
     * first fetch over HTTP) or over another network ({@code network}); exactly one is given.
     */
    Crawl(
            @Nullable Supplier<RobotsCache> web,
            @Nullable NodeSource network,
            int maxInFlight,
            int maxPerHost,
            SearchRequest request) {
        this.request = request;
        this.fetches = new FetchQueue(
                web,
                network,
                maxInFlight,
                maxPerHost,
                request.maxNodes(),
                request.maxBytes(),
                reason -> log.skip("(search)", reason + "; the results may be incomplete"));
        this.deadlineNanos = startNanos + request.timeout().toNanos();
        this.rootSlots = new RootNode[request.roots().size()];
        this.rootFailed = new boolean[request.roots().size()];
    }

    /**
     * Runs the search to its end or its budgets, and returns what it found: the walk, then the
     * page records of the results returned.
     */
    public SearchResult run() {
        for (int i = 0; i < request.roots().size(); i++) {
            URI root = request.roots().get(i);
            int slot = i;
            machines.root(root);
            loadRoot(root, 0, "root", (url, node, error) -> rootDone(slot, root, url, node, error));
        }
        boolean interrupted = drain();
        List<SearchResult.Hit> ranked =
                hits.ranked(request.kind() == SearchRequest.Kind.WORDS, plan.keys(), plan.wholes());
        List<SearchResult.Hit> shown = request.limit() == 0 || request.limit() >= ranked.size()
                ? ranked
                : ranked.subList(0, request.limit());
        List<SearchResult.Hit> withRecords = new ArrayList<>(shown);
        if (!interrupted) {
            readRecords(withRecords);
            interrupted = drain();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return result(withRecords, ranked.size());
    }

    /**
     * Fetches the page record of each result that is a record entry (docs/FORMAT.md, version
     * 2), once each, and puts its target in place of the entry's; a record that cannot be read
     * leaves the record entry, and is reported.
     */
    private void readRecords(List<SearchResult.Hit> out) {
        for (int i = 0; i < out.size(); i++) {
            SearchResult.Hit h = out.get(i);
            if (!h.entry().isRecord()) {
                continue;
            }
            URI record;
            try {
                record = URI.create(h.entry().link());
            } catch (IllegalArgumentException e) {
                continue;
            }
            int at = i;
            fetches.loadRecord(record, f -> {
                log.note(record, null, "record", -1, f, f.error);
                Entry.Target t = f.target;
                if (t == null) {
                    if (!String.valueOf(f.error).equals(fetches.stopped())) {
                        log.skip(record.toString(), "record unreadable: " + f.error);
                    }
                    out.set(
                            at,
                            new SearchResult.Hit(
                                    h.entry(), h.matched(), h.leaves(), record, h.score()));
                    return;
                }
                Entry page = new Entry(h.entry().key(), t);
                out.set(at, new SearchResult.Hit(page, h.matched(), h.leaves(), record, h.score()));
            });
        }
    }

    /**
     * Runs fetch events until none are left or the time is spent; true when interrupted (the
     * fetches are stopped then).
     */
    private boolean drain() {
        fetches.dispatch();
        boolean interrupted = false;
        while (fetches.busy()) {
            long wait = deadlineNanos - System.nanoTime();
            if (wait <= 0) {
                fetches.stop(String.format(
                        Locale.ROOT,
                        "time budget of %,d ms spent",
                        request.timeout().toMillis()));
                break;
            }
            Runnable event;
            try {
                event = fetches.poll(wait);
            } catch (InterruptedException e) {
                interrupted = true;
                fetches.stop("interrupted");
                break;
            }
            if (event != null) {
                event.run();
                fetches.dispatch();
            }
        }
        return interrupted;
    }

    // ---- roots ----------------------------------------------------------------------------

    private record RootNode(URI url, Node node) {}

    /**
     * Reads the root at {@code url}, following entry pages' pointers ({@code rel=distree-root})
     * up to {@link IndexPage#MAX_POINTER_HOPS} times; {@code why} names it in the walk's record.
     */
    @Override
    public void loadRoot(URI url, String why, OtherRoots.RootRead then) {
        loadRoot(url, 0, why, then);
    }

    private void loadRoot(URI url, int hops, String why, OtherRoots.RootRead then) {
        fetches.load(url, f -> {
            if (f.pointer != null && hops < IndexPage.MAX_POINTER_HOPS) {
                log.note(url, null, why + " page pointer", -1, f, null);
                URI target;
                try {
                    target = URI.create(f.pointer);
                } catch (IllegalArgumentException e) {
                    then.done(url, null, "bad root pointer: " + e.getMessage());
                    return;
                }
                loadRoot(target, hops + 1, why, then);
                return;
            }
            if (f.pointer != null) {
                then.done(
                        url,
                        null,
                        "more than " + IndexPage.MAX_POINTER_HOPS + " root page pointers in a row");
                return;
            }
            if (f.result == null) {
                log.note(url, null, why, -1, f, f.error);
                then.done(url, null, String.valueOf(f.error));
                return;
            }
            Node node = f.result.file().fragment(Links.fragment(url)).orElse(null);
            then.done(url, node, node == null ? "no node with that fragment id" : null);
        });
    }

    private void rootDone(
            int slot, URI given, URI url, @Nullable Node node, @Nullable String error) {
        if (node == null) {
            rootFailed[slot] = true;
            log.skip(given.toString(), "root unusable: " + error);
        } else {
            rootSlots[slot] = new RootNode(url, node);
            machines.root(url);
        }
        if (started) {
            if (node != null) {
                walkRoot(rootSlots[slot]);
            }
            return;
        }
        // The analyzer is the first usable root's (in the order given), so the walks start as
        // soon as that root is known; a slow later root does not hold them up.
        for (int i = 0; i < rootSlots.length; i++) {
            if (rootSlots[i] != null) {
                startQueries(rootSlots[i]);
                return;
            }
            if (!rootFailed[i]) {
                return;
            }
        }
    }

    private void startQueries(RootNode first) {
        started = true;
        plan = QueryPlan.of(request, first.node.analyzer(), first.url, log);
        for (int q = 0; q < plan.queries().size(); q++) {
            hits.addQuery();
            partialRead.add(new ArrayList<>());
        }
        for (RootNode r : rootSlots) {
            if (r != null) {
                walkRoot(r);
            }
        }
    }

    private void walkRoot(RootNode r) {
        String a = r.node.analyzer();
        String used = plan.analyzer().name();
        if (request.analyzer() == null && !QueryPlan.declaredName(a).equals(used)) {
            log.skip(
                    r.url.toString(),
                    "declares analyzer '" + a + "', but the search uses '" + used
                            + "' (from the first root)");
        }
        for (int q = 0; q < plan.queries().size(); q++) {
            Range all = plan.queries().get(q).range();
            visit(q, r.url, new SegmentRequest(q, null, all, Node.MAX_HEIGHT + 1, "root"));
        }
    }

    // ---- the walk -------------------------------------------------------------------------

    @Override
    public void visit(int q, URI url, SegmentRequest req) {
        String key = q + " " + req.scope + " " + Urls.normalize(url);
        NodeVisit v = visits.get(key);
        boolean fresh = v == null;
        if (v == null) {
            v = new NodeVisit(q, url, req.scope);
            visits.put(key, v);
        }
        v.requesters.add(req);
        if (fresh) {
            NodeVisit nv = v;
            fetches.load(url, f -> loaded(nv, f));
        } else if (v.loaded) {
            accept(v, req);
        }
    }

    private void loaded(NodeVisit v, FetchQueue.FileFetch f) {
        v.loaded = true;
        SegmentRequest first = v.requesters.get(0);
        URI parentUrl = first.parent == null ? null : first.parent.url;
        if (f.result == null) {
            v.error = f.pointer != null
                    ? "entry page where a node was expected"
                    : String.valueOf(f.error);
            v.gone = f.gone;
        } else {
            v.node = f.result.file().fragment(Links.fragment(v.url)).orElse(null);
            v.base = f.result.url();
            if (v.node == null) {
                v.error = "no node with fragment id '" + Links.fragment(v.url) + "'";
            }
        }
        if (v.error != null) {
            if (f.result != null) {
                fetches.countFailure();
            } else if (f.pointer == null && fetches.silent(f.origin)) {
                machines.silent(v.url); // not for a 404: a machine up is asked for its root
            }
            if (!v.error.equals(fetches.stopped())) {
                log.skip(v.url.toString(), v.error);
            }
        } else {
            nodeCount++;
            machines.met(v.url);
        }
        log.note(v.url, parentUrl, first.why, v.node == null ? -1 : v.node.height(), f, v.error);
        for (SegmentRequest r : new ArrayList<>(v.requesters)) {
            accept(v, r);
        }
        otherRoots.sweepLate();
    }

    /** Takes on a requester's segment, or hands it back. */
    private void accept(NodeVisit v, SegmentRequest r) {
        Node node = v.node;
        if (node == null) {
            // A file its machine says is not there: the machine is up and renamed or dropped
            // the node since the parent's machine read it (a split, a move of its ranges), so
            // its own root, which links what holds the segment now, is asked first.
            if (!v.gone || !otherRoots.askOwnRoot(v.url, r, r.segment)) {
                handBack(r, r.segment);
            }
            return;
        }
        if (node.height() >= r.parentHeight) {
            log.skip(
                    v.url.toString(),
                    "height " + node.height() + " does not fall below its" + " parent's "
                            + r.parentHeight + " (ignored)");
            handBack(r, r.segment);
            return;
        }
        for (Range outside : Ranges.minus(r.segment, node.range())) {
            if (!otherRoots.askOwnRoot(v.url, r, outside)) {
                handBack(r, outside);
            }
        }
        if (!node.range().meets(r.segment)) {
            return;
        }
        r.accepted = true;
        if (!v.expanded) {
            expand(v);
        } else {
            for (Range u : new ArrayList<>(v.uncovered)) {
                if (u.meets(r.segment)) {
                    handBack(r, u.intersect(r.segment));
                }
            }
        }
    }

    private void expand(NodeVisit v) {
        v.expanded = true;
        Node node = v.node;
        Query query = plan.queries().get(v.q);
        if (node == null || !query.meets(node.range())) {
            return;
        }
        Range need = query.range().intersect(node.range());
        if (node.isLeaf()) {
            collect(v, node, query);
            if (node.partial()) {
                // A partial leaf vouches only for what it lists (FORMAT.md, data-partial): the
                // entries are kept, and the parent covers the segment again from its alternates.
                partialRead.get(v.q).add(need);
                uncovered(v, need);
            }
            return;
        }
        List<ChildRef> children = node.children();
        for (int i = 0; i < children.size(); i++) {
            ChildRef c = children.get(i);
            if (!c.range().meets(need)) {
                machines.metLink(c.href());
                continue;
            }
            URI child;
            try {
                child = Links.resolve(v.base == null ? v.url : v.base, c.href());
            } catch (IllegalArgumentException e) {
                log.skip(c.href(), String.valueOf(e.getMessage()));
                continue;
            }
            if (!Links.followable(child)) {
                log.skip(child.toString(), "scheme is not http, https or file");
                continue;
            }
            if ("file".equalsIgnoreCase(child.getScheme())
                    && !"file".equalsIgnoreCase(v.url.getScheme())) {
                log.skip(child.toString(), "a remote node may not link a local file");
                continue;
            }
            if (c.height() >= node.height()) {
                log.skip(
                        child.toString(),
                        "linked at height " + c.height() + ", not below its" + " parent's "
                                + node.height() + " (ignored)");
                continue;
            }
            v.candidates.add(new Candidate(c, child, i));
            machines.met(child);
        }
        cover(v, need, "covers");
    }

    /**
     * Covers {@code u} with children not yet asked at each point, left to right: at each point the preferred child
     * that holds it (status ok, then failing, then dead; then one whose item is not marked
     * partial; then by rule 8 the narrower one with the larger subtree; then the one reaching
     * furthest; then the larger subtree, the fuller copy; then the parent's order). Parts no
     * child holds go up.
     */
    private void cover(NodeVisit v, Range u, String why) {
        // Only a node that was read and expanded covers: expand() and handBack() to a parent.
        Node node = Objects.requireNonNull(v.node, "a node covers only once read");
        Bound p = u.low();
        while (Ranges.below(p, u.high())) {
            Candidate best = null;
            Bound nextStart = null;
            boolean nextStartSet = false;
            for (Candidate c : v.candidates) {
                if (askedAt(v, c, p)) {
                    continue;
                }
                Range r = c.ref().range();
                if (Ranges.containsLow(r, p)) {
                    if (best == null || Candidate.better(c, best, u.high()) < 0) {
                        best = c;
                    }
                } else if (Range.compareLows(r.low(), p) > 0
                        && Ranges.below(r.low(), u.high())
                        && (!nextStartSet || Range.compareLows(r.low(), nextStart) < 0)) {
                    nextStart = r.low();
                    nextStartSet = true;
                }
            }
            if (best == null) {
                Bound end = nextStartSet ? nextStart : u.high();
                uncovered(v, new Range(p, end));
                if (!nextStartSet) {
                    return;
                }
                p = end;
                continue;
            }
            Range segment = best.segment(p, u);
            v.asked.computeIfAbsent(best, k -> new ArrayList<>()).add(segment);
            Bound end = segment.high();
            visit(
                    v.q,
                    best.url(),
                    new SegmentRequest(
                            v.q, v, segment, node.height(), why + " " + Ranges.describe(segment)));
            if (end == null) {
                return;
            }
            p = end;
        }
    }

    private static boolean askedAt(NodeVisit v, Candidate c, @Nullable Bound p) {
        for (Range s : v.asked.getOrDefault(c, List.of())) {
            if (Ranges.containsLow(s, p)) {
                return true;
            }
        }
        return false;
    }

    /** {@code v} cannot cover {@code part}: its requesters' parents try their alternates. */
    private void uncovered(NodeVisit v, Range part) {
        v.uncovered.add(part);
        for (SegmentRequest r : new ArrayList<>(v.requesters)) {
            if (r.accepted && part.meets(r.segment)) {
                handBack(r, part.intersect(r.segment));
            }
        }
    }

    @Override
    public void handBack(SegmentRequest r, Range part) {
        if (fetches.stopped() != null) {
            return;
        }
        if (r.parent == null) {
            otherRoots.askOther(r.other + 1, r.q, part);
            return;
        }
        cover(r.parent, part, "alternate for");
    }

    // ---- what no root covers --------------------------------------------------------------

    /**
     * A part of query {@code q} came back to a root: where partial leaves were read, their
     * entries are in the results but nothing vouched for the rest; elsewhere no node was read.
     */
    @Override
    public void reportUncovered(int q, Range part) {
        List<Range> unread = Ranges.minusAll(part, partialRead.get(q));
        for (Range p : Ranges.minusAll(part, unread)) {
            log.skip(
                    "(search)",
                    "only partial nodes cover " + Ranges.describe(p) + " for "
                            + plan.queries().get(q) + "; entries they do not list may be missing");
        }
        for (Range p : unread) {
            log.skip(
                    "(search)",
                    "no reachable node covers " + Ranges.describe(p) + " for "
                            + plan.queries().get(q));
        }
    }

    private void collect(NodeVisit v, Node leaf, Query query) {
        hits.collect(
                v.q,
                Urls.normalize(v.url).toString(),
                v.base == null ? v.url : v.base,
                leaf,
                query);
    }

    // ---- reporting ------------------------------------------------------------------------

    private SearchResult result(List<SearchResult.Hit> shown, int total) {
        double ms = (System.nanoTime() - startNanos) / 1e6;
        return new SearchResult(
                shown,
                total,
                plan.keys(),
                plan.analyzer().name(),
                log.skipped(),
                log.visits(),
                new SearchResult.Stats(
                        fetches.fetches(),
                        nodeCount,
                        fetches.hosts(),
                        fetches.bytes(),
                        fetches.failures(),
                        ms,
                        fetches.stopped() == null,
                        fetches.records()));
    }
}
