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

/**
 * Writes files on background threads so a bulk build renders the next node while the last one
 * goes to disk. At most {@code queued} files wait in memory (about 10 KB each); the first write
 * error is rethrown by the next call. Files are not forced to disk here: the builder does that
 * once at the end.
 */
final class AsyncFileWriter implements AutoCloseable {
    /** A file to write. Not a record: {@link #STOP} is told apart by identity. */
    private static final class Job {
        final Path path;
        final byte[] bytes;

        Job(Path path, byte[] bytes) {
            this.path = path;
            this.bytes = bytes;
        }
    }

    private static final Job STOP = new Job(Path.of(""), new byte[0]);

    private final BlockingQueue<Job> queue;
    private final Thread[] threads;
    private final AtomicReference<IOException> failure = new AtomicReference<>();
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

    private void work() {
        while (true) {
            Job job;
            try {
                job = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (job == STOP) {
                return;
            }
            if (failure.get() != null) {
                continue;
            }
            try (FileChannel ch = FileChannel.open(
                    job.path,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING,
                    StandardOpenOption.WRITE)) {
                ByteBuffer buf = ByteBuffer.wrap(job.bytes);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            } catch (IOException e) {
                failure.compareAndSet(null, e);
            }
        }
    }

    /** Queues a file; blocks while the queue is full. */
    void write(Path path, byte[] bytes) throws IOException {
        check();
        try {
            queue.put(new Job(path, bytes));
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
