package org.distree.server.write;

import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.distree.model.Entry;
import org.distree.server.metrics.Metrics;
import org.distree.tree.LocalTree;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one writer of the daemon's tree: a thread that takes batches of entries and inserts them
 * with {@link LocalTree#insert}, which returns only once they are on disk.
 *
 * <p>Group commit: batches that arrive while a transaction is being written wait, and are then
 * written together in one transaction of at most {@code maxBatch} entries (a single larger batch
 * is written alone), so many small requests share the cost of the fsyncs. Each batch's future
 * completes once its transaction is durable. If a grouped transaction fails, each of its
 * batches is retried alone, so one batch cannot fail another.
 *
 * <pre>
 * submit(batch) ─► queue ─► writer thread: drain ≤ maxBatch ─► LocalTree.insert ─► complete
 * </pre>
 *
 * {@link #close} stops taking batches, writes every batch already taken, then closes the tree.
 */
public final class EntryWriter implements Closeable {
    private static final Logger LOG = LoggerFactory.getLogger(EntryWriter.class);

    /** Why a batch was refused: the writer is stopping and takes no more. */
    public static final class StoppingException extends IllegalStateException {
        StoppingException() {
            super("the server is stopping");
        }
    }

    private record Pending(List<Entry> entries, CompletableFuture<Void> done) {}

    private final LocalTree tree;
    private final int maxBatch;
    private final Metrics metrics;
    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private final Object lock = new Object();
    private boolean closed;
    private final AtomicLong transactions = new AtomicLong();

    /** Starts the writer thread over {@code tree}, which it closes on {@link #close}. */
    public EntryWriter(LocalTree tree, int maxBatch, Metrics metrics) {
        this.tree = tree;
        this.maxBatch = maxBatch;
        this.metrics = metrics;
        metrics.counter(
                "distree_entries_added_total", "Entries written durably by POST" + " /entries.");
        metrics.counter("distree_write_transactions_total", "Durable transactions written.");
        metrics.counter(
                "distree_write_failures_total",
                "Batches of entries that could not" + " be written.");
        this.thread = new Thread(this::run, "distree-writer");
        thread.start();
    }

    /** Transactions written so far; a reader's cache of the tree is stale when this changes. */
    public long transactions() {
        return transactions.get();
    }

    /**
     * Queues entries to be written. The future completes once they are durable, or fails with
     * the reason they could not be written (then none of them is).
     */
    public CompletableFuture<Void> submit(List<Entry> entries) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        synchronized (lock) {
            if (closed) {
                done.completeExceptionally(new StoppingException());
                return done;
            }
            queue.add(new Pending(List.copyOf(entries), done));
        }
        return done;
    }

    private void run() {
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
                        return;
                    }
                }
                continue;
            }
            group.clear();
            group.add(first);
            int size = first.entries().size();
            Pending next;
            while ((next = queue.peek()) != null && size + next.entries().size() <= maxBatch) {
                group.add(queue.remove());
                size += next.entries().size();
            }
            try {
                write(group);
            } catch (Throwable t) {
                // Never leave a request waiting: an Error fails the group's futures too.
                LOG.error("the writer failed", t);
                for (Pending p : group) {
                    p.done().completeExceptionally(t);
                }
                if (t instanceof Error e) {
                    throw e;
                }
            }
        }
    }

    private void write(List<Pending> group) {
        List<Entry> all = new ArrayList<>();
        for (Pending p : group) {
            all.addAll(p.entries());
        }
        try {
            tree.insert(all);
            transactions.incrementAndGet();
            metrics.add("distree_write_transactions_total", 1);
            metrics.add("distree_entries_added_total", all.size());
            for (Pending p : group) {
                p.done().complete(null);
            }
        } catch (IOException | RuntimeException e) {
            if (group.size() > 1) {
                for (Pending p : group) {
                    write(List.of(p));
                }
                return;
            }
            LOG.warn("could not write {} entries: {}", all.size(), e.toString());
            metrics.add("distree_write_failures_total", 1);
            group.get(0).done().completeExceptionally(e);
        }
    }

    /** Stops taking batches, writes those already queued, and closes the tree. */
    @Override
    public void close() throws IOException {
        synchronized (lock) {
            closed = true;
        }
        boolean interrupted = false;
        while (thread.isAlive()) {
            try {
                thread.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        tree.close();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
