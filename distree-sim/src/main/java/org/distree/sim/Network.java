package org.distree.sim;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.distree.crawl.NodeFetchException;
import org.distree.crawl.Revalidated;
import org.distree.crawl.Validators;
import org.distree.html.NodeFormatException;
import org.distree.html.NodeReader;
import org.distree.maintain.transport.SubmissionQueue;
import org.distree.maintain.transport.Transport;
import org.distree.model.Links;
import org.distree.query.NodeSource;
import org.distree.store.NodeStore;
import org.distree.tree.LocalTree;
import org.jspecify.annotations.Nullable;

/**
 * An in-memory network of machines, each a tree folder ({@link LocalTree}) at a base URL such as
 * {@code http://m0001.sim/}: the maintainer's {@link Transport} and the crawler's {@link
 * NodeSource} ({@code Searcher.over}) at once. It answers as the node daemon does, without HTTP:
 *
 * <ul>
 *   <li>a fetch of {@code index.html} or {@code n/<hex>.html} gives the machine's committed file,
 *       parsed by the real reader; any other path, or a missing file, is a {@code 404}
 *       ({@link NodeFetchException});
 *   <li>a conditional fetch ({@link #fetchIfChanged}) sends a strong {@code ETag} (a SHA-256 of
 *       the file's bytes, so a {@code 304} is exact) and a {@code Last-Modified}; {@code
 *       If-None-Match} decides when given, else {@code If-Modified-Since} (whole seconds), as in
 *       RFC 9110;
 *   <li>a submission is queued in the machine's {@link SubmissionQueue#FOLDER}, one file per URL
 *       in the queue's format, where its maintainer takes it in (the daemon's own checks of the
 *       node are left out: the maintainer checks the node again before using it);
 *   <li>a stopped machine ({@link #stop}) refuses everything, as a connection refused.
 * </ul>
 *
 * <p>Each machine counts what it answered ({@link Counts}): requests (fetches, conditional
 * fetches and submissions), conditional fetches, {@code 304}s, bytes of the files it sent, and
 * URLs submitted to it.
 *
 * <p>{@link Mode#ROUNDS} makes a run independent of the order in which machines run: every
 * machine sees the others as they were at the last {@link #barrier}, and submissions land in the
 * queues at the next one, so the machines of one round can run in parallel and a seed gives one
 * outcome. {@link Mode#LIVE} reads each file as committed now and queues a submission at once, as
 * the maintainer tests' network of real servers does when its machines run one after another.
 *
 * <p>Thread-safe. Machines are added before use; the trees stay the caller's to close.
 */
public final class Network implements Transport, NodeSource {
    /** When machines see each other's changes. */
    public enum Mode {
        /** At once: a fetch reads the committed file now, a submission is queued now. */
        LIVE,
        /**
         * At the barriers between rounds: a fetch reads the file as committed at the last {@link
         * #barrier}, a submission is queued at the next one.
         */
        ROUNDS
    }

    /**
     * What a machine answered.
     *
     * @param requests fetches, conditional fetches and submissions it answered ({@code 304}s and
     *     {@code 404}s included; refusals while stopped not)
     * @param conditional of those, conditional fetches ({@link #fetchIfChanged}), whatever the
     *     answer ({@code 200}, {@code 304} or {@code 404})
     * @param notModified conditional fetches it answered {@code 304}
     * @param bytes bytes of the files it sent ({@code 304}s send none)
     * @param submitted node URLs submitted to it
     */
    public record Counts(
            long requests, long conditional, long notModified, long bytes, long submitted) {
        /** Nothing. */
        public static final Counts ZERO = new Counts(0, 0, 0, 0, 0);

        public Counts plus(Counts o) {
            return new Counts(
                    requests + o.requests,
                    conditional + o.conditional,
                    notModified + o.notModified,
                    bytes + o.bytes,
                    submitted + o.submitted);
        }

        public Counts minus(Counts o) {
            return new Counts(
                    requests - o.requests,
                    conditional - o.conditional,
                    notModified - o.notModified,
                    bytes - o.bytes,
                    submitted - o.submitted);
        }
    }

    /** The paths a machine serves, as the node daemon does. */
    private static final Pattern SERVED = Pattern.compile("index\\.html|n/[0-9a-f]+\\.html");

    /**
     * One version of a served file: its bytes, its ETag, its time in whole seconds, and the node
     * read from it last (nodes are immutable, so every machine that fetches this version under
     * the same URL shares one reading: the simulator parses a file once per version, not once
     * per fetch).
     */
    private static final class Version {
        private final byte[] bytes;
        private final String etag;
        private final long modifiedSeconds;
        private final Validators validators;
        private volatile NodeSource.@Nullable Fetched read;

        Version(byte[] bytes, long modifiedSeconds) {
            this.bytes = bytes;
            this.etag = Network.etag(bytes);
            this.modifiedSeconds = modifiedSeconds;
            this.validators = new Validators(etag, httpDate(modifiedSeconds));
        }

        /** Its ETag and Last-Modified, one instance for every response (they are kept). */
        Validators validators() {
            return validators;
        }

        byte[] bytes() {
            return bytes;
        }

        String etag() {
            return etag;
        }

        long modifiedSeconds() {
            return modifiedSeconds;
        }

        /** The file read as {@code file}: the last reading when it was read as that file. */
        NodeSource.Fetched read(URI file) throws NodeFormatException {
            NodeSource.Fetched r = read;
            if (r == null || !r.url().equals(file)) {
                r = new NodeSource.Fetched(
                        file, NodeReader.read(bytes, file.toString()), bytes.length);
                read = r;
            }
            return r;
        }
    }

    /** A submitted URL waiting for the barrier, with the index of the machine that sent it. */
    private record Pending(int sender, URI url) {}

    private static final class Host {
        final int index;
        final LocalTree tree;
        final AtomicLong requests = new AtomicLong();
        final AtomicLong conditional = new AtomicLong();
        final AtomicLong notModified = new AtomicLong();
        final AtomicLong bytes = new AtomicLong();
        final AtomicLong submitted = new AtomicLong();
        final AtomicLong queued = new AtomicLong();
        volatile boolean running = true;
        volatile Map<String, Version> published = Map.of();
        long publishedCommits = -1;
        final List<Pending> pending = new ArrayList<>();

        Host(int index, LocalTree tree) {
            this.index = index;
            this.tree = tree;
        }

        Counts counts() {
            return new Counts(
                    requests.get(),
                    conditional.get(),
                    notModified.get(),
                    bytes.get(),
                    submitted.get());
        }
    }

    private final Mode mode;
    private final Clock clock;
    private final Map<String, Host> hosts = new ConcurrentHashMap<>();
    private final List<Host> order = new CopyOnWriteArrayList<>();

    /**
     * An empty network.
     *
     * @param clock what {@code Last-Modified} and the names of queued submissions are taken from
     *     (in {@link Mode#LIVE}, {@code Last-Modified} is the file's own time)
     */
    public Network(Mode mode, Clock clock) {
        this.mode = mode;
        this.clock = clock;
    }

    public Mode mode() {
        return mode;
    }

    /**
     * Adds a running machine serving {@code tree} at {@code base}; in {@link Mode#ROUNDS} its
     * files are seen from the next {@link #barrier} on.
     *
     * @throws IllegalArgumentException when {@code base} is not an http(s) URL ending in a slash,
     *     or a machine already has its origin
     */
    public void add(URI base, LocalTree tree) {
        String scheme = String.valueOf(base.getScheme());
        if (!(scheme.equals("http") || scheme.equals("https"))
                || base.getHost() == null
                || !base.getPath().endsWith("/")) {
            throw new IllegalArgumentException(
                    "a machine's base URL is an http(s) URL ending in a slash, not " + base);
        }
        Host h = new Host(order.size(), tree);
        if (hosts.putIfAbsent(Links.origin(base), h) != null) {
            throw new IllegalArgumentException("a machine is already at " + Links.origin(base));
        }
        order.add(h);
    }

    /** Stops the machine at {@code base}'s origin: it refuses every request until started. */
    public void stop(URI base) {
        known(base).running = false;
    }

    /** Starts the machine at {@code base}'s origin again. */
    public void start(URI base) {
        known(base).running = true;
    }

    public boolean running(URI base) {
        return known(base).running;
    }

    /** What the machine at {@code base}'s origin answered so far. */
    public Counts counts(URI base) {
        return known(base).counts();
    }

    /** What every machine answered so far. */
    public Counts total() {
        Counts c = Counts.ZERO;
        for (Host h : order) {
            c = c.plus(h.counts());
        }
        return c;
    }

    /**
     * The barrier between two rounds, in {@link Mode#ROUNDS}: queues the submissions made since
     * the last one (by sender, in the order each sender made them), then makes every running
     * machine's committed files what fetches see (a stopped machine serves nothing; once started,
     * it serves what it had until the next barrier). Call it while no machine runs. Does nothing
     * in {@link Mode#LIVE}.
     *
     * @throws IOException when a queue file cannot be written or a tree folder cannot be read
     */
    public void barrier() throws IOException {
        if (mode == Mode.LIVE) {
            return;
        }
        for (Host h : order) {
            List<Pending> due;
            synchronized (h) {
                due = new ArrayList<>(h.pending);
                h.pending.clear();
            }
            due.sort(Comparator.comparingInt(Pending::sender)); // stable: each sender's order
            for (Pending p : due) {
                queue(h, p.url());
            }
        }
        long now = clock.instant().getEpochSecond();
        for (Host h : order) {
            if (h.running) {
                publish(h, now);
            }
        }
    }

    private static void publish(Host h, long now) throws IOException {
        NodeStore store = h.tree.store();
        long commits = store.commits();
        if (commits == h.publishedCommits) {
            return;
        }
        List<String> names = new ArrayList<>();
        names.add(NodeStore.INDEX);
        names.addAll(store.nodeNames());
        Map<String, Version> old = h.published;
        Map<String, Version> next = new HashMap<>();
        for (String name : names) {
            byte[] bytes;
            try {
                bytes = store.readBytes(name);
            } catch (NoSuchFileException e) {
                continue;
            }
            Version was = old.get(name);
            next.put(
                    name,
                    was != null && Arrays.equals(was.bytes(), bytes)
                            ? was
                            : new Version(bytes, now));
        }
        h.published = Map.copyOf(next);
        h.publishedCommits = commits;
    }

    @Override
    public NodeSource.Fetched fetch(URI url) throws IOException, NodeFormatException {
        Host h = reach(url);
        Version v = version(h, url);
        h.bytes.addAndGet(v.bytes().length);
        return parse(url, v);
    }

    /**
     * The file unless unchanged since {@code known}: {@code If-None-Match} ({@code known}'s ETag,
     * compared strongly) when given, else {@code If-Modified-Since} ({@code known}'s
     * Last-Modified). A {@code 304} returns {@code known}.
     */
    @Override
    public Revalidated fetchIfChanged(URI url, Validators known)
            throws IOException, NodeFormatException {
        Host h = reach(url);
        h.conditional.incrementAndGet();
        Version v = version(h, url);
        if (unchanged(v, known)) {
            h.notModified.incrementAndGet();
            return new Revalidated(null, known);
        }
        h.bytes.addAndGet(v.bytes().length);
        return new Revalidated(parse(url, v), v.validators());
    }

    @Override
    public void submit(URI origin, List<URI> nodes) throws IOException {
        Host h = reach(origin);
        h.submitted.addAndGet(nodes.size());
        if (mode == Mode.LIVE) {
            for (URI u : nodes) {
                queue(h, u);
            }
            return;
        }
        Host from = nodes.isEmpty() ? null : hosts.get(Links.origin(nodes.get(0)));
        int sender = from == null ? Integer.MAX_VALUE : from.index;
        synchronized (h) {
            for (URI u : nodes) {
                h.pending.add(new Pending(sender, u));
            }
        }
    }

    /** Nothing to release: the trees are the caller's. */
    @Override
    public void close() {}

    private Host known(URI base) {
        Host h = hosts.get(Links.origin(base));
        if (h == null) {
            throw new IllegalArgumentException("no machine at " + Links.origin(base));
        }
        return h;
    }

    /** The running machine at {@code url}'s origin, counting the request. */
    private Host reach(URI url) throws NodeFetchException {
        Host h = hosts.get(Links.origin(url));
        if (h == null || !h.running) {
            throw new NodeFetchException(url.toString(), 0, "connection refused", true);
        }
        h.requests.incrementAndGet();
        return h;
    }

    private Version version(Host h, URI url) throws IOException {
        String path = String.valueOf(Links.file(url).getPath());
        path = path.startsWith("/") ? path.substring(1) : path;
        if (path.isEmpty()) {
            path = NodeStore.INDEX;
        }
        Version v = null;
        if (SERVED.matcher(path).matches()) {
            v = mode == Mode.ROUNDS ? h.published.get(path) : live(h.tree.store(), path);
        }
        if (v == null) {
            throw new NodeFetchException(url.toString(), 404, "not found");
        }
        return v;
    }

    private static @Nullable Version live(NodeStore store, String path) throws IOException {
        try {
            byte[] bytes = store.readBytes(path);
            long modified = Files.getLastModifiedTime(store.path(path)).toMillis() / 1000;
            return new Version(bytes, modified);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static NodeSource.Fetched parse(URI url, Version v) throws NodeFormatException {
        return v.read(Links.file(url));
    }

    private static boolean unchanged(Version v, Validators known) {
        String tag = known.etag();
        if (tag != null) {
            return tag.equals(v.etag());
        }
        String since = known.lastModified();
        if (since == null) {
            return false;
        }
        try {
            return v.modifiedSeconds()
                    <= Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(since))
                            .getEpochSecond();
        } catch (DateTimeParseException e) {
            return false; // an unreadable date is ignored, as RFC 9110 says
        }
    }

    private static String httpDate(long seconds) {
        return DateTimeFormatter.RFC_1123_DATE_TIME.format(
                Instant.ofEpochSecond(seconds).atOffset(ZoneOffset.UTC));
    }

    /** A strong ETag: the first 12 bytes of the SHA-256 of the file, in hex, quoted. */
    static String etag(byte[] bytes) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(bytes);
            return "\"" + HexFormat.of().formatHex(d, 0, 12) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /**
     * Queues one URL in the machine's submission folder, as the daemon does: written under a
     * temporary name, then renamed into place; named by time, then a counter of the machine, so
     * that name order is arrival order.
     */
    private void queue(Host h, URI url) throws IOException {
        Path dir = h.tree.store().dir().resolve(SubmissionQueue.FOLDER);
        Files.createDirectories(dir);
        String name = String.format(
                Locale.ROOT, "%013d-sim-%09d.json", clock.millis(), h.queued.incrementAndGet());
        Path tmp = dir.resolve(name + ".tmp");
        // A java.net.URI holds no quote or backslash, so it needs no JSON escaping.
        Files.writeString(
                tmp,
                "{\"format\":\"" + SubmissionQueue.FORMAT + "\",\"url\":\"" + url + "\"}",
                StandardCharsets.UTF_8);
        Files.move(tmp, dir.resolve(name));
    }
}
