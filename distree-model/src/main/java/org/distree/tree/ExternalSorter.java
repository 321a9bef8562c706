package org.distree.tree;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.PriorityQueue;
import org.distree.model.Entry;
import org.jspecify.annotations.Nullable;

/**
 * Sorts entries into key order with bounded memory: runs of at most {@code bufferBytes}
 * (estimated) are sorted in memory and spilled to temporary files, then merged. The first of
 * several entries with the same key and link wins; later ones are counted as duplicates.
 *
 * <p>An input that fits in the buffer never touches the disk. Temporary files go in the given
 * folder and are deleted by {@link #close}.
 */
public final class ExternalSorter implements Closeable {
    /** The default run buffer: 64 MiB of estimated entry memory. */
    public static final long DEFAULT_BUFFER_BYTES = 64L << 20;

    private final Path tmpDir;
    private final long bufferBytes;
    private final List<Path> runs = new ArrayList<>();
    private Entry[] buffer = new Entry[1024];
    private int count;
    private long used;
    private long added;
    private long duplicates;

    /** A sorter spilling into {@code tmpDir}, with runs of at most {@code bufferBytes}. */
    public ExternalSorter(Path tmpDir, long bufferBytes) {
        this.tmpDir = tmpDir;
        this.bufferBytes = Math.max(1 << 16, bufferBytes);
    }

    /** Adds one entry. */
    public void add(Entry e) throws IOException {
        if (count == buffer.length) {
            buffer = Arrays.copyOf(buffer, count * 2);
        }
        buffer[count++] = e;
        used += estimate(e);
        added++;
        if (used >= bufferBytes) {
            spill();
        }
    }

    /** Entries added so far. */
    public long added() {
        return added;
    }

    /** Entries dropped as repeats of an earlier (key, link); known once the output is read. */
    public long duplicates() {
        return duplicates;
    }

    /** The number of runs spilled to disk. */
    public int spilledRuns() {
        return runs.size();
    }

    private static long estimate(Entry e) {
        // Object headers and fields plus two bytes per char (a conservative estimate).
        return 120 + 2L * (e.key().length() + e.link().length() + e.title().length()
                + e.comment().length() + (e.digest() == null ? 0 : e.digest().length()));
    }

    private void sortBuffer() {
        Arrays.parallelSort(buffer, 0, count);
    }

    private void spill() throws IOException {
        sortBuffer();
        Path run = Files.createTempFile(tmpDir, "distree-run-", ".bin");
        runs.add(run);
        try (DataOutputStream out = new DataOutputStream(
                new BufferedOutputStream(Files.newOutputStream(run), 1 << 16))) {
            for (int i = 0; i < count; i++) {
                Entry e = buffer[i];
                out.writeUTF(e.key());
                out.writeUTF(e.link());
                out.writeUTF(e.title());
                out.writeUTF(e.comment());
                out.writeUTF(e.digest() == null ? "" : e.digest());
                buffer[i] = null;
            }
        }
        count = 0;
        used = 0;
    }

    /**
     * The sorted entries without duplicates. Call once, after the last {@link #add}. The
     * iterator throws {@link UncheckedIOException} if a run cannot be read.
     */
    public Iterator<Entry> sorted() throws IOException {
        List<Iterator<Entry>> sources = new ArrayList<>();
        if (!runs.isEmpty() && count > 0) {
            spill();
        }
        if (runs.isEmpty()) {
            sortBuffer();
            sources.add(Arrays.asList(buffer).subList(0, count).iterator());
        } else {
            for (Path run : runs) {
                sources.add(new RunReader(run));
            }
        }
        return new Dedup(new Merge(sources));
    }

    private final class Dedup implements Iterator<Entry> {
        private final Iterator<Entry> in;
        private @Nullable Entry next;
        private @Nullable Entry last;

        Dedup(Iterator<Entry> in) {
            this.in = in;
            advance();
        }

        private void advance() {
            next = null;
            while (in.hasNext()) {
                Entry e = in.next();
                if (last != null && last.compareTo(e) == 0) {
                    duplicates++;
                    continue;
                }
                next = e;
                last = e;
                return;
            }
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public Entry next() {
            if (next == null) {
                throw new NoSuchElementException();
            }
            Entry e = next;
            advance();
            return e;
        }
    }

    /** A k-way merge; on equal entries the earlier source (run) comes first. */
    private static final class Merge implements Iterator<Entry> {
        private record Head(Entry entry, int source) {}

        private final List<Iterator<Entry>> sources;
        private final PriorityQueue<Head> heap = new PriorityQueue<>((a, b) -> {
            int c = a.entry.compareTo(b.entry);
            return c != 0 ? c : Integer.compare(a.source, b.source);
        });

        Merge(List<Iterator<Entry>> sources) {
            this.sources = sources;
            for (int i = 0; i < sources.size(); i++) {
                if (sources.get(i).hasNext()) {
                    heap.add(new Head(sources.get(i).next(), i));
                }
            }
        }

        @Override
        public boolean hasNext() {
            return !heap.isEmpty();
        }

        @Override
        public Entry next() {
            Head h = heap.poll();
            if (h == null) {
                throw new NoSuchElementException();
            }
            Iterator<Entry> src = sources.get(h.source);
            if (src.hasNext()) {
                heap.add(new Head(src.next(), h.source));
            }
            return h.entry;
        }
    }

    private static final class RunReader implements Iterator<Entry> {
        private final DataInputStream in;
        private @Nullable Entry next;

        RunReader(Path run) throws IOException {
            in = new DataInputStream(new BufferedInputStream(Files.newInputStream(run), 1 << 16));
            advance();
        }

        private void advance() {
            try {
                String key = in.readUTF();
                String link = in.readUTF();
                String title = in.readUTF();
                String comment = in.readUTF();
                String digest = in.readUTF();
                next = new Entry(key, link, title, comment, digest.isEmpty() ? null : digest,
                        Map.of());
            } catch (EOFException e) {
                next = null;
                close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void close() {
            try {
                in.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public Entry next() {
            if (next == null) {
                throw new NoSuchElementException();
            }
            Entry e = next;
            advance();
            return e;
        }
    }

    @Override
    public void close() throws IOException {
        for (Path run : runs) {
            Files.deleteIfExists(run);
        }
        runs.clear();
        buffer = new Entry[0];
    }
}
