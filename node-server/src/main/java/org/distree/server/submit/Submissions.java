package org.distree.server.submit;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.distree.html.NodeFormatException;
import org.distree.html.NodeWriter;
import org.distree.maintain.transport.SubmissionQueue;
import org.distree.model.Links;
import org.distree.model.Node;
import org.distree.query.NodeSource;
import org.distree.rules.Rules;
import org.distree.server.metrics.Metrics;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Submissions from other machines: URLs of their new leaves or branches.
 *
 * <pre>
 * submit(urls) ── UrlPolicy.check each (no network), count ≤ maxUrls, pending ≤ maxPending
 *      │          └─ refused at once: {@link Refused} with status and reason, nothing kept
 *      └─► receipt (202) ─► worker: NodeSource.fetch (capped; checks addresses) ─► rules
 *                                   └─ accepted: SubmissionQueue.add (durable) / rejected: why
 * </pre>
 *
 * The rules checked are those that make a node an acceptable child (10 KB and 16x, {@link
 * Rules#violations}, the first one broken is the reason given) after the reader's own checks (format, order, range). The status of
 * each receipt is kept in memory for the most recent {@value #KEPT_RECEIPTS} receipts.
 */
public final class Submissions implements Closeable {
    /** Receipts whose status is remembered: the most recent 10,000. */
    public static final int KEPT_RECEIPTS = 10_000;

    private static final Logger LOG = LoggerFactory.getLogger(Submissions.class);

    /** A submission refused at once: the HTTP status to answer and why. */
    public static final class Refused extends Exception {
        private final int status;

        Refused(int status, String reason) {
            super(reason);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** Where one submitted URL stands. */
    public enum State {
        PENDING,
        ACCEPTED,
        REJECTED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** One URL of a receipt: its state and, once checked, why. */
    public record Item(URI url, State state, String detail) {}

    /** A receipt: its id, when it was received, and each URL's state. */
    public record Receipt(String id, Instant received, List<Item> items) {}

    private final UrlPolicy policy;
    private final NodeSource source;
    private final SubmissionQueue queue;
    private final int maxUrls;
    private final int maxPending;
    private final Metrics metrics;
    private final Clock clock;
    private final ExecutorService workers;
    private final AtomicInteger pending = new AtomicInteger();
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Receipt> receipts = new LinkedHashMap<>(256, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Receipt> eldest) {
            return size() > KEPT_RECEIPTS;
        }
    };

    /**
     * @param source fetches and parses submitted nodes; it should cap size and time itself
     * @param maxUrls the most URLs in one submission
     * @param maxPending the most URLs being checked at once, across all clients
     * @param threads the workers that fetch and check
     */
    public Submissions(
            UrlPolicy policy,
            NodeSource source,
            SubmissionQueue queue,
            int maxUrls,
            int maxPending,
            int threads,
            Metrics metrics,
            Clock clock) {
        this.policy = policy;
        this.source = source;
        this.queue = queue;
        this.maxUrls = maxUrls;
        this.maxPending = maxPending;
        this.metrics = metrics;
        this.clock = clock;
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "distree-submit-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        metrics.counter(
                "distree_submissions_total",
                "Submitted URLs, by outcome: refused at"
                        + " once, received (then accepted or rejected after the fetch).");
        metrics.gauge(
                "distree_submissions_pending",
                "Submitted URLs being fetched and" + " checked.",
                pending::get);
        metrics.gauge(
                "distree_submissions_queued",
                "Accepted submissions waiting for the" + " maintainer.",
                () -> {
                    try {
                        return queue.size();
                    } catch (IOException e) {
                        return Double.NaN;
                    }
                });
    }

    /**
     * Takes a submission: checks each URL at once and starts fetching them.
     *
     * @param from the submitting client's address, kept with accepted results
     * @throws Refused with 400 for an invalid submission (nothing is kept), 503 when too many
     *     are being checked
     */
    public Receipt submit(List<String> urls, String from) throws Refused {
        if (urls.isEmpty()) {
            refuse(1, 400, "no url given (form field 'url', repeatable)");
        }
        if (urls.size() > maxUrls) {
            refuse(
                    urls.size(),
                    400,
                    urls.size() + " URLs, over the limit of " + maxUrls + " per submission");
        }
        Set<URI> checked = new LinkedHashSet<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < urls.size(); i++) {
            try {
                checked.add(policy.check(urls.get(i)));
            } catch (IllegalArgumentException e) {
                problems.add("url " + (i + 1) + ": " + e.getMessage());
            }
        }
        if (!problems.isEmpty()) {
            refuse(urls.size(), 400, String.join("; ", problems));
        }
        int n = checked.size();
        if (pending.addAndGet(n) > maxPending) {
            pending.addAndGet(-n);
            refuse(n, 503, "too many submissions are being checked; try again later");
        }
        Instant now = clock.instant();
        String id = HexFormat.of().formatHex(randomBytes());
        List<Item> items = new ArrayList<>();
        for (URI u : checked) {
            items.add(new Item(u, State.PENDING, ""));
        }
        Receipt receipt = new Receipt(id, now, List.copyOf(items));
        synchronized (receipts) {
            receipts.put(id, receipt);
        }
        metrics.add("distree_submissions_total", "outcome=\"received\"", n);
        int index = 0;
        for (URI u : checked) {
            int i = index++;
            try {
                workers.execute(() -> check(receipt, i, u, from));
            } catch (java.util.concurrent.RejectedExecutionException e) {
                pending.decrementAndGet();
                update(id, i, State.REJECTED, "the server is stopping");
            }
        }
        return receipt;
    }

    private byte[] randomBytes() {
        byte[] b = new byte[8];
        random.nextBytes(b);
        return b;
    }

    private void refuse(int urls, int status, String reason) throws Refused {
        metrics.add("distree_submissions_total", "outcome=\"refused\"", urls);
        throw new Refused(status, reason);
    }

    /** The receipt's current state, if it is still remembered. */
    public Optional<Receipt> receipt(String id) {
        synchronized (receipts) {
            return Optional.ofNullable(receipts.get(id));
        }
    }

    private void check(Receipt receipt, int index, URI url, String from) {
        try {
            String detail = accept(receipt, index, url, from);
            update(receipt.id(), index, State.ACCEPTED, detail);
            metrics.inc("distree_submissions_total", "outcome", "accepted");
            LOG.info("submission {} accepted: {} ({})", receipt.id(), url, detail);
        } catch (IOException | NodeFormatException | RuntimeException e) {
            // The reason may quote the other machine's text: no control characters in logs.
            String why = (e.getMessage() == null ? e.toString() : e.getMessage())
                    .replaceAll("\\p{Cntrl}", " ");
            update(receipt.id(), index, State.REJECTED, why);
            metrics.inc("distree_submissions_total", "outcome", "rejected");
            LOG.info("submission {} rejected: {}: {}", receipt.id(), url, why);
        } finally {
            pending.decrementAndGet();
        }
    }

    private String accept(Receipt receipt, int index, URI url, String from)
            throws IOException, NodeFormatException {
        NodeSource.Fetched f = source.fetch(Links.file(url));
        @Nullable String fragment = Links.fragment(url);
        Node node = f.file()
                .fragment(fragment)
                .orElseThrow(() -> new IllegalArgumentException(
                        "the file has no node with the id '" + fragment + "'"));
        List<Rules.Broken> broken = Rules.violations(node);
        if (!broken.isEmpty()) {
            throw new IllegalArgumentException(broken.get(0).toString());
        }
        queue.add(
                receipt.id(),
                index,
                url,
                from,
                receipt.received(),
                clock.instant(),
                f.bytes(),
                node);
        return (node.isLeaf() ? "leaf" : "height " + node.height()) + ", " + node.size()
                + " entries, keys " + NodeWriter.rangeText(node.range(), 24);
    }

    private void update(String id, int index, State state, String detail) {
        synchronized (receipts) {
            Receipt r = receipts.get(id);
            if (r == null) {
                return;
            }
            List<Item> items = new ArrayList<>(r.items());
            items.set(index, new Item(items.get(index).url(), state, detail));
            receipts.put(id, new Receipt(r.id(), r.received(), List.copyOf(items)));
        }
    }

    /**
     * Stops taking work; lets checks in progress finish for up to {@code timeoutMillis}. Checks
     * not finished by then are dropped (their receipts were never accepted; the submitter sends
     * again on its next round).
     */
    public void close(long timeoutMillis) {
        workers.shutdown();
        try {
            if (!workers.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS)) {
                workers.shutdownNow();
            }
        } catch (InterruptedException e) {
            workers.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        close(5_000);
    }
}
