package org.distree.crawl;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Supplier;
import org.distree.analysis.KeyAnalyzer;
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
 *   alternates not yet asked there, or hands it further up; an internal node marked partial needs nothing
 *   of its own, as its partial leaves hand back through it. What comes back to a root is
 *   walked again from another machine's root (askOther: up to 3 machines whose nodes were
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
final class Crawl {
    private static final int MAX_SKIPS = 1_000;

    private final SearchRequest request;
    private final long startNanos = System.nanoTime();
    private final long deadlineNanos;

    private int nodeCount;
    private int skipsLeftOut;

    private final Map<String, NodeVisit> visits = new HashMap<>();
    private final List<SearchResult.Skip> skipped = new ArrayList<>();
    private final Set<String> skipSeen = new HashSet<>();
    private final List<SearchResult.Visit> explain = new ArrayList<>();
    private final @Nullable RootNode[] rootSlots;
    private final boolean[] rootFailed;
    private boolean started;
    private KeyAnalyzer analyzer = KeyAnalyzer.forName(null);
    private final List<Query> queries = new ArrayList<>();
    private final List<String> keys = new ArrayList<>();
    /** The keys of the words as typed (not parts of compounds), which rank first. */
    private final Set<String> wholes = new HashSet<>();

    private final Hits hits = new Hits();
    /** Per query, the segments read from leaves marked partial: their entries, not all. */
    private final List<List<Range>> partialRead = new ArrayList<>();

    private final FetchQueue fetches;

    /**
     * Other machines' roots asked at most a search, in turn, for a part that nothing reached
     * from the given roots covers ({@link #askOther}).
     */
    static final int OTHER_ROOTS = 3;

    /** The machines met, whose roots the walk may ask ({@link #askOther}). */
    private final MachinesMet machines = new MachinesMet();

    private final List<OtherRoot> others = new ArrayList<>();

    /** Every other machine's root read this search, by origin: each is read once. */
    private final Map<String, OtherRoot> rootsRead = new HashMap<>();

    /** The roots asked for what the other roots did not cover ({@link #sweep}). */
    private final OriginSweep originSweep = new OriginSweep();

    /**
     * Machines whose own roots are asked at most a search for what their nodes no longer cover
     * ({@link #askOwnRoot}).
     */
    static final int SPLIT_ROOTS = 16;

    /** The roots of the machines asked by {@link #askOwnRoot}, by origin. */
    private final Map<String, OtherRoot> ownRoots = new HashMap<>();

    /** The parts each machine's own root was asked for, by origin. */
    private final Map<String, List<Range>> ownRootParts = new HashMap<>();

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
                reason -> skip("(search)", reason + "; the results may be incomplete"));
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
                hits.ranked(request.kind() == SearchRequest.Kind.WORDS, keys, wholes);
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
                note(record, null, "record", -1, f, f.error);
                Entry.Target t = f.target;
                if (t == null) {
                    if (!String.valueOf(f.error).equals(fetches.stopped())) {
                        skip(record.toString(), "record unreadable: " + f.error);
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

    /** What a root's load ends with: the root node read, or why there is none. */
    private interface RootDone {
        void done(URI url, @Nullable Node node, @Nullable String error);
    }

    /**
     * Reads the root at {@code url}, following entry pages' pointers ({@code rel=distree-root})
     * up to {@link IndexPage#MAX_POINTER_HOPS} times; {@code why} names it in the walk's record.
     */
    private void loadRoot(URI url, int hops, String why, RootDone then) {
        fetches.load(url, f -> {
            if (f.pointer != null && hops < IndexPage.MAX_POINTER_HOPS) {
                note(url, null, why + " page pointer", -1, f, null);
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
                note(url, null, why, -1, f, f.error);
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
            skip(given.toString(), "root unusable: " + error);
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
        String name = request.analyzer() != null ? request.analyzer() : first.node.analyzer();
        try {
            analyzer = KeyAnalyzer.forName(name);
        } catch (IllegalArgumentException e) {
            skip(first.url.toString(), e.getMessage() + "; the query is used as typed");
        }
        switch (request.kind()) {
            case WORDS -> {
                Set<String> all = new LinkedHashSet<>();
                for (String term : request.terms()) {
                    all.addAll(analyzer.keys(term));
                    wholes.addAll(analyzer.wholes(term));
                }
                if (all.isEmpty()) {
                    skip("(query)", "no words left after the '" + analyzer.name() + "' analyzer");
                }
                for (String k : all) {
                    keys.add(k);
                    queries.add(Query.exact(k));
                }
            }
            case PREFIX -> {
                String p = analyzer.bound(request.terms().get(0));
                keys.add(p);
                queries.add(Query.prefix(p));
            }
            case RANGE -> {
                String lo = analyzer.bound(request.terms().get(0));
                String hi = analyzer.bound(request.terms().get(1));
                keys.add(lo);
                keys.add(hi);
                queries.add(Query.range(lo, hi));
            }
        }
        for (int q = 0; q < queries.size(); q++) {
            hits.addQuery();
            partialRead.add(new ArrayList<>());
        }
        for (RootNode r : rootSlots) {
            if (r != null) {
                walkRoot(r);
            }
        }
    }

    private static String declaredName(@Nullable String a) {
        try {
            return KeyAnalyzer.forName(a).name();
        } catch (IllegalArgumentException e) {
            return String.valueOf(a);
        }
    }

    private void walkRoot(RootNode r) {
        String a = r.node.analyzer();
        if (request.analyzer() == null && !declaredName(a).equals(analyzer.name())) {
            skip(
                    r.url.toString(),
                    "declares analyzer '" + a + "', but the search uses '" + analyzer.name()
                            + "' (from the first root)");
        }
        for (int q = 0; q < queries.size(); q++) {
            visit(q, r.url, new Req(q, null, queries.get(q).range(), Node.MAX_HEIGHT + 1, "root"));
        }
    }

    // ---- the walk -------------------------------------------------------------------------

    /** A request that a node cover a segment of the query, made by a parent (or a root). */
    private static final class Req {
        final int q;
        final @Nullable NodeVisit parent;
        final Range segment;
        final int parentHeight;
        final String why;
        /** For a root's request: -1 for a given root, else the index of another machine's. */
        final int other;

        boolean accepted;

        Req(int q, @Nullable NodeVisit parent, Range segment, int parentHeight, String why) {
            this(q, parent, segment, parentHeight, why, -1);
        }

        Req(
                int q,
                @Nullable NodeVisit parent,
                Range segment,
                int parentHeight,
                String why,
                int other) {
            this.q = q;
            this.parent = parent;
            this.segment = segment;
            this.parentHeight = parentHeight;
            this.why = why;
            this.other = other;
        }
    }

    /** One node visited for one query. */
    private static final class NodeVisit {
        final int q;
        final URI url;
        final List<Req> requesters = new ArrayList<>();
        boolean loaded;

        @Nullable
        String error;

        @Nullable
        Node node;

        @Nullable
        URI base;

        boolean expanded;
        final List<Candidate> candidates = new ArrayList<>();
        /**
         * The segments each child was asked for: it is not asked again at a point inside one
         * (what it handed back there it cannot cover), but is for another part that comes back.
         */
        final Map<Candidate, List<Range>> asked = new HashMap<>();

        final List<Range> uncovered = new ArrayList<>();

        NodeVisit(int q, URI url) {
            this.q = q;
            this.url = url;
        }
    }

    private void visit(int q, URI url, Req req) {
        String key = q + " " + Urls.normalize(url);
        NodeVisit v = visits.get(key);
        boolean fresh = v == null;
        if (v == null) {
            v = new NodeVisit(q, url);
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
        Req first = v.requesters.get(0);
        URI parentUrl = first.parent == null ? null : first.parent.url;
        if (f.result == null) {
            v.error = f.pointer != null
                    ? "entry page where a node was expected"
                    : String.valueOf(f.error);
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
                skip(v.url.toString(), v.error);
            }
        } else {
            nodeCount++;
            machines.met(v.url);
        }
        note(v.url, parentUrl, first.why, v.node == null ? -1 : v.node.height(), f, v.error);
        for (Req r : new ArrayList<>(v.requesters)) {
            accept(v, r);
        }
        sweepLate();
    }

    /** Takes on a requester's segment, or hands it back. */
    private void accept(NodeVisit v, Req r) {
        Node node = v.node;
        if (node == null) {
            handBack(r, r.segment);
            return;
        }
        if (node.height() >= r.parentHeight) {
            skip(
                    v.url.toString(),
                    "height " + node.height() + " does not fall below its" + " parent's "
                            + r.parentHeight + " (ignored)");
            handBack(r, r.segment);
            return;
        }
        for (Range outside : Ranges.minus(r.segment, node.range())) {
            if (!askOwnRoot(v.url, r, outside)) {
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
        Query query = queries.get(v.q);
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
                skip(c.href(), String.valueOf(e.getMessage()));
                continue;
            }
            if (!Links.followable(child)) {
                skip(child.toString(), "scheme is not http, https or file");
                continue;
            }
            if ("file".equalsIgnoreCase(child.getScheme())
                    && !"file".equalsIgnoreCase(v.url.getScheme())) {
                skip(child.toString(), "a remote node may not link a local file");
                continue;
            }
            if (c.height() >= node.height()) {
                skip(
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
                    new Req(v.q, v, segment, node.height(), why + " " + describe(segment)));
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

    /** A range for people: an exact key's range shows as the key. */
    static String describe(Range r) {
        Bound lo = r.low();
        Bound hi = r.high();
        if (lo != null
                && hi != null
                && lo.link().isEmpty()
                && hi.link().isEmpty()
                && hi.key().equals(lo.key() + "\u0000")) {
            return "'" + lo.key() + "'";
        }
        return r.toString().replace("\u0000", "\\0");
    }

    /** {@code v} cannot cover {@code part}: its requesters' parents try their alternates. */
    private void uncovered(NodeVisit v, Range part) {
        v.uncovered.add(part);
        for (Req r : new ArrayList<>(v.requesters)) {
            if (r.accepted && part.meets(r.segment)) {
                handBack(r, part.intersect(r.segment));
            }
        }
    }

    /** The node asked by {@code r} did not cover {@code part}: its parent tries others. */
    private void handBack(Req r, Range part) {
        if (fetches.stopped() != null) {
            return;
        }
        if (r.parent == null) {
            askOther(r.other + 1, r.q, part);
            return;
        }
        cover(r.parent, part, "alternate for");
    }

    // ---- other machines' roots ------------------------------------------------------------

    /**
     * Starts reading the root that the entry page {@code entry} points at, or gives the read of
     * its machine's root started before; one that cannot be read is reported, {@code unusable}
     * before the reason.
     */
    private OtherRoot readRoot(URI entry, String why, String unusable) {
        String origin = Links.origin(entry);
        OtherRoot known = rootsRead.get(origin);
        if (known != null) {
            return known; // asked before in another role (other, own or origin root)
        }
        OtherRoot o = new OtherRoot();
        rootsRead.put(origin, o);
        loadRoot(entry, 0, why, (url, node, error) -> {
            if (node == null) {
                skip(entry.toString(), unusable + error);
            }
            o.read(url, node);
        });
        return o;
    }

    /**
     * Part {@code part} of query {@code q} came back to a root, the given one ({@code k} is 0)
     * or other machine {@code k - 1}'s: the walk starts again from other machine {@code k}'s
     * root over that part alone. The machines are those whose nodes this search read or met a
     * link to, over http(s), in the order first met, less the given roots' and any that did not
     * answer; the
     * root of each is found from its entry page, {@code ORIGIN/index.html}, where the node
     * daemon serves it (PROTOCOL.md). Each has its own links to the machines that hold a range
     * (its routing chains, trimmed its own way), so where the given root's links there are all
     * on machines that are down, another root's often are not. At most {@link #OTHER_ROOTS} are
     * asked a search; after them the part is reported.
     */
    private void askOther(int k, int q, Range part) {
        if (k > OTHER_ROOTS) {
            return; // a root asked by the sweep: what it does not cover was reported
        }
        OtherRoot o = k < OTHER_ROOTS ? other(k) : null;
        if (o == null) {
            reportUncovered(q, part);
            sweep(q, part);
            return;
        }
        Runnable go = () -> {
            URI url = o.usableUrl();
            if (url == null) {
                askOther(k + 1, q, part);
                return;
            }
            walkFromRoot(q, url, part, "other root", k);
        };
        o.whenRead(go);
    }

    /**
     * The node at {@code url}, asked by {@code r}, covers less than the link to it said: its
     * machine has moved {@code part} to another node since the linking machine read it (a split),
     * which that machine's own tree links at once and the others' only once they read it again.
     * So the part is walked first from that machine's root, found from its entry page, as
     * another child of the same parent: what the root does not cover goes on to the parent's
     * alternates. False, and nothing asked, for a request of a root, a machine of a given root or
     * one that did not answer, a URL that names no origin, or when {@link #SPLIT_ROOTS} machines
     * were asked already.
     */
    private boolean askOwnRoot(URI url, Req r, Range part) {
        NodeVisit parent = r.parent;
        String scheme = url.getScheme();
        if (parent == null
                || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
            return false;
        }
        String origin = Links.origin(url);
        List<Range> before = ownRootParts.computeIfAbsent(origin, k -> new ArrayList<>());
        for (Range b : before) {
            if (b.meets(part)) {
                return false; // asked there before: what comes back again goes to the parent
            }
        }
        OtherRoot o = ownRoots.get(origin);
        if (o == null) {
            if (ownRoots.size() >= SPLIT_ROOTS || !machines.askable(origin)) {
                return false;
            }
            URI entry = MachinesMet.entryPage(origin);
            if (entry == null) {
                return false;
            }
            o = readRoot(entry, "own root", "the root of a machine whose node split, unusable: ");
            ownRoots.put(origin, o);
        }
        before.add(part);
        OtherRoot root = o;
        Runnable go = () -> {
            URI rootUrl = root.usableUrl();
            if (rootUrl == null) {
                handBack(r, part);
                return;
            }
            visit(
                    r.q,
                    rootUrl,
                    new Req(
                            r.q,
                            parent,
                            part,
                            Node.MAX_HEIGHT + 1,
                            "own root for " + describe(part)));
        };
        root.whenRead(go);
        return true;
    }

    /**
     * Part {@code part} of query {@code q} came back from the other roots too: every holder of
     * it that the walk met is down or out of reach. The roots of the machines met are asked for
     * it, and those of the machines the walk meets later ({@link #sweepLate}; {@link
     * OriginSweep}): each lists its own entries there in its own nodes. What they do not cover
     * comes back to nothing, the part being reported already.
     */
    private void sweep(int q, Range part) {
        originSweep.sweep(q, part, machines, this::readOriginRoot, this::askOrigin);
    }

    /** Asks the parts swept so far of the roots of the machines met since ({@link #sweep}). */
    private void sweepLate() {
        originSweep.late(machines, this::readOriginRoot, this::askOrigin);
    }

    private OtherRoot readOriginRoot(URI entry) {
        return readRoot(entry, "origin root", "a machine's root, unusable: ");
    }

    private void askOrigin(OtherRoot o, int q, Range part) {
        o.whenRead(() -> {
            URI url = o.usableUrl();
            if (url != null) {
                walkFromRoot(q, url, part, "origin root", OTHER_ROOTS);
            }
        });
    }

    /**
     * Walks part {@code part} of query {@code q} from another machine's root at {@code url}, as a
     * root's request ({@code other}: that machine's index among the other roots, {@link
     * #OTHER_ROOTS} for the sweep's, whose parts coming back go nowhere).
     */
    private void walkFromRoot(int q, URI url, Range part, String why, int other) {
        visit(
                q,
                url,
                new Req(q, null, part, Node.MAX_HEIGHT + 1, why + " for " + describe(part), other));
    }

    /** Other machine {@code k}'s root, its read started on first need; null when none is left. */
    private @Nullable OtherRoot other(int k) {
        while (others.size() <= k) {
            URI entry = machines.takeNext();
            if (entry == null) {
                return null;
            }
            others.add(readRoot(entry, "other root", "another machine's root, unusable: "));
        }
        return others.get(k);
    }

    /**
     * A part of query {@code q} came back to a root: where partial leaves were read, their
     * entries are in the results but nothing vouched for the rest; elsewhere no node was read.
     */
    private void reportUncovered(int q, Range part) {
        List<Range> unread = Ranges.minusAll(part, partialRead.get(q));
        for (Range p : Ranges.minusAll(part, unread)) {
            skip(
                    "(search)",
                    "only partial nodes cover " + describe(p) + " for " + queries.get(q)
                            + "; entries they do not list may be missing");
        }
        for (Range p : unread) {
            skip("(search)", "no reachable node covers " + describe(p) + " for " + queries.get(q));
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

    private void skip(String url, String reason) {
        if (!skipSeen.add(url + "\n" + reason)) {
            return;
        }
        if (skipped.size() < MAX_SKIPS) {
            skipped.add(new SearchResult.Skip(url, reason));
        } else {
            skipsLeftOut++;
        }
    }

    private void note(
            URI url,
            @Nullable URI parent,
            String why,
            int height,
            FetchQueue.FileFetch f,
            @Nullable String error) {
        boolean first = !f.bytesShown;
        f.bytesShown = true;
        int b = first ? f.size : 0;
        explain.add(
                new SearchResult.Visit(url, parent, why, height, first ? f.millis : 0, b, error));
    }

    private SearchResult result(List<SearchResult.Hit> shown, int total) {
        if (skipsLeftOut > 0) {
            skipped.add(new SearchResult.Skip(
                    "(search)", String.format(Locale.ROOT, "and %,d more skipped", skipsLeftOut)));
        }
        double ms = (System.nanoTime() - startNanos) / 1e6;
        return new SearchResult(
                shown,
                total,
                keys,
                analyzer.name(),
                skipped,
                explain,
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
