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
import java.util.Collection;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import org.distree.model.Entry;
import org.distree.model.Keys;
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
 *
 * <p>Rows of entries added in order (a page's words, added sorted with {@link #addAll}) are not
 * sorted again: while the buffer holds at most 64 rows, or rows of 16 entries or more on
 * average, the rows are merged as the output is read, on the reader's thread.
 */
public final class ExternalSorter implements Closeable {
    /** The default run buffer: 256 MiB of entry records. */
    public static final long DEFAULT_BUFFER_BYTES = 256L << 20;

    /** Memory an item costs beyond its key's bytes: the item, the key's array header, a slot. */
    private static final int ITEM_OVERHEAD = 48;
    /** Memory a tail costs beyond its bytes: the array header and alignment. */
    private static final int TAIL_OVERHEAD = 20;
    /** Rows of the buffer merged rather than sorted: up to this many, whatever their length. */
    private static final int MIN_ROWS = 64;
    /** ... or more, if they are at least this long on average. */
    private static final int MIN_ROW_LENGTH = 16;
    /** Decoded tails kept for reuse while reading the output (a power of two). */
    private static final int DECODED_TAILS = 2048;

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
    /** Where each ascending row of the buffer starts, while rows are long; else null. */
    private int @Nullable [] rowStarts = new int[64];
    private int rows;

    /** A sorter spilling into {@code tmpDir}, with runs of at most {@code bufferBytes}. */
    public ExternalSorter(Path tmpDir, long bufferBytes) {
        this.tmpDir = tmpDir;
        this.bufferBytes = Math.max(1 << 16, bufferBytes);
    }

    /** Adds one entry. */
    public void add(Entry e) throws IOException {
        add(e.key(), e);
    }

    /**
     * Adds one entry per key, each with the link, title, comment and digest of {@code like} (its
     * own key is not added): the words of a page. The same as adding the entries one by one, but
     * no {@link Entry} is made per key. Keys in key order cost least to sort.
     *
     * @throws IllegalArgumentException if a key is not a valid key
     */
    public void addAll(Entry like, Collection<String> keys) throws IOException {
        for (String key : keys) {
            add(Keys.requireKey(key), like);
        }
    }

    private void add(String key, Entry tailOf) throws IOException {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        Item item;
        if (lastItem != null && lastTailOf != null
                && (lastTailOf == tailOf || sameTail(lastTailOf, tailOf))) {
            item = new Item(k, lastItem.tail, lastItem.linkLength);
        } else {
            byte[] link = tailOf.link().getBytes(StandardCharsets.UTF_8);
            String rest = tailOf.title() + '\0' + tailOf.comment() + '\0'
                    + (tailOf.digest() == null ? "" : tailOf.digest());
            byte[] restBytes = rest.getBytes(StandardCharsets.UTF_8);
            byte[] tail = Arrays.copyOf(link, link.length + 1 + restBytes.length);
            System.arraycopy(restBytes, 0, tail, link.length + 1, restBytes.length);
            item = new Item(k, tail, link.length);
            used += tail.length + TAIL_OVERHEAD;
        }
        lastItem = item;
        lastTailOf = tailOf;
        if (count == buffer.length) {
            buffer = Arrays.copyOf(buffer, count * 2);
        }
        int[] starts = rowStarts;
        if (starts != null && (count == 0 || compare(buffer[count - 1], item) > 0)) {
            if (rows == starts.length) {
                starts = Arrays.copyOf(starts, rows * 2);
                rowStarts = starts;
            }
            starts[rows++] = count;
            used += 4;
            if (rows > MIN_ROWS && rows > count / MIN_ROW_LENGTH) {
                rowStarts = null; // short rows: sorting is cheaper than merging them
            }
        }
        buffer[count++] = item;
        used += k.length + ITEM_OVERHEAD;
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

    /**
     * The buffer in entry order. Rows already in order (the words of a page, added sorted) are
     * merged, lazily, by whoever reads the result; anything else is sorted here. Both keep equal
     * entries in the order they were added.
     */
    private Iterator<Item> ordered() {
        List<Item> all = Arrays.asList(buffer).subList(0, count);
        int[] starts = rowStarts;
        if (starts == null) {
            Arrays.parallelSort(buffer, 0, count, ExternalSorter::compare);
            return all.iterator();
        }
        List<Iterator<Item>> sources = new ArrayList<>(rows);
        for (int r = 0; r < rows; r++) {
            sources.add(all.subList(starts[r], r + 1 < rows ? starts[r + 1] : count).iterator());
        }
        return sources.size() == 1 ? sources.get(0) : new Merge(sources);
    }

    private void spill() throws IOException {
        Path run = Files.createTempFile(tmpDir, "distree-run-", ".bin");
        runs.add(run);
        try (DataOutputStream out = new DataOutputStream(
                new BufferedOutputStream(Files.newOutputStream(run), 1 << 16))) {
            for (Iterator<Item> it = ordered(); it.hasNext(); ) {
                Item item = it.next();
                out.writeInt(item.key.length);
                out.write(item.key);
                out.writeInt(item.tail.length);
                out.writeInt(item.linkLength);
                out.write(item.tail);
            }
        }
        Arrays.fill(buffer, 0, count, null);
        count = 0;
        used = 0;
        lastItem = null; // a tail is counted once per run
        lastTailOf = null;
        rowStarts = new int[64];
        rows = 0;
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
            sources.add(ordered());
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
        // Tails decoded lately: the entries of a page have one tail, so most are decoded once,
        // and the entries then share the strings.
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
            // In memory a page's entries share one tail array; read back from runs they share
            // its bytes only, so look tails up by content.
            int slot = Arrays.hashCode(r.tail) & (DECODED_TAILS - 1);
            String[] f = fields[slot];
            if (f == null || tails[slot] != r.tail && !Arrays.equals(tails[slot], r.tail)) {
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

    /** A k-way merge; on equal entries the earlier source (run or row) comes first. */
    private static final class Merge implements Iterator<Item> {
        private final List<Iterator<Item>> sources;
        private final @Nullable Item[] heads;
        /** Sources with a head, as a binary heap ordered by (head, source). */
        private final int[] heap;
        private int size;

        Merge(List<Iterator<Item>> sources) {
            this.sources = sources;
            heads = new Item[sources.size()];
            heap = new int[sources.size()];
            for (int i = 0; i < sources.size(); i++) {
                if (sources.get(i).hasNext()) {
                    heads[i] = sources.get(i).next();
                    heap[size++] = i;
                }
            }
            for (int i = size / 2 - 1; i >= 0; i--) {
                siftDown(i);
            }
        }

        private boolean before(int a, int b) {
            int c = ExternalSorter.compare(heads[a], heads[b]);
            return c < 0 || c == 0 && a < b;
        }

        private void siftDown(int i) {
            int s = heap[i];
            while (true) {
                int child = 2 * i + 1;
                if (child >= size) {
                    break;
                }
                if (child + 1 < size && before(heap[child + 1], heap[child])) {
                    child++;
                }
                if (!before(heap[child], s)) {
                    break;
                }
                heap[i] = heap[child];
                i = child;
            }
            heap[i] = s;
        }

        @Override
        public boolean hasNext() {
            return size > 0;
        }

        @Override
        public Item next() {
            if (size == 0) {
                throw new NoSuchElementException();
            }
            int s = heap[0];
            Item out = heads[s];
            Iterator<Item> src = sources.get(s);
            if (src.hasNext()) {
                heads[s] = src.next();
            } else {
                heads[s] = null;
                heap[0] = heap[--size];
            }
            if (size > 0) {
                siftDown(0);
            }
            return out;
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
