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
import java.util.Objects;
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
 * <p>An entry is held as its key in UTF-8 and its tail, {@code link 0 title 0 comment 0 digest}
 * in UTF-8, about a third of the memory of the objects. Consecutive entries with the same tail
 * (the words of one page) share one tail array, so an entry of a page costs its key and about 50
 * bytes. Since no field holds a NUL and UTF-8 byte order is code point order, comparing keys and
 * then links as unsigned bytes is exactly entry order.
 */
public final class ExternalSorter implements Closeable {
    /** The default run buffer: 256 MiB of entry records. */
    public static final long DEFAULT_BUFFER_BYTES = 256L << 20;

    /** Memory an item costs beyond its key's bytes: the item, the key's array header, a slot. */
    private static final int ITEM_OVERHEAD = 48;
    /** Memory a tail costs beyond its bytes: the array header and alignment. */
    private static final int TAIL_OVERHEAD = 20;
    /** Decoded tails kept for reuse while reading the output (a power of two). */
    private static final int DECODED_TAILS = 4096;

    /**
     * One entry in memory.
     *
     * @param tail {@code link 0 title 0 comment 0 digest}, one array for a row of entries added
     *     one after the other with the same tail
     * @param linkLength the bytes of the link at the start of the tail
     */
    private record Item(byte[] key, byte[] tail, int linkLength) {}

    private final Path tmpDir;
    private final long bufferBytes;
    private final List<Path> runs = new ArrayList<>();
    private Item[] buffer = new Item[1024];
    private int count;
    private long used;
    private long added;
    private long duplicates;
    private @Nullable Entry lastTailOf;
    private @Nullable Item lastItem;

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
        byte[] key = e.key().getBytes(StandardCharsets.UTF_8);
        Item item;
        if (lastItem != null && lastTailOf != null && sameTail(lastTailOf, e)) {
            item = new Item(key, lastItem.tail, lastItem.linkLength);
        } else {
            byte[] link = e.link().getBytes(StandardCharsets.UTF_8);
            String rest = e.title() + '\0' + e.comment() + '\0'
                    + (e.digest() == null ? "" : e.digest());
            byte[] restBytes = rest.getBytes(StandardCharsets.UTF_8);
            byte[] tail = Arrays.copyOf(link, link.length + 1 + restBytes.length);
            System.arraycopy(restBytes, 0, tail, link.length + 1, restBytes.length);
            item = new Item(key, tail, link.length);
            used += tail.length + TAIL_OVERHEAD;
        }
        buffer[count++] = item;
        lastItem = item;
        lastTailOf = e;
        used += key.length + ITEM_OVERHEAD;
        added++;
        if (used >= bufferBytes) {
            spill();
        }
    }

    private static boolean sameTail(Entry a, Entry b) {
        return a.link().equals(b.link()) && a.title().equals(b.title())
                && a.comment().equals(b.comment()) && Objects.equals(a.digest(), b.digest());
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

    /** Entry order on items: key, then link, as unsigned bytes. */
    private static int compare(Item a, Item b) {
        int c = Arrays.compareUnsigned(a.key, b.key);
        if (c != 0 || a.tail == b.tail) {
            return c;
        }
        return Arrays.compareUnsigned(a.tail, 0, a.linkLength, b.tail, 0, b.linkLength);
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
                Item item = buffer[i];
                out.writeInt(item.key.length);
                out.write(item.key);
                out.writeInt(item.tail.length);
                out.writeInt(item.linkLength);
                out.write(item.tail);
                buffer[i] = null;
            }
        }
        count = 0;
        used = 0;
        lastItem = null; // a tail is counted once per run
        lastTailOf = null;
    }

    /**
     * The sorted entries without duplicates. Call once, after the last {@link #add}. The
     * iterator throws {@link UncheckedIOException} if a run cannot be read.
     */
    public Iterator<Entry> sorted() throws IOException {
        List<Iterator<Item>> sources = new ArrayList<>();
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
        private final Iterator<Item> in;
        private @Nullable Item next;
        private @Nullable Item last;
        // Tails decoded lately, by identity: the entries of a page share one tail, so most
        // are decoded once, and the entries then share the strings.
        private final byte[][] tails = new byte[DECODED_TAILS][];
        private final String[][] fields = new String[DECODED_TAILS][];

        Dedup(Iterator<Item> in) {
            this.in = in;
            advance();
        }

        private void advance() {
            next = null;
            while (in.hasNext()) {
                Item r = in.next();
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
            Item r = next;
            if (r == null) {
                throw new NoSuchElementException();
            }
            advance();
            int slot = System.identityHashCode(r.tail) & (DECODED_TAILS - 1);
            String[] f = fields[slot];
            if (tails[slot] != r.tail || f == null) {
                f = decodeTail(r.tail, r.linkLength);
                tails[slot] = r.tail;
                fields[slot] = f;
            }
            return new Entry(new String(r.key, StandardCharsets.UTF_8), f[0], f[1], f[2],
                    f[3].isEmpty() ? null : f[3], Map.of());
        }
    }

    /** Link, title, comment and digest ("" for none) of a tail. */
    private static String[] decodeTail(byte[] tail, int linkLength) {
        String[] f = new String[4];
        f[0] = new String(tail, 0, linkLength, StandardCharsets.UTF_8);
        int start = linkLength + 1;
        int n = 1;
        for (int i = start; i < tail.length && n < 3; i++) {
            if (tail[i] == 0) {
                f[n++] = new String(tail, start, i - start, StandardCharsets.UTF_8);
                start = i + 1;
            }
        }
        f[n] = new String(tail, start, tail.length - start, StandardCharsets.UTF_8);
        return f;
    }

    /** A k-way merge; on equal entries the earlier source (run) comes first. */
    private static final class Merge implements Iterator<Item> {
        private record Head(Item record, int source) {}

        private final List<Iterator<Item>> sources;
        private final PriorityQueue<Head> heap = new PriorityQueue<>((a, b) -> {
            int c = ExternalSorter.compare(a.record, b.record);
            return c != 0 ? c : Integer.compare(a.source, b.source);
        });

        Merge(List<Iterator<Item>> sources) {
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
        public Item next() {
            Head h = heap.poll();
            if (h == null) {
                throw new NoSuchElementException();
            }
            Iterator<Item> src = sources.get(h.source);
            if (src.hasNext()) {
                heap.add(new Head(src.next(), h.source));
            }
            return h.record;
        }
    }

    private static final class RunReader implements Iterator<Item> {
        private final DataInputStream in;
        private @Nullable Item next;

        RunReader(Path run) throws IOException {
            in = new DataInputStream(new BufferedInputStream(Files.newInputStream(run), 1 << 16));
            advance();
        }

        private void advance() {
            try {
                byte[] key = new byte[in.readInt()];
                in.readFully(key);
                byte[] tail = new byte[in.readInt()];
                int linkLength = in.readInt();
                in.readFully(tail);
                next = new Item(key, tail, linkLength);
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
        public Item next() {
            Item r = next;
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
        buffer = new Item[0];
    }
}
