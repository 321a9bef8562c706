package org.distree.tree;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads an iterator ahead on a background thread, in batches, so that decoding the sorted input
 * overlaps with building nodes. Holds at most {@code batches} batches of {@code batchSize} items.
 * An exception of the source is rethrown by {@link #next} or {@link #hasNext}.
 */
final class Prefetch<T> implements Iterator<T>, AutoCloseable {
    private final BlockingQueue<Object> queue;
    private final Thread thread;
    private Iterator<T> batch = List.<T>of().iterator();
    private boolean done;

    private static final Object END = new Object();

    Prefetch(Iterator<T> source, int batchSize, int batches) {
        queue = new ArrayBlockingQueue<>(batches);
        thread = new Thread(
                () -> {
                    try {
                        List<T> b = new ArrayList<>(batchSize);
                        while (source.hasNext()) {
                            b.add(source.next());
                            if (b.size() == batchSize) {
                                queue.put(b);
                                b = new ArrayList<>(batchSize);
                            }
                        }
                        if (!b.isEmpty()) {
                            queue.put(b);
                        }
                        queue.put(END);
                    } catch (InterruptedException e) {
                        // Closed early.
                    } catch (RuntimeException e) {
                        try {
                            queue.put(e);
                        } catch (InterruptedException ignored) {
                            // Closed early.
                        }
                    }
                },
                "distree-prefetch");
        thread.setDaemon(true);
        thread.start();
    }

    @Override
    @SuppressWarnings("unchecked")
    public boolean hasNext() {
        while (!batch.hasNext()) {
            if (done) {
                return false;
            }
            Object o;
            try {
                o = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while reading sorted entries", e);
            }
            if (o == END) {
                done = true;
                return false;
            }
            if (o instanceof RuntimeException e) {
                done = true;
                throw e;
            }
            batch = ((List<T>) o).iterator();
        }
        return true;
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return batch.next();
    }

    @Override
    public void close() {
        thread.interrupt();
    }
}
