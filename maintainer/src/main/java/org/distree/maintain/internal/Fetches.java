package org.distree.maintain.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.distree.crawl.NodeFetchException;
import org.distree.crawl.Revalidated;
import org.distree.crawl.Validators;
import org.distree.html.NodeFormatException;
import org.distree.maintain.transport.Transport;
import org.distree.model.Links;
import org.distree.query.NodeSource;

/**
 * The fetches of one job run: at most {@code max} requests, each file fetched once (the result,
 * or the failure, is remembered), and at least {@code perHost} between two requests to one host
 * (shared by every run of one maintainer, through {@link HostClock}). A conditional fetch that
 * is answered {@code 304} counts as a request of no bytes.
 *
 * <p>A host that did not answer at all ({@link NodeFetchException#unanswered()}: no connection,
 * or nothing complete within the fetch timeout) is not asked again in this run: its other files
 * fail at once with {@link HostUnanswered}, no request made and none counted. Without this, a run
 * spent a whole fetch timeout on every file of an unreachable machine it tried, one at a time,
 * so during a partition a sync ran once or twice where it should have run 8 times (issue 16,
 * docs/RELIABILITY.md). The next run asks the host again.
 */
public final class Fetches {
    /** The run's fetch budget is spent. */
    public static final class BudgetSpent extends IOException {
        BudgetSpent(int max) {
            super("the run's budget of " + max + " fetches is spent");
        }
    }

    /** A file not fetched because its host did not answer earlier in this run. */
    public static final class HostUnanswered extends IOException {
        HostUnanswered(URI file, NodeFetchException first) {
            super(file + ": not asked: its host did not answer earlier in this run ("
                    + first.reason() + ")");
        }
    }

    /** When each host ({@link Links#origin}) may next be fetched from; one per maintainer. */
    public static final class HostClock {
        private final Map<String, Long> next = new ConcurrentHashMap<>();
        private final Duration perHost;

        public HostClock(Duration perHost) {
            this.perHost = perHost;
        }

        void acquire(URI url) throws InterruptedIOException {
            if (perHost.isZero()) {
                return;
            }
            String host = Links.origin(url);
            long wait;
            synchronized (this) {
                long now = System.nanoTime();
                long at = Math.max(now, next.getOrDefault(host, now));
                next.put(host, at + perHost.toNanos());
                wait = at - now;
            }
            if (wait > 0) {
                try {
                    // A rate limit, not a wait for a server: pace requests to one host.
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted");
                }
            }
        }
    }

    private final Transport transport;
    private final HostClock clock;
    private final int max;
    private final AtomicLong total;
    private final Map<URI, Object> done = new HashMap<>();
    private final Map<String, NodeFetchException> unanswered = new HashMap<>();
    private int count;
    private long bytes;
    private int notModified;
    private final AtomicLong totalBytes;

    /**
     * @param total a counter of all fetches of the maintainer, for reports
     * @param totalBytes a counter of all bytes of the files fetched, for reports
     */
    public Fetches(
            Transport transport,
            HostClock clock,
            int max,
            AtomicLong total,
            AtomicLong totalBytes) {
        this.transport = transport;
        this.clock = clock;
        this.max = max;
        this.total = total;
        this.totalBytes = totalBytes;
    }

    /** Bytes of the files fetched in this run (a {@code 304} has none). */
    public synchronized long bytes() {
        return bytes;
    }

    /** Conditional fetches in this run that the server answered {@code 304 Not Modified}. */
    public synchronized int notModified() {
        return notModified;
    }

    /** The number of files fetched in this run. */
    public synchronized int count() {
        return count;
    }

    /**
     * The file at {@code url} (its fragment is ignored), fetched at most once per run.
     *
     * @throws BudgetSpent when the run may fetch no more
     */
    public synchronized NodeSource.Fetched fetch(URI url) throws IOException, NodeFormatException {
        URI file = Links.file(url);
        Object d = done.get(file);
        if (d instanceof NodeFormatException e) {
            throw e;
        }
        if (d instanceof IOException e) {
            throw e;
        }
        if (d instanceof Revalidated r && r.fetched() != null) {
            return r.fetched();
        }
        // Nothing yet, or a 304 (which has no body to give): fetch it whole.
        Revalidated whole =
                take(file, () -> new Revalidated(transport.fetch(file), Validators.NONE));
        return Objects.requireNonNull(fetched(file, whole).fetched(), "a whole fetch has a body");
    }

    /**
     * The file at {@code url} unless unchanged since {@code known} (a conditional GET), fetched
     * at most once per run: a file already fetched whole in this run is returned as it is.
     *
     * @throws BudgetSpent when the run may fetch no more
     */
    public synchronized Revalidated fetchIfChanged(URI url, Validators known)
            throws IOException, NodeFormatException {
        URI file = Links.file(url);
        Object d = done.get(file);
        if (d instanceof Revalidated r) {
            return r;
        }
        if (d instanceof NodeFormatException e) {
            throw e;
        }
        if (d instanceof IOException e) {
            throw e;
        }
        return fetched(file, take(file, () -> transport.fetchIfChanged(file, known)));
    }

    private Revalidated fetched(URI file, Revalidated r) {
        done.put(file, r);
        NodeSource.Fetched f = r.fetched();
        if (f == null) {
            notModified++;
        } else {
            bytes += f.bytes();
            totalBytes.addAndGet(f.bytes());
        }
        return r;
    }

    private interface Get {
        Revalidated get() throws IOException, NodeFormatException;
    }

    /**
     * One request within the budget and the per-host rate; a failure is remembered, and a host
     * that did not answer is not asked again in this run.
     */
    private Revalidated take(URI file, Get get) throws IOException, NodeFormatException {
        String host = Links.origin(file);
        NodeFetchException down = unanswered.get(host);
        if (down != null) {
            HostUnanswered e = new HostUnanswered(file, down);
            done.put(file, e);
            throw e;
        }
        if (count >= max) {
            throw new BudgetSpent(max);
        }
        count++;
        total.incrementAndGet();
        clock.acquire(file);
        try {
            return get.get();
        } catch (IOException | NodeFormatException e) {
            if (!(e instanceof InterruptedIOException)) {
                done.put(file, e);
            }
            if (e instanceof NodeFetchException n && n.unanswered()) {
                unanswered.putIfAbsent(host, n);
            }
            throw e;
        }
    }
}
