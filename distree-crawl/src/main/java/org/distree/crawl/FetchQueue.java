package org.distree.crawl;

import java.net.URI;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.distree.crawl.internal.Urls;
import org.distree.html.NodeFormatException;
import org.distree.html.RootPointerException;
import org.distree.model.Entry;
import org.distree.model.Links;
import org.distree.model.NodeFile;
import org.distree.query.FileSource;
import org.distree.query.NodeSource;
import org.jspecify.annotations.Nullable;

/**
 * The fetching side of one crawl: each node file fetched at most once (by normalized URL,
 * fragment dropped), at most {@code maxInFlight} at once and {@code maxPerHost} per host, within
 * the node and byte budgets. Completions arrive on HttpClient's I/O threads and are queued as
 * events that the crawl's own thread runs ({@link #poll}), so waiters are always called on that
 * thread. {@code file:} URLs are read directly from disk. Over another network (a {@code
 * network} source, such as a simulator's), every other URL is fetched from it, on this thread.
 * Page records ({@link #loadRecord}) are fetched the same way, once each, and count in the
 * same budgets.
 */
final class FetchQueue {
    /** The web's robots.txt cache (and its fetcher), asked for on the first fetch over HTTP. */
    private final @Nullable Supplier<RobotsCache> web;

    private final @Nullable NodeSource network;
    private final int maxInFlight;
    private final int maxPerHost;
    private final int maxNodes;
    private final long maxBytes;
    private final Consumer<String> onStop;
    private final FileSource files = new FileSource();
    private final LinkedBlockingQueue<Runnable> events = new LinkedBlockingQueue<>();
    private final Map<URI, FileFetch> fetched = new HashMap<>();
    private final Map<URI, FileFetch> records = new HashMap<>();
    private final ArrayDeque<FileFetch> queued = new ArrayDeque<>();
    private final Map<String, Integer> perHost = new HashMap<>();
    private final Set<FileFetch> inFlight = new LinkedHashSet<>();
    private final Set<String> hosts = new HashSet<>();
    /**
     * Origins that did not answer at all in this search (no connection, or nothing within the
     * fetch timeout), with why: nothing more is asked of them, so a walk routes round a silent
     * machine after one timeout rather than one per file it links there.
     */
    private final Map<String, String> silent = new HashMap<>();

    private int fetches;
    private int recordFetches;
    private int failures;
    private long bytes;
    private @Nullable String stopped;

    /**
     * {@code onStop} is told why fetching stopped, once. Exactly one of {@code web} (the web,
     * through the one fetcher) and {@code network} (another network) is given.
     */
    FetchQueue(
            @Nullable Supplier<RobotsCache> web,
            @Nullable NodeSource network,
            int maxInFlight,
            int maxPerHost,
            int maxNodes,
            long maxBytes,
            Consumer<String> onStop) {
        if ((web == null) == (network == null)) {
            throw new IllegalArgumentException("give the web's robots cache or another network");
        }
        this.web = web;
        this.network = network;
        this.maxInFlight = maxInFlight;
        this.maxPerHost = maxPerHost;
        this.maxNodes = maxNodes;
        this.maxBytes = maxBytes;
        this.onStop = onStop;
    }

    /** True while a fetch is queued, in flight, or has an event waiting to run. */
    boolean busy() {
        return !inFlight.isEmpty() || !queued.isEmpty() || !events.isEmpty();
    }

    /** The next completion event, waiting at most {@code nanos}; null if none came. */
    @Nullable
    Runnable poll(long nanos) throws InterruptedException {
        return events.poll(nanos, TimeUnit.NANOSECONDS);
    }

    /** Why fetching stopped, or null while it goes on. */
    @Nullable
    String stopped() {
        return stopped;
    }

    int fetches() {
        return fetches;
    }

    /** Page records asked for, of {@link #fetches}. */
    int records() {
        return recordFetches;
    }

    int failures() {
        return failures;
    }

    long bytes() {
        return bytes;
    }

    int hosts() {
        return hosts.size();
    }

    /** Counts a failure found after the fetch (a node that did not parse as expected). */
    void countFailure() {
        failures++;
    }

    /** A node file (or a page record), fetched at most once per search. */
    static final class FileFetch {
        final URI url;
        final boolean record;
        final String origin;
        final List<Consumer<FileFetch>> waiters = new ArrayList<>();
        long started;

        @Nullable
        CompletableFuture<Page> future;

        boolean done;
        boolean bytesShown;
        NodeSource.@Nullable Fetched result;

        @Nullable
        String pointer;

        /** A page record's target, its link resolved: for a record fetch that worked. */
        Entry.@Nullable Target target;

        @Nullable
        String error;

        /**
         * The file's machine answered that it is not there (404 or 410): it is up, and a link
         * to the file is stale (the machine renamed or dropped the node since).
         */
        boolean gone;

        double millis;
        int size;

        FileFetch(URI url, boolean record) {
            this.url = url;
            this.record = record;
            this.origin = Links.origin(url);
        }
    }

    /** Calls {@code then} on this thread once the file of {@code url} is fetched or failed. */
    void load(URI url, Consumer<FileFetch> then) {
        load(url, false, then);
    }

    /**
     * Calls {@code then} on this thread once the page record at {@code url} is fetched and read
     * ({@link FileFetch#target}) or failed.
     */
    void loadRecord(URI url, Consumer<FileFetch> then) {
        load(url, true, then);
    }

    private void load(URI url, boolean record, Consumer<FileFetch> then) {
        URI key = Urls.fileKey(url);
        Map<URI, FileFetch> known = record ? records : fetched;
        FileFetch f = known.get(key);
        if (f == null) {
            f = new FileFetch(key, record);
            known.put(key, f);
            String refusal = stopped != null
                    ? stopped
                    : fetches >= maxNodes
                            ? String.format(Locale.ROOT, "node budget of %,d spent", maxNodes)
                            : bytes >= maxBytes
                                    ? String.format(
                                            Locale.ROOT, "byte budget of %,d spent", maxBytes)
                                    : null;
            if (refusal != null) {
                if (stopped == null) {
                    stop(refusal);
                }
                f.done = true;
                f.error = refusal;
            } else {
                fetches++;
                recordFetches += record ? 1 : 0;
                queued.add(f);
            }
        }
        if (f.done) {
            then.accept(f);
        } else {
            f.waiters.add(then);
        }
    }

    /**
     * Whether the machine at {@code origin} did not answer at all earlier in this search (no
     * connection, or nothing within the fetch timeout): a status such as 404, or a file that
     * came but could not be used, does not make it silent.
     */
    boolean silent(String origin) {
        return silent.containsKey(origin);
    }

    /** Starts queued fetches while the in-flight and per-host limits allow. */
    void dispatch() {
        if (queued.isEmpty() || inFlight.size() >= maxInFlight) {
            return;
        }
        for (Iterator<FileFetch> it = queued.iterator();
                it.hasNext() && inFlight.size() < maxInFlight; ) {
            FileFetch f = it.next();
            String silence = silent.get(f.origin);
            if (silence != null) {
                it.remove();
                perHost.merge(f.origin, 1, Integer::sum);
                inFlight.add(f);
                f.started = System.nanoTime();
                String why = "not asked: " + f.origin + " did not answer earlier in this search ("
                        + silence + ")";
                events.add(() -> finish(f, null, null, why));
                continue;
            }
            int n = perHost.getOrDefault(f.origin, 0);
            if (n >= maxPerHost) {
                continue;
            }
            it.remove();
            perHost.put(f.origin, n + 1);
            inFlight.add(f);
            hosts.add(f.origin);
            start(f);
        }
    }

    private void start(FileFetch f) {
        f.started = System.nanoTime();
        NodeSource direct = "file".equalsIgnoreCase(f.url.getScheme()) ? files : network;
        if (direct != null) {
            // Local files are read right here: they are small and the disk is fast. Another
            // network (a simulator's, in memory) answers at once as well.
            NodeSource.Fetched r = null;
            String pointer = null;
            String error = null;
            if (f.record) {
                try {
                    f.target = direct.record(f.url);
                } catch (Exception e) {
                    error = String.valueOf(e.getMessage());
                }
                String err = error;
                events.add(() -> finish(f, null, null, err));
                return;
            }
            try {
                r = direct.fetch(f.url);
            } catch (RootPointerException p) {
                NodeFile copy = p.copy();
                if (copy != null) {
                    // An entry page holding the root's copy: the root, read at the page's URL.
                    NodeSource.Fetched root = new NodeSource.Fetched(f.url, copy, 0);
                    events.add(() -> finish(f, root, null, null));
                    return;
                }
                try {
                    pointer = Links.resolve(f.url, p.href()).toString();
                } catch (IllegalArgumentException e) {
                    error = e.getMessage();
                }
            } catch (Exception e) {
                error = String.valueOf(e.getMessage());
                if (e instanceof NodeFetchException n) {
                    if (n.unanswered()) {
                        silent.putIfAbsent(f.origin, n.reason());
                    }
                    f.gone = isGone(n);
                }
            }
            NodeSource.Fetched result = r;
            String ptr = pointer;
            String err = error;
            events.add(() -> finish(f, result, ptr, err));
            return;
        }
        CompletableFuture<Page> future =
                Objects.requireNonNull(web, "no network, so the web").get().fetchIfAllowed(f.url);
        f.future = future;
        // Only queues an event, which cannot fail: the stage whenComplete returns is not needed.
        var unused = future.whenComplete((page, e) -> events.add(() -> finishPage(f, page, e)));
    }

    private void finishPage(FileFetch f, @Nullable Page page, @Nullable Throwable e) {
        if (f.done) {
            return; // abandoned when the time ran out
        }
        if (page == null) {
            // A stage completes with a page or with a failure.
            Throwable failure = Objects.requireNonNull(e, "no page and no failure");
            Throwable cause = failure instanceof java.util.concurrent.CompletionException
                            && failure.getCause() != null
                    ? failure.getCause()
                    : failure;
            NodeFetchException failed = Fetcher.describe(f.url, cause);
            if (failed.unanswered()) {
                silent.putIfAbsent(f.origin, failed.reason());
            }
            f.gone = isGone(failed);
            finish(f, null, null, String.valueOf(failed.reason()));
            return;
        }
        if (f.record) {
            bytes += page.body().length;
            f.size = page.body().length;
            try {
                f.target = PageDecoder.record(page);
                finish(f, null, null, null);
            } catch (NodeFormatException | RuntimeException x) {
                finish(f, null, null, String.valueOf(x.getMessage()));
            }
            return;
        }
        try {
            NodeFile file = PageDecoder.parse(page);
            finish(
                    f,
                    new NodeSource.Fetched(page.finalUrl(), file, page.body().length),
                    null,
                    null);
        } catch (RootPointerException p) {
            NodeFile copy = p.copy();
            if (copy != null) {
                // An entry page holding the root's copy: the root, read at the page's URL (its
                // links are written relative to it), without another request.
                finish(
                        f,
                        new NodeSource.Fetched(page.finalUrl(), copy, page.body().length),
                        null,
                        null);
                return;
            }
            bytes += page.body().length;
            f.size = page.body().length;
            finish(f, null, Links.resolve(page.finalUrl(), p.href()).toString(), null);
        } catch (NodeFormatException | RuntimeException x) {
            bytes += page.body().length;
            finish(f, null, null, String.valueOf(x.getMessage()));
        }
    }

    private static boolean isGone(NodeFetchException e) {
        return e.status() == 404 || e.status() == 410;
    }

    private void finish(
            FileFetch f,
            NodeSource.@Nullable Fetched result,
            @Nullable String pointer,
            @Nullable String error) {
        if (f.done) {
            return;
        }
        inFlight.remove(f);
        perHost.merge(f.origin, -1, Integer::sum);
        f.done = true;
        f.millis = (System.nanoTime() - f.started) / 1e6;
        f.result = result;
        f.pointer = pointer;
        f.error = error;
        if (result != null) {
            f.size = result.bytes();
            bytes += result.bytes();
        } else if (pointer == null && f.target == null) {
            failures++;
        }
        List<Consumer<FileFetch>> waiting = new ArrayList<>(f.waiters);
        f.waiters.clear();
        for (Consumer<FileFetch> w : waiting) {
            w.accept(f);
        }
    }

    /** Stops new fetches; when the time is out, abandons those in flight as well. */
    void stop(String reason) {
        if (stopped != null) {
            return;
        }
        stopped = reason;
        onStop.accept(reason);
        if (!reason.startsWith("time") && !reason.equals("interrupted")) {
            return; // a spent node or byte budget lets fetches already asked for finish
        }
        for (FileFetch f : new ArrayList<>(inFlight)) {
            if (f.future != null) {
                f.future.cancel(true);
            }
            finish(f, null, null, reason);
        }
        for (FileFetch f : new ArrayList<>(queued)) {
            queued.remove(f);
            fetches--;
            recordFetches -= f.record ? 1 : 0;
            f.done = true;
            f.error = reason;
            List<Consumer<FileFetch>> waiting = new ArrayList<>(f.waiters);
            f.waiters.clear();
            waiting.forEach(w -> w.accept(f));
        }
    }
}
