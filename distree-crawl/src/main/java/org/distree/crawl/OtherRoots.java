package org.distree.crawl;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.distree.model.Links;
import org.distree.model.Node;
import org.distree.model.Range;
import org.jspecify.annotations.Nullable;

/**
 * The roots of machines other than the given ones that one search asks ({@link Crawl}): for a
 * part that came back to a root (the other roots, in turn, then the sweep of the machines met),
 * and for the part a node no longer covers (its own machine's root). Each machine's root is read
 * once a search, whatever it is asked for. Not thread-safe: the walk's thread alone uses it.
 */
final class OtherRoots {
    /**
     * Other machines' roots asked at most a search, in turn, for a part that nothing reached
     * from the given roots covers ({@link #askOther}): {@value}.
     */
    static final int OTHER_ROOTS = 3;

    /**
     * Machines whose own roots are asked at most a search for what their nodes no longer cover
     * ({@link #askOwnRoot}): {@value}.
     */
    static final int SPLIT_ROOTS = 16;

    /** What these roots need of the walk. */
    interface Walk {
        /** Reads the root that the entry page or node at {@code url} gives. */
        void loadRoot(URI url, String why, RootRead then);

        /** Asks the node at {@code url} for a segment. */
        void visit(int q, URI url, SegmentRequest req);

        /** The node asked by {@code r} did not cover {@code part}: its parent tries others. */
        void handBack(SegmentRequest r, Range part);

        /** Reports a part of query {@code q} that no root asked covers. */
        void reportUncovered(int q, Range part);
    }

    /** What a root's read ends with: the root node read, or why there is none. */
    interface RootRead {
        void done(URI url, @Nullable Node node, @Nullable String error);
    }

    private final Walk walk;
    private final MachinesMet machines;
    private final SearchLog log;

    private final List<OtherRoot> others = new ArrayList<>();

    /** Every other machine's root read this search, by origin: each is read once. */
    private final Map<String, OtherRoot> rootsRead = new HashMap<>();

    /** The roots asked for what the other roots did not cover ({@link #sweep}). */
    private final OriginSweep originSweep = new OriginSweep();

    /** The roots of the machines asked by {@link #askOwnRoot}, by origin. */
    private final Map<String, OtherRoot> ownRoots = new HashMap<>();

    /** The parts each machine's own root was asked for, by origin. */
    private final Map<String, List<Range>> ownRootParts = new HashMap<>();

    OtherRoots(Walk walk, MachinesMet machines, SearchLog log) {
        this.walk = walk;
        this.machines = machines;
        this.log = log;
    }

    /**
     * Part {@code part} of query {@code q} came back to a root, the given one ({@code k} is 0)
     * or other machine {@code k - 1}'s: the walk starts again from other machine {@code k}'s
     * root over that part alone. The machines are those whose nodes this search read or met a
     * link to, over http(s), in the order first met, less the given roots' and any that did not
     * answer; the root of each is found from its entry page, {@code ORIGIN/index.html}, where the
     * node daemon serves it (PROTOCOL.md). Each has its own links to the machines that hold a
     * range (its routing chains, trimmed its own way), so where the given root's links there are
     * all on machines that are down, another root's often are not. At most {@link #OTHER_ROOTS}
     * are asked a search; after them the part is reported, then swept ({@link #sweep}).
     */
    void askOther(int k, int q, Range part) {
        if (k > OTHER_ROOTS) {
            return; // a root asked by the sweep: what it does not cover was reported
        }
        OtherRoot o = k < OTHER_ROOTS ? other(k) : null;
        if (o == null) {
            walk.reportUncovered(q, part);
            sweep(q, part);
            return;
        }
        o.whenRead(() -> {
            URI url = o.usableUrl();
            if (url == null) {
                askOther(k + 1, q, part);
                return;
            }
            walkFromRoot(q, url, part, "other root", k);
        });
    }

    /**
     * The node at {@code url}, asked by {@code r}, covers less than the link to it said: its
     * machine has moved {@code part} to another node since the linking machine read it (a split),
     * which that machine's own tree links at once and the others' only once they read it again.
     * So the part is walked first from that machine's root, found from its entry page, as another
     * child of the same parent; so is the whole segment of a node whose machine answered that its
     * file is not there (404, 410: renamed or dropped since). What the root does not cover goes on
     * to the parent's alternates. False, and nothing asked, for a request of a root, a machine of a
     * given root or one that did not answer, a URL that names no origin, or when {@link
     * #SPLIT_ROOTS} machines were asked already.
     */
    boolean askOwnRoot(URI url, SegmentRequest r, Range part) {
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
        root.whenRead(() -> {
            URI rootUrl = root.usableUrl();
            if (rootUrl == null) {
                walk.handBack(r, part);
                return;
            }
            walk.visit(
                    r.q,
                    rootUrl,
                    new SegmentRequest(
                            r.q,
                            parent,
                            part,
                            Node.MAX_HEIGHT + 1,
                            "own root for " + Ranges.describe(part),
                            -1,
                            "own " + origin));
        });
        return true;
    }

    /** Asks the parts swept so far of the roots of the machines met since ({@link #sweep}). */
    void sweepLate() {
        originSweep.late(machines, this::readOriginRoot, this::askOrigin);
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
        walk.loadRoot(entry, why, (url, node, error) -> {
            if (node == null) {
                log.skip(entry.toString(), unusable + error);
            }
            o.read(url, node);
        });
        return o;
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
        walk.visit(
                q,
                url,
                new SegmentRequest(
                        q,
                        null,
                        part,
                        Node.MAX_HEIGHT + 1,
                        why + " for " + Ranges.describe(part),
                        other,
                        ""));
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
}
