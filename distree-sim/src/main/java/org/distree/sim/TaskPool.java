package org.distree.sim;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The threads of a {@link Simulation}: a fixed pool of {@link Config#threads} daemon threads
 * ({@code sim-1}, {@code sim-2}, ...; at least 1, by default one per processor) that runs a list
 * of tasks (the machines' rounds, the measures' searches) and gives their results in the
 * tasks' order, whatever order they finish in. What a task throws is thrown on: an {@link
 * IOException}, a {@link RuntimeException} or an {@link Error} as it is, anything else wrapped
 * in an {@link IOException}; an interruption as an {@link InterruptedIOException}. {@link
 * #close} stops the threads at once.
 */
final class TaskPool implements AutoCloseable {
    private final ExecutorService pool;

    /** A pool of {@code threads} threads, 1 or more. */
    TaskPool(int threads) {
        AtomicInteger threadNumber = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "sim-" + threadNumber.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs the tasks on the pool and returns their results in order. */
    <T> List<T> all(List<Callable<T>> tasks) throws IOException {
        List<Future<T>> futures;
        try {
            futures = pool.invokeAll(tasks);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted");
        }
        List<T> out = new ArrayList<>();
        for (Future<T> f : futures) {
            try {
                out.add(f.get());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted");
            } catch (ExecutionException e) {
                throw rethrow(e.getCause());
            }
        }
        return out;
    }

    /** Runs one task on the calling thread, throwing on what it throws as {@link #all} does. */
    static <T> T call(Callable<T> task) throws IOException {
        try {
            return task.call();
        } catch (IOException | RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IOException(e);
        }
    }

    private static IOException rethrow(@Nullable Throwable cause) {
        if (cause instanceof IOException io) {
            return io;
        }
        if (cause instanceof RuntimeException r) {
            throw r;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        return new IOException(cause);
    }

    /** Stops the threads, interrupting the tasks still running. */
    @Override
    public void close() {
        pool.shutdownNow();
    }
}
