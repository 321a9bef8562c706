package org.distree.site;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jspecify.annotations.Nullable;

/**
 * Reads pages on a few threads and hands the results back in path order, on the calling
 * thread. At most {@code 8 x threads} pages are in flight, each thread parsing one while the
 * others wait as results (their words), so memory stays bounded by a few pages whatever the
 * site's size.
 *
 * <pre>
 * paths ─► [worker] [worker] … (read, parse, analyze) ─► in order ─► sink (caller's thread)
 * </pre>
 */
final class PagePipeline {
    /**
     * The default number of threads: one per processor the JVM sees (which follows the
     * machine, a container's limit and {@code -XX:ActiveProcessorCount}), at most 64.
     */
    static final int DEFAULT_THREADS =
            Math.max(1, Math.min(64, Runtime.getRuntime().availableProcessors()));

    /** The work done for one page, on a worker thread: the page at {@code index} of the list. */
    interface Work<T> {
        T apply(int index, String path) throws PageSkippedException;
    }

    /**
     * What is done with each result, in path order, on the caller's thread; exactly one of
     * {@code result} and {@code skipped} is null.
     */
    interface Sink<T> {
        void accept(
                int index, String path, @Nullable T result, @Nullable PageSkippedException skipped)
                throws IOException;
    }

    /**
     * Pages in flight a thread: 8. A result waiting its turn is small (a page's words), so a
     * long page holds up only its own thread, not the other threads once they are a few pages
     * ahead (with 2 a thread, index-site was 5% slower on the PostgreSQL manual, whose index
     * page is 30 times the average).
     */
    private static final int WINDOW = 8;

    private record Outcome<T>(@Nullable T result, @Nullable PageSkippedException skipped) {}

    private PagePipeline() {}

    static <T> void run(List<String> paths, int threads, Work<T> work, Sink<T> sink)
            throws IOException {
        if (threads <= 1) {
            for (int i = 0; i < paths.size(); i++) {
                Outcome<T> o = outcome(work, i, paths.get(i));
                sink.accept(i, paths.get(i), o.result(), o.skipped());
            }
            return;
        }
        ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "distree-page");
            t.setDaemon(true);
            return t;
        });
        try {
            Deque<Future<Outcome<T>>> window = new ArrayDeque<>();
            int next = 0;
            for (int i = 0; i < paths.size(); i++) {
                while (next < paths.size() && window.size() < WINDOW * threads) {
                    int index = next++;
                    String path = paths.get(index);
                    window.add(pool.submit(() -> outcome(work, index, path)));
                }
                Outcome<T> o = window.remove().get();
                sink.accept(i, paths.get(i), o.result(), o.skipped());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while reading pages");
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException r) {
                throw r;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new IOException(c);
        } finally {
            pool.shutdownNow();
        }
    }

    private static <T> Outcome<T> outcome(Work<T> work, int index, String path) {
        try {
            return new Outcome<>(work.apply(index, path), null);
        } catch (PageSkippedException e) {
            return new Outcome<>(null, e);
        } catch (RuntimeException | StackOverflowError e) {
            // A page no reader foresaw (say, nesting deep enough to overflow a parser): skip it.
            return new Outcome<>(null, new PageSkippedException(path, "cannot be indexed: " + e));
        }
    }
}
