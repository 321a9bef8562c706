package org.distree.maintain;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.distree.maintain.internal.Fetches;
import org.distree.maintain.internal.RemoteWalk;
import org.distree.maintain.internal.Ring;
import org.distree.maintain.internal.State;
import org.distree.maintain.transport.Transport;
import org.distree.tree.LocalTree;
import org.jspecify.annotations.Nullable;

/** What every job works with: one per maintainer, shared by its jobs. Thread-safe. */
final class Context {
    private final MaintainerConfig config;
    private final LocalTree tree;
    private final Transport transport;
    private final State state;
    private final Fetches.HostClock hosts;
    private final AtomicLong fetchTotal = new AtomicLong();
    private final AtomicLong bytesTotal = new AtomicLong();
    private final Clock clock;
    private volatile List<RemoteWalk.Seen> lastSeen = List.of();
    private volatile @Nullable Ring ring;
    private final org.distree.maintain.internal.RingWalk.Cache walkCache;
    private volatile long rulesCleanAt = -1;
    private volatile long rulesNextLint = Long.MIN_VALUE;
    private volatile long orphansDueMillis = Long.MIN_VALUE;

    public Context(
            MaintainerConfig config,
            LocalTree tree,
            Transport transport,
            State state,
            Clock clock) {
        this.config = config;
        this.tree = tree;
        this.transport = transport;
        this.state = state;
        this.hosts = new Fetches.HostClock(config.perHostInterval());
        this.clock = clock;
        this.walkCache = new org.distree.maintain.internal.RingWalk.Cache(config.walkCacheFiles());
    }

    public MaintainerConfig config() {
        return config;
    }

    public LocalTree tree() {
        return tree;
    }

    public Transport transport() {
        return transport;
    }

    public State state() {
        return state;
    }

    /** Fetches for one run, within the per-run budget and the per-host rate. */
    public Fetches fetches() {
        return new Fetches(transport, hosts, config.maxFetches(), fetchTotal, bytesTotal);
    }

    /** Bytes of every file fetched so far, of every job ({@code 304}s have none). */
    public long bytesTotal() {
        return bytesTotal.get();
    }

    /** Every fetch so far, of every job. */
    public long fetchTotal() {
        return fetchTotal.get();
    }

    /** Now, to the second (the format's resolution). */
    public Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.SECONDS);
    }

    public long nowMillis() {
        return clock.millis();
    }

    /** True for a URL of this machine: under its base URL. */
    public boolean own(URI url) {
        URI base = config.baseUrl();
        return base != null && url.toString().startsWith(base.toString());
    }

    /** The absolute URL of a local node file, or null for a static tree with no base URL. */
    public @Nullable URI publicUrl(String name) {
        URI base = config.baseUrl();
        return base == null ? null : base.resolve(name);
    }

    /** The remote nodes the last sync found (the submit job aims at their machines). */
    public List<RemoteWalk.Seen> lastSeen() {
        return lastSeen;
    }

    /** The store's commit count when the rules job last found the tree clean, or -1. */
    long rulesCleanAt() {
        return rulesCleanAt;
    }

    void rulesCleanAt(long commits) {
        this.rulesCleanAt = commits;
    }

    /** The clock's millis before which the rules job does not lint again. */
    long rulesNextLint() {
        return rulesNextLint;
    }

    void rulesNextLint(long millis) {
        this.rulesNextLint = millis;
    }

    /**
     * When the next orphan copy the rules job knows of ages out (epoch millis): {@link
     * Long#MAX_VALUE} when it knows of none, {@link Long#MIN_VALUE} before its first look.
     */
    long orphansDueMillis() {
        return orphansDueMillis;
    }

    void orphansDueMillis(long millis) {
        this.orphansDueMillis = millis;
    }

    private final java.util.ArrayDeque<Long> syncStarts = new java.util.ArrayDeque<>();

    /**
     * Records that a sync run started at {@code nowMillis} and returns when the run {@code runs
     * - 1} runs before it started (the first run's start while there were fewer): what was read
     * since then was read in the last {@code runs} runs. One sync at a time calls it.
     */
    synchronized long syncStarted(long nowMillis, int runs) {
        syncStarts.addLast(nowMillis);
        while (syncStarts.size() > runs) {
            syncStarts.removeFirst();
        }
        return syncStarts.getFirst();
    }

    private int syncsSincePlacesMoved;

    /**
     * Counts a sync run and returns the runs since this machine last moved its places (or since
     * the daemon started), this one included. One sync at a time calls it.
     */
    synchronized int syncsSincePlacesMoved() {
        return ++syncsSincePlacesMoved;
    }

    /** Records that this machine published new places. */
    synchronized void placesMoved() {
        syncsSincePlacesMoved = 0;
    }

    /** The ring's walk's files from earlier runs; one sync at a time uses it. */
    org.distree.maintain.internal.RingWalk.Cache walkCache() {
        return walkCache;
    }

    private volatile Set<String> readBySync = Set.of();
    private volatile long readBySyncMillis = Long.MIN_VALUE;

    /**
     * Records the remote nodes the sync run that started at {@code startedMillis} read, or knew
     * current from their own machine's items, on machines whose roots answered in that run (by
     * URL as a link names them): the link check takes that reading for its own ({@link
     * #readBySync(String)}).
     */
    void readBySync(Set<String> urls, long startedMillis) {
        this.readBySync = Set.copyOf(urls);
        this.readBySyncMillis = startedMillis;
    }

    /**
     * True when the last sync read the node that {@code href} links, or knew it current from its
     * own machine's items, no longer ago than the link check's interval: it answered then, as a
     * check would find.
     */
    boolean readBySync(String href) {
        return nowMillis() - readBySyncMillis
                        <= config.interval(MaintainerConfig.Key.LINK_CHECK_INTERVAL_MS)
                                .toMillis()
                && readBySync.contains(href);
    }

    /** The ring the last sync computed, or null before one (or when positions=0). */
    @Nullable
    Ring ring() {
        return ring;
    }

    void ring(Ring r) {
        this.ring = r;
    }

    /**
     * {@link org.distree.rules.Rules#acceptableChild} of a node read, remembered by identity for
     * the run after: a file answered {@code 304} is the same object again ({@link
     * org.distree.maintain.internal.RingWalk.Cache}), and measuring every node read, each run,
     * took an eighth of a sync on a ring of 100 machines. Verdicts of the nodes not asked about
     * in a run are forgotten at the next one ({@link #nextAcceptableRun}).
     */
    synchronized boolean acceptableChild(org.distree.model.Node n) {
        Boolean known = acceptedLast.get(n);
        if (known == null) {
            known = acceptedNow.get(n);
        }
        if (known == null) {
            known = org.distree.rules.Rules.acceptableChild(n);
        }
        acceptedNow.put(n, known);
        return known;
    }

    /** Starts a run of {@link #acceptableChild}: verdicts not asked for since the last go. */
    synchronized void nextAcceptableRun() {
        acceptedLast = acceptedNow;
        acceptedNow = new java.util.IdentityHashMap<>();
    }

    private java.util.IdentityHashMap<org.distree.model.Node, Boolean> acceptedLast =
            new java.util.IdentityHashMap<>();
    private java.util.IdentityHashMap<org.distree.model.Node, Boolean> acceptedNow =
            new java.util.IdentityHashMap<>();

    void lastSeen(List<RemoteWalk.Seen> seen) {
        this.lastSeen = List.copyOf(seen);
    }
}
