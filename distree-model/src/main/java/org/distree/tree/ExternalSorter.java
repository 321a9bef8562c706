package org.distree.tree;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.Closeable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
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
 *
 * <p>Entries are held as one UTF-8 byte array each, {@code key 0 link 0 title 0 comment 0
 * digest}: about a third of the memory of the objects, and since no field holds a NUL and UTF-8
 * byte order is code point order, comparing the arrays up to the second NUL is exactly entry
 * order (key, then link).
 */
public final class ExternalSorter implements Closeable {
    /** The default run buffer: 256 MiB of entry records. */
    public static final long DEFAULT_BUFFER_BYTES = 256L << 20;

    /** Bytes of memory a record costs beyond its content: array header and reference. */
    private static final int RECORD_OVERHEAD = 24;

    private final Path tmpDir;
    private final long bufferBytes;
    private final List<Path> runs = new ArrayList<>();
    private byte[][] buffer = new byte[1024][];
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
        byte[] record = encode(e);
        buffer[count++] = record;
        used += record.length + RECORD_OVERHEAD;
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

    static byte[] encode(Entry e) {
        String digest = e.digest() == null ? "" : e.digest();
        String joined = e.key() + '\0' + e.link() + '\0' + e.title() + '\0' + e.comment() + '\0'
                + digest;
        return joined.getBytes(StandardCharsets.UTF_8);
    }

    static Entry decode(byte[] r) {
        String[] f = new String[5];
        int start = 0;
        int n = 0;
        for (int i = 0; i < r.length && n < 4; i++) {
            if (r[i] == 0) {
                f[n++] = new String(r, start, i - start, StandardCharsets.UTF_8);
                start = i + 1;
            }
        }
        f[n] = new String(r, start, r.length - start, StandardCharsets.UTF_8);
        return new Entry(f[0], f[1], f[2], f[3], f[4].isEmpty() ? null : f[4], Map.of());
    }

    /** Entry order on records: bytes up to and including the second NUL (key, then link). */
    static int compare(byte[] a, byte[] b) {
        int n = Math.min(a.length, b.length);
        int zeros = 0;
        for (int i = 0; i < n; i++) {
            int x = a[i] & 0xFF;
            int y = b[i] & 0xFF;
            if (x != y) {
                return x - y;
            }
            if (x == 0 && ++zeros == 2) {
                return 0;
            }
        }
        return a.length - b.length;
    }

    private void sortBuffer() {
        Arrays.parallelSort(buffer, 0, count, ExternalSorter::compare);
    }

    private void spill() throws IOException {
        sortBuffer();
        Path run = Files.createTempFile(tmpDir, "distree-run-", ".bin");
        runs.add(run);
        try (DataOutputStream out = new DataOutputStream(
                new BufferedOutputStream(Files.newOutputStream(run), 1 << 16))) {
            for (int i = 0; i < count; i++) {
                out.writeInt(buffer[i].length);
                out.write(buffer[i]);
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
        List<Iterator<byte[]>> sources = new ArrayList<>();
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
        return new Dedup(sources.size() == 1 ? sources.get(0) : new Merge(sources));
    }

    private final class Dedup implements Iterator<Entry> {
        private final Iterator<byte[]> in;
        private byte @Nullable [] next;
        private byte @Nullable [] last;

        Dedup(Iterator<byte[]> in) {
            this.in = in;
            advance();
        }

        private void advance() {
            next = null;
            while (in.hasNext()) {
                byte[] r = in.next();
                if (last != null && compare(last, r) == 0) {
                    duplicates++;
                    continue;
                }
                next = r;
                last = r;
                return;
            }
        }

        @Override
        public boolean hasNext() {
            return next != null;
        }

        @Override
        public Entry next() {
            byte[] r = next;
            if (r == null) {
                throw new NoSuchElementException();
            }
            advance();
            return decode(r);
        }
    }

    /** A k-way merge; on equal entries the earlier source (run) comes first. */
    private static final class Merge implements Iterator<byte[]> {
        private record Head(byte[] record, int source) {}

        private final List<Iterator<byte[]>> sources;
        private final PriorityQueue<Head> heap = new PriorityQueue<>((a, b) -> {
            int c = ExternalSorter.compare(a.record, b.record);
            return c != 0 ? c : Integer.compare(a.source, b.source);
        });

        Merge(List<Iterator<byte[]>> sources) {
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
        public byte[] next() {
            Head h = heap.poll();
            if (h == null) {
                throw new NoSuchElementException();
            }
            Iterator<byte[]> src = sources.get(h.source);
            if (src.hasNext()) {
                heap.add(new Head(src.next(), h.source));
            }
            return h.record;
        }
    }

    private static final class RunReader implements Iterator<byte[]> {
        private final DataInputStream in;
        private byte @Nullable [] next;

        RunReader(Path run) throws IOException {
            in = new DataInputStream(new BufferedInputStream(Files.newInputStream(run), 1 << 16));
            advance();
        }

        private void advance() {
            try {
                int n = in.readInt();
                byte[] r = new byte[n];
                in.readFully(r);
                next = r;
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
        public byte[] next() {
            byte[] r = next;
            if (r == null) {
                throw new NoSuchElementException();
            }
            advance();
            return r;
        }
    }

    @Override
    public void close() throws IOException {
        for (Path run : runs) {
            Files.deleteIfExists(run);
        }
        runs.clear();
        buffer = new byte[0][];
    }
}
