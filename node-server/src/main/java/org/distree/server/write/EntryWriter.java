package org.distree.server.write;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.distree.model.Entry;
import org.distree.server.metrics.Metrics;
import org.distree.store.EntryLog;
import org.distree.tree.LocalTree;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one writer of the daemon's tree: entries are made durable in an entry log first
 * ({@link EntryLog}, one forced append for every group of requests waiting), acknowledged, and
 * then applied to the tree in large sorted transactions by a second thread.
 *
 * <p>Why two steps: a request of 100 random keys touches about 100 leaves, and a leaf costs the
 * same to rewrite for one new entry as for ten. Acknowledging once the log is forced lets the
 * entries of every request that arrives while a transaction is written wait in the log and go
 * into the next one together, so that under load each leaf rewritten takes many entries; the
 * batch grows with the load. A request may also wait until its entries are in the tree ({@link
 * Receipt#applied}), where searches and readers of the files see them.
 *
 * <pre>
 * submit(entries) ─► queue ─► logger thread: group ≤ writeBatch entries ─► log.append; force
 *                                              ─► Receipt.durable completes (200 sent)
 *                 applier thread: every entry logged and not applied, sorted, cut in runs of
 *                 ≤ writeBatch ─► LocalTree.insert each (durable) ─► delete the log's files
 *                                              ─► Receipt.applied completes
 * </pre>
 *
 * <p>Limits: at most {@code backlog} entries are logged and not yet applied (default in {@code
 * distree serve}: 100,000), and at most {@code backlogBytes} of their text (default a sixteenth
 * of the heap); beyond either the logger waits, and so do new requests, until a run of the batch
 * being applied is in the tree (so memory holds at most the backlog and the rest of that batch,
 * twice the backlog).
 *
 * <p>Failures: a run the tree cannot write for an I/O failure is cut in halves, which go in where
 * they fit (smaller transactions need less room on a nearly full disk); one that still cannot (a
 * read-only folder) is tried again after 1 s, then up to 30 s apart or as soon as new entries
 * arrive, while the entries stay in the log. Requests waiting for them are answered with the
 * failure meanwhile, and once the backlog is full new requests are refused with it rather than
 * held. A run refused for what is in it is cut in halves until the entries that cannot be placed
 * are found, and those are dropped with an error in the daemon's log ({@code
 * distree_entries_dropped_total}; every entry was checked when it was read, so only a bug drops
 * one).
 *
 * <p>At start, the entries a crash left in the log are applied before the daemon serves, by
 * {@link LocalTree#open}, as by anything that opens the tree to write it. {@link #close} stops
 * taking batches, logs and applies every batch already taken, then closes the tree.
 */
public final class EntryWriter implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(EntryWriter.class);

    /** The first wait before a run the tree could not write is tried again: 1 s. */
    private static final long FIRST_RETRY_MILLIS = 1_000;

    /** The longest wait between tries of a run the tree could not write: 30 s. */
    private static final long LAST_RETRY_MILLIS = 30_000;

    /** Why a batch was refused: the writer is stopping and takes no more. */
    public static final class StoppingException extends IllegalStateException {
        StoppingException() {
            super("the server is stopping");
        }
    }

    /**
     * What a submission completes: {@code durable} once its entries are forced to the entry log
     * (or failed: then none of them is kept), {@code applied} once they are in the tree.
     */
    public record Receipt(CompletableFuture<Void> durable, CompletableFuture<Void> applied) {}

    private record Pending(
            List<Entry> entries,
            CompletableFuture<Void> durable,
            CompletableFuture<Void> applied) {}

    private final LocalTree tree;
    private final EntryLog log;
    private final int writeBatch;
    private final int backlog;
    private final long backlogBytes;
    private final Metrics metrics;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread logger;
    private final Thread applier;
    private final Object lock = new Object();
    private final AtomicLong transactions = new AtomicLong();

    // Guarded by lock.
    private boolean closed;
    private boolean loggerDone;
    private @Nullable Throwable applierFailure;
    /** Why the last batch could not be applied; null once one is. */
    private @Nullable IOException unwritable;

    private List<Pending> logged = new ArrayList<>();
    private final List<Path> logFiles = new ArrayList<>();
    private int backlogEntries;
    private long backlogWeight;
    private long arrivals;

    /**
     * A writer whose backlog also holds at most a sixteenth of the JVM's maximum heap in the
     * entries' text ({@link #weight}): 64 MB of a 1 GB heap.
     *
     * @see #EntryWriter(LocalTree, int, int, long, Metrics)
     */
    public EntryWriter(LocalTree tree, int writeBatch, int backlog, Metrics metrics)
            throws IOException {
        this(tree, writeBatch, backlog, Runtime.getRuntime().maxMemory() / 16, metrics);
    }

    /**
     * Opens the entry log of {@code tree}'s folder (what a crash left in it was applied when the
     * tree was opened) and starts the logger and applier threads. Takes the tree, which {@link
     * #close} closes.
     *
     * @param writeBatch the most entries in one log record and in one transaction of the tree
     * @param backlog the most entries logged and not yet applied before new ones wait
     * @param backlogBytes the most bytes of entries' text ({@link #weight}) logged and not yet
     *     applied before new ones wait, so that long entries cannot fill the heap
     * @throws IOException if the log cannot be opened or read; the tree is not closed then
     */
    public EntryWriter(
            LocalTree tree, int writeBatch, int backlog, long backlogBytes, Metrics metrics)
            throws IOException {
        if (writeBatch < 1 || backlog < 1 || backlogBytes < 1) {
            throw new IllegalArgumentException(
                    "writeBatch and backlog must be at least 1: " + writeBatch + ", " + backlog);
        }
        this.tree = tree;
        this.writeBatch = writeBatch;
        this.backlog = backlog;
        this.backlogBytes = backlogBytes;
        this.metrics = metrics;
        metrics.counter(
                "distree_entries_added_total",
                "Entries made durable by POST /entries (in the entry log).");
        metrics.counter(
                "distree_entries_applied_total", "Entries of POST /entries applied to the tree.");
        metrics.counter(
                "distree_entries_dropped_total",
                "Entries acknowledged that the tree refused to place (a bug; the daemon's log"
                        + " names each).");
        metrics.counter("distree_write_transactions_total", "Durable transactions written.");
        metrics.counter(
                "distree_write_failures_total",
                "Entry log appends and tree transactions that failed.");
        metrics.gauge(
                "distree_entries_unapplied",
                "Entries durable in the entry log and not yet in the tree.",
                this::unapplied);
        // LocalTree.open applied what a crash left in the log; entries found here still (a
        // tree opened before they were written) are applied as the first batch.
        this.log = EntryLog.open(tree.store().dir(), true);
        List<Entry> left = log.recovered();
        if (!left.isEmpty()) {
            Pending p = new Pending(
                    left, CompletableFuture.completedFuture(null), new CompletableFuture<>());
            logged.add(p);
            logFiles.addAll(log.recoveredFiles());
            backlogEntries = left.size();
            backlogWeight = weight(left);
        }
        this.logger = new Thread(this::logLoop, "distree-entry-log");
        this.applier = new Thread(this::applyLoop, "distree-writer");
        logger.start();
        applier.start();
    }

    /** Transactions written so far; a reader's cache of the tree is stale when this changes. */
    public long transactions() {
        return transactions.get();
    }

    /** Entries durable in the entry log and not yet in the tree. */
    public int unapplied() {
        synchronized (lock) {
            return backlogEntries;
        }
    }

    /**
     * Queues entries to be written. {@code durable} completes once they are forced to the entry
     * log, or fails with the reason they could not be (then none of them is kept); {@code
     * applied} once they are in the tree.
     */
    public Receipt submit(List<Entry> entries) {
        Pending p = new Pending(
                List.copyOf(entries), new CompletableFuture<>(), new CompletableFuture<>());
        synchronized (lock) {
            if (closed) {
                StoppingException e = new StoppingException();
                p.durable().completeExceptionally(e);
                p.applied().completeExceptionally(e);
                return new Receipt(p.durable(), p.applied());
            }
            queue.add(p);
        }
        return new Receipt(p.durable(), p.applied());
    }

    private void logLoop() {
        List<Pending> group = new ArrayList<>();
        while (true) {
            Pending first;
            try {
                first = queue.poll(50, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                first = null;
            }
            if (first == null) {
                synchronized (lock) {
                    if (closed && queue.isEmpty()) {
                        loggerDone = true;
                        lock.notifyAll();
                        return;
                    }
                }
                continue;
            }
            group.clear();
            group.add(first);
            int size = first.entries().size();
            Pending next;
            while ((next = queue.peek()) != null && size + next.entries().size() <= writeBatch) {
                group.add(queue.remove());
                size += next.entries().size();
            }
            try {
                logGroup(group, size);
            } catch (Throwable t) {
                // Never leave a request waiting: an Error fails the group's futures too.
                LOG.error("the entry log failed", t);
                fail(group, t);
                if (t instanceof Error e) {
                    throw e;
                }
            }
        }
    }

    private void logGroup(List<Pending> group, int size) throws InterruptedException {
        List<Entry> all = new ArrayList<>(size);
        for (Pending p : group) {
            all.addAll(p.entries());
        }
        long weight = weight(all);
        synchronized (lock) {
            while (backlogEntries > 0
                    && (backlogEntries + size > backlog || backlogWeight + weight > backlogBytes)
                    && applierFailure == null
                    && unwritable == null) {
                lock.wait();
            }
            Throwable dead = applierFailure;
            if (dead != null) {
                fail(group, new IllegalStateException("the writer stopped: " + dead, dead));
                return;
            }
            IOException stuck = unwritable;
            if (stuck != null
                    && (backlogEntries + size > backlog || backlogWeight + weight > backlogBytes)) {
                // The backlog is full and the tree cannot take it: refuse now rather than hold
                // the request until the tree can be written again.
                fail(
                        group,
                        new IOException(
                                backlogEntries + " entries wait in the entry log"
                                        + " for a tree that cannot be written: "
                                        + stuck.getMessage(),
                                stuck));
                return;
            }
            try {
                log.append(all);
            } catch (IOException e) {
                LOG.warn("could not log {} entries: {}", size, e.toString());
                metrics.add("distree_write_failures_total", 1);
                fail(group, e);
                return;
            }
            logged.addAll(group);
            backlogEntries += size;
            backlogWeight += weight;
            arrivals++;
            lock.notifyAll();
        }
        metrics.add("distree_entries_added_total", size);
        for (Pending p : group) {
            p.durable().complete(null);
        }
    }

    private void applyLoop() {
        try {
            long retryMillis = 0;
            while (true) {
                List<Pending> batch;
                List<Path> files;
                synchronized (lock) {
                    if (retryMillis > 0) {
                        // After a failure: try again when the wait is over, or sooner when new
                        // entries arrive (their requests may wait for them) or the writer stops.
                        long seen = arrivals;
                        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(retryMillis);
                        long left;
                        while (!closed
                                && arrivals == seen
                                && (left = until - System.nanoTime()) > 0) {
                            TimeUnit.NANOSECONDS.timedWait(lock, left);
                        }
                    }
                    while (logged.isEmpty() && !(closed && loggerDone)) {
                        lock.wait();
                    }
                    if (logged.isEmpty()) {
                        return;
                    }
                    batch = logged;
                    logged = new ArrayList<>();
                    try {
                        logFiles.add(log.rotate());
                    } catch (IOException e) {
                        // The file stays the newest: deleted after a later batch, which it
                        // will hold too (entries applied twice are the same entries).
                        LOG.warn("could not start a new entry log file: {}", e.toString());
                    }
                    files = new ArrayList<>(logFiles);
                }
                if (applyBatch(batch, files)) {
                    retryMillis = 0;
                } else {
                    retryMillis = retryMillis == 0
                            ? FIRST_RETRY_MILLIS
                            : Math.min(LAST_RETRY_MILLIS, retryMillis * 2);
                }
            }
        } catch (Throwable t) {
            LOG.error("the writer failed", t);
            synchronized (lock) {
                applierFailure = t;
                for (Pending p : logged) {
                    p.applied().completeExceptionally(t);
                }
                logged.clear();
                lock.notifyAll();
            }
            if (t instanceof Error e) {
                throw e;
            }
        }
    }

    /**
     * Applies one batch and deletes the log files that held it; returns false when the tree
     * could not be written: the batch then waits at the head of the next one (its requests that
     * wait for it are answered with the failure meanwhile), or, when the writer is stopping,
     * stays in the log for the next start.
     */
    private boolean applyBatch(List<Pending> batch, List<Path> files) {
        List<Entry> all = new ArrayList<>();
        for (Pending p : batch) {
            all.addAll(p.entries());
        }
        Set<Entry> dropped;
        long[] released = {0, 0};
        try {
            dropped = applyAll(all, run -> {
                long w = weight(run);
                released[0] += run.size();
                released[1] += w;
                release(run.size(), w);
            });
        } catch (IOException e) {
            metrics.add("distree_write_failures_total", 1);
            IOException told = new IOException(
                    "the entries are durable in the entry log but not"
                            + " yet in the tree, and will be applied once it can be written: "
                            + e.getMessage(),
                    e);
            for (Pending p : batch) {
                p.applied().completeExceptionally(told);
            }
            synchronized (lock) {
                if (closed) {
                    LOG.error(
                            "could not apply {} entries before stopping; they stay in the entry"
                                    + " log for the next start: {}",
                            all.size(),
                            e.toString());
                    logFiles.clear();
                    backlogEntries -= (int) (all.size() - released[0]);
                    backlogWeight -= weight(all) - released[1];
                    lock.notifyAll();
                    return true;
                }
                LOG.warn("could not apply {} entries; trying again: {}", all.size(), e.toString());
                logged.addAll(0, batch);
                unwritable = e;
                lock.notifyAll();
                backlogEntries += (int) released[0];
                backlogWeight += released[1];
            }
            return false;
        }
        synchronized (lock) {
            unwritable = null;
        }
        try {
            EntryLog.delete(files);
            synchronized (lock) {
                logFiles.removeAll(files);
            }
        } catch (IOException e) {
            // Left for the next start, which applies the same entries again: no change.
            LOG.warn("could not delete an applied entry log file: {}", e.toString());
        }
        for (Pending p : batch) {
            boolean lost = false;
            for (Entry e : p.entries()) {
                lost |= dropped.contains(e);
            }
            if (lost) {
                p.applied()
                        .completeExceptionally(new IllegalStateException(
                                "some entries could not be placed in the tree"));
            } else {
                p.applied().complete(null);
            }
        }
        return true;
    }

    /** Frees room in the backlog for entries now in the tree; new requests may be logged. */
    private void release(int entries, long weight) {
        synchronized (lock) {
            backlogEntries -= entries;
            backlogWeight -= weight;
            lock.notifyAll();
        }
    }

    /**
     * What entries weigh in the backlog: the characters of their key, link, title, comment and
     * digest, and 64 for each (its objects). Held in memory about twice over (UTF-16, parsed).
     */
    static long weight(List<Entry> entries) {
        long w = 0;
        for (Entry e : entries) {
            Entry.Target t = e.target();
            w += 64
                    + e.key().length()
                    + t.link().length()
                    + t.title().length()
                    + t.comment().length()
                    + (t.digest() == null ? 0 : t.digest().length());
        }
        return w;
    }

    /**
     * Applies entries to the tree in sorted runs of at most {@code writeBatch}, each one durable
     * transaction, giving {@code applied} each run once it is in; returns the entries (by
     * identity) that the tree refused.
     *
     * @throws IOException if the tree cannot be read or written (runs already written stay)
     */
    private Set<Entry> applyAll(
            List<Entry> entries, java.util.function.Consumer<List<Entry>> applied)
            throws IOException {
        Set<Entry> dropped = Collections.newSetFromMap(new IdentityHashMap<>());
        for (List<Entry> run : LocalTree.sortedRuns(entries, writeBatch)) {
            insert(run, dropped);
            applied.accept(run);
        }
        return dropped;
    }

    private void insert(List<Entry> run, Set<Entry> dropped) throws IOException {
        try {
            tree.insert(run);
        } catch (IOException e) {
            if (run.size() == 1) {
                throw e;
            }
            // Smaller transactions need less room at once (a nearly full disk): the halves go
            // in where they fit; a failure that is not about size fails at the first entry.
            int half = run.size() / 2;
            insert(run.subList(0, half), dropped);
            insert(run.subList(half, run.size()), dropped);
            return;
        } catch (RuntimeException e) {
            metrics.add("distree_write_failures_total", 1);
            if (run.size() == 1) {
                Entry x = run.get(0);
                LOG.error(
                        "dropped an acknowledged entry the tree refused: key {} link {}: {}",
                        x.key(),
                        x.link(),
                        e.toString());
                metrics.add("distree_entries_dropped_total", 1);
                dropped.add(x);
                return;
            }
            int half = run.size() / 2;
            insert(run.subList(0, half), dropped);
            insert(run.subList(half, run.size()), dropped);
            return;
        }
        transactions.incrementAndGet();
        metrics.add("distree_write_transactions_total", 1);
        metrics.add("distree_entries_applied_total", run.size());
    }

    private static void fail(List<Pending> group, Throwable t) {
        for (Pending p : group) {
            p.durable().completeExceptionally(t);
            p.applied().completeExceptionally(t);
        }
    }

    /**
     * Stops taking batches, logs and applies those already queued, and closes the tree. Entries
     * that cannot be applied now stay in the entry log for the next start.
     */
    @Override
    public void close() throws IOException {
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
        boolean interrupted = false;
        for (Thread t : List.of(logger, applier)) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        try {
            log.close();
        } finally {
            tree.close();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
