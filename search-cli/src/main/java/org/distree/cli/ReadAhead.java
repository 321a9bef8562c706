package org.distree.cli;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import org.distree.model.Entry;
import org.jspecify.annotations.Nullable;

/**
 * Runs a {@link TreeBuild.Feed} (reading and parsing the input) on a thread of its own while the
 * calling thread puts its entries into the sink (the sorter), so that the two overlap on a
 * machine with more than one processor. Entries reach the sink in the order the feed gives them,
 * in batches of {@value #BATCH} through a queue of {@value #QUEUE} batches, so at most about
 * {@value #QUEUE} times {@value #BATCH} entries are in flight. With one processor the feed runs
 * on the calling thread, as it did before.
 *
 * <p>A failure on either side stops both: an exception of the feed is thrown here once the
 * entries before it are in the sink (the same point as without the thread), and one of the sink
 * stops the feed at its next entry.
 */
final class ReadAhead {
    /** Entries handed over at once. */
    static final int BATCH = 2048;

    /** Batches waiting at most: 32,768 entries. */
    static final int QUEUE = 16;

    private ReadAhead() {}

    /**
     * Feeds the sink from the feed, on two threads when {@code processors} is more than one;
     * returns what the feed returns (the bad records it skipped).
     */
    static long run(TreeBuild.Feed feed, TreeBuild.Sink sink, Progress progress, int processors)
            throws Exception {
        if (processors < 2) {
            return feed.into(sink, progress);
        }
        BlockingQueue<Batch> queue = new ArrayBlockingQueue<>(QUEUE);
        Reader reader = new Reader(feed, progress, queue);
        Thread thread = new Thread(reader, "distree-read");
        thread.setDaemon(true);
        thread.start();
        try {
            while (true) {
                Batch b = queue.take();
                for (Entry e : b.entries()) {
                    sink.add(e);
                }
                if (b.last()) {
                    break;
                }
            }
        } catch (Exception | Error e) {
            reader.stopped = true;
            queue.clear(); // a reader waiting to put sees room, then the stop
            thread.interrupt();
            throw e;
        }
        thread.join();
        Throwable failed = reader.failed;
        if (failed instanceof Error err) {
            throw err;
        }
        if (failed instanceof Exception ex) {
            throw ex;
        }
        return reader.skipped;
    }

    /** Entries in feed order; {@code last} ends the stream (after a failure too). */
    private record Batch(List<Entry> entries, boolean last) {}

    /** The feed on its own thread, batching what it reads. */
    private static final class Reader implements Runnable {
        private final TreeBuild.Feed feed;
        private final Progress progress;
        private final BlockingQueue<Batch> queue;
        volatile boolean stopped;

        @Nullable
        Throwable failed;

        long skipped;
        private List<Entry> batch = new ArrayList<>(BATCH);

        Reader(TreeBuild.Feed feed, Progress progress, BlockingQueue<Batch> queue) {
            this.feed = feed;
            this.progress = progress;
            this.queue = queue;
        }

        @Override
        public void run() {
            try {
                skipped = feed.into(this::add, progress);
            } catch (Exception | Error e) {
                failed = e;
            }
            try {
                if (!stopped) {
                    queue.put(new Batch(batch, true));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void add(Entry e) throws IOException {
            if (stopped) {
                throw new InterruptedIOException("the build stopped");
            }
            batch.add(e);
            if (batch.size() == BATCH) {
                try {
                    queue.put(new Batch(batch, false));
                } catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("the build stopped");
                }
                batch = new ArrayList<>(BATCH);
            }
        }
    }
}
