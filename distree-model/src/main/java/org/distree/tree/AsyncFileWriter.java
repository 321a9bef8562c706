package org.distree.tree;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicReference;
import org.distree.html.NodeWriter;
import org.distree.model.NodeFile;
import org.jspecify.annotations.Nullable;

/**
 * Renders and writes node files on background threads, so a bulk build cuts the next leaf while
 * others are rendered and go to disk: the rendering ({@link NodeWriter#write}, a pure function
 * of the node) is the larger half of a build's work, and spreads over every thread given. At
 * most {@code queued} files wait in memory (their nodes, about 10 KB each written); the first
 * write error is rethrown by the next call. Files are not forced to disk here: the builder does
 * that once at the end. Two writes of one path may land in either order: write a path once.
 */
final class AsyncFileWriter implements AutoCloseable {
    /** A file to write. Not a record: {@link #STOP} is told apart by identity. */
    private static final class Job {
        final Path path;
        final @Nullable NodeFile file;

        Job(Path path, @Nullable NodeFile file) {
            this.path = path;
            this.file = file;
        }
    }

    private static final Job STOP = new Job(Path.of(""), null);

    private final BlockingQueue<Job> queue;
    private final Thread[] threads;
    private final AtomicReference<IOException> failure = new AtomicReference<>();
    private final java.util.concurrent.atomic.AtomicInteger largest =
            new java.util.concurrent.atomic.AtomicInteger();
    private boolean closed;

    AsyncFileWriter(int threadCount, int queued) {
        queue = new ArrayBlockingQueue<>(queued);
        threads = new Thread[threadCount];
        for (int i = 0; i < threadCount; i++) {
            threads[i] = new Thread(this::work, "distree-writer-" + i);
            threads[i].setDaemon(true);
            threads[i].start();
        }
    }

    /** The number of threads that render and write. */
    int threads() {
        return threads.length;
    }

    /** The largest file written so far, in bytes. */
    int largestFile() {
        return largest.get();
    }

    private void work() {
        while (true) {
            Job job;
            try {
                job = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            NodeFile file = job.file;
            if (file == null) {
                return; // STOP
            }
            if (failure.get() != null) {
                continue;
            }
            try {
                byte[] bytes = NodeWriter.write(file);
                largest.accumulateAndGet(bytes.length, Math::max);
                try (FileChannel ch = FileChannel.open(
                        job.path,
                        StandardOpenOption.CREATE,
                        StandardOpenOption.TRUNCATE_EXISTING,
                        StandardOpenOption.WRITE)) {
                    ByteBuffer buf = ByteBuffer.wrap(bytes);
                    while (buf.hasRemaining()) {
                        ch.write(buf);
                    }
                }
            } catch (IOException e) {
                failure.compareAndSet(null, e);
            } catch (RuntimeException e) {
                failure.compareAndSet(null, new IOException("cannot render " + job.path, e));
            }
        }
    }

    /** Queues a file to render and write; blocks while the queue is full. */
    void write(Path path, NodeFile file) throws IOException {
        check();
        try {
            queue.put(new Job(path, file));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while writing " + path);
        }
    }

    /** Waits for every queued file to be written; rethrows the first error. */
    void finish() throws IOException {
        if (!closed) {
            closed = true;
            try {
                for (int i = 0; i < threads.length; i++) {
                    queue.put(STOP);
                }
                for (Thread t : threads) {
                    t.join();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while writing files");
            }
        }
        check();
    }

    private void check() throws IOException {
        IOException e = failure.get();
        if (e != null) {
            throw new IOException("cannot write a node file: " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            for (Thread t : threads) {
                t.interrupt();
            }
        }
    }
}
