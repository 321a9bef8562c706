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
 * <p>How the buffer is put in order depends on what it holds:
 *
 * <ul>
 *   <li>at most 64 rows of entries added in order (a sorted input, or a few pages' words added
 *       sorted with {@link #addAll}): the rows are merged as the output is read, on the reader's
 *       thread;
 *   <li>few distinct keys and targets for its size (the words of many pages: a site's 307,000
 *       entries have 27,000 words and 1,200 pages): the distinct keys and the distinct targets'
 *       links are sorted, and the entries placed by a counting sort on the keys' ranks, then
 *       the links' ranks (a key's entries usually come in link order already), in time linear
 *       in the entries;
 *   <li>anything else: sorted, on all processors.
 * </ul>
 */
public final class ExternalSorter implements Closeable {
    /** The default run buffer: 256 MiB of entry records. */
    public static final long DEFAULT_BUFFER_BYTES = 256L << 20;

    /** Memory an item costs beyond its key's bytes: the item, the key's array header, a slot. */
    private static final int ITEM_OVERHEAD = 48;
    /** Memory a tail costs beyond its bytes: the array header and alignment. */
    private static final int TAIL_OVERHEAD = 20;
    /** Rows of the buffer merged rather than sorted: up to this many. */
    private static final int MAX_MERGED_ROWS = 64;
    /**
     * Distinct keys are tracked (for ranking) while they are at most this share of the entries
     * once there are {@link #RANK_CHECK_AFTER} entries; a buffer is ranked when its distinct keys
     * and targets are at most this share of its entries.
     */
    private static final int RANK_RATIO = 4;
    private static final int RANK_CHECK_AFTER = 1 << 16;
    /** Memory a distinct key costs in the table of keys beyond its bytes. */
    private static final int KEY_OVERHEAD = 96;
    /** Decoded tails kept for reuse while reading the output (a power of two). */
    private static final int DECODED_TAILS = 2048;

    /**
     * One entry in memory.
     *
     * @param key the key in UTF-8, one array for every entry of the buffer with that key while
     *     keys are tracked
     * @param tail {@code link 0 title 0 comment 0 digest}, one array for a row of entries added
     *     one after the other with the same target
     * @param linkLength the bytes of the link at the start of the tail
     * @param keyId the key's number in {@link #keyIds}, or -1 when keys are not tracked
     * @param tailId the tail's number in {@link #tails}, or -1 when keys are not tracked
     */
    private record Item(byte[] key, byte[] tail, int linkLength, int keyId, int tailId) {}

    private final Path tmpDir;
    private final long bufferBytes;
    private final List<Path> runs = new ArrayList<>();
    private Item[] buffer = new Item[1024];
    private int count;
    private long used;
    private long added;
    private long duplicates;
    private Entry.@Nullable Target lastTarget;
    private @Nullable Item lastItem;
    /** Where each ascending row of the buffer starts, while there are few rows; else null. */
    private int @Nullable [] rowStarts = new int[MAX_MERGED_ROWS];
    private int rows;
    /** The number of each distinct key of the buffer, while keys are few; else null. */
    private @Nullable Map<String, Integer> keyIds = new java.util.HashMap<>();
    /** The distinct keys of the buffer by number, while {@link #keyIds} is kept. */
    private final List<byte[]> keys = new ArrayList<>();
    /** The first item of each distinct tail of the buffer, by number, while keys are tracked. */
    private final List<Item> tails = new ArrayList<>();
    /** How the buffer was last put in order: "merged", "ranked" or "sorted" (for tests). */
    private String lastOrder = "";

    /** A sorter spilling into {@code tmpDir}, with runs of at most {@code bufferBytes}. */
    public ExternalSorter(Path tmpDir, long bufferBytes) {
        this.tmpDir = tmpDir;
        this.bufferBytes = Math.max(1 << 16, bufferBytes);
    }

    /** Adds one entry. */
    public void add(Entry e) throws IOException {
        add(e.key(), e.target());
    }

    /**
     * Adds one entry per key, each with the link, title, comment and digest of {@code like} (its
     * own key is not added): the words of a page. The same as adding the entries one by one, but
     * no {@link Entry} is made per key, and the entries share {@code like}'s target.
     *
     * @throws IllegalArgumentException if a key is not a valid key
     */
    public void addAll(Entry like, Collection<String> keys) throws IOException {
        for (String key : keys) {
            add(Keys.requireKey(key), like.target());
        }
    }

    private void add(String key, Entry.Target target) throws IOException {
        Item item;
        byte[] k;
        int keyId = -1;
        Map<String, Integer> ids = keyIds;
        if (ids != null) {
            Integer id = ids.get(key);
            if (id == null) {
                k = key.getBytes(StandardCharsets.UTF_8);
                id = keys.size();
                ids.put(key, id);
                keys.add(k);
                used += k.length + KEY_OVERHEAD;
            } else {
                k = keys.get(id);
            }
            keyId = id;
        } else {
            k = key.getBytes(StandardCharsets.UTF_8);
            used += k.length;
        }
        if (lastItem != null && lastTarget != null
                && (lastTarget == target || lastTarget.equals(target))) {
            item = new Item(k, lastItem.tail, lastItem.linkLength, keyId, lastItem.tailId);
        } else {
            byte[] link = target.link().getBytes(StandardCharsets.UTF_8);
            String rest = target.title() + '\0' + target.comment() + '\0'
                    + (target.digest() == null ? "" : target.digest());
            byte[] restBytes = rest.getBytes(StandardCharsets.UTF_8);
            byte[] tail = Arrays.copyOf(link, link.length + 1 + restBytes.length);
            System.arraycopy(restBytes, 0, tail, link.length + 1, restBytes.length);
            item = new Item(k, tail, link.length, keyId, ids == null ? -1 : tails.size());
            if (ids != null) {
                tails.add(item);
            }
            used += tail.length + TAIL_OVERHEAD;
        }
        lastItem = item;
        lastTarget = target;
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
            if (rows == MAX_MERGED_ROWS) {
                rowStarts = null; // many rows: sorting or ranking is cheaper than merging them
            }
        }
        buffer[count++] = item;
        used += ITEM_OVERHEAD;
        added++;
        if (ids != null && count >= RANK_CHECK_AFTER && ids.size() > count / RANK_RATIO) {
            keyIds = null; // keys nearly all distinct: ranking would not pay
            keys.clear();
            tails.clear();
        }
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

    /** How the buffer was last put in order: "merged", "ranked" or "sorted". */
    String lastOrder() {
        return lastOrder;
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
     * The buffer in entry order (see the class comment for how). Every way keeps equal entries
     * in the order they were added.
     */
    private Iterator<Item> ordered() {
        List<Item> all = Arrays.asList(buffer).subList(0, count);
        int[] starts = rowStarts;
        if (starts != null) {
            List<Iterator<Item>> sources = new ArrayList<>(rows);
            for (int r = 0; r < rows; r++) {
                sources.add(all.subList(starts[r], r + 1 < rows ? starts[r + 1] : count)
                        .iterator());
            }
            lastOrder = "merged";
            return sources.size() == 1 ? sources.get(0) : new Merge(sources);
        }
        if (keyIds != null && (long) keys.size() + tails.size() <= count / RANK_RATIO) {
            rankSort();
            lastOrder = "ranked";
        } else {
            Arrays.parallelSort(buffer, 0, count, ExternalSorter::compare);
            lastOrder = "sorted";
        }
        return Arrays.asList(buffer).subList(0, count).iterator(); // rankSort makes a new one
    }

    /**
     * Sorts the buffer by ranking: the distinct keys are sorted, and the distinct tails by link
     * (equal links get one rank); a counting sort on the keys' ranks places the entries, keeping
     * the order they were added, and a key's entries are then sorted by their links' ranks unless
     * already in that order. Stable, like the other ways.
     */
    private void rankSort() {
        int[] keyRank = ranks(keys, Arrays::compareUnsigned);
        int[] tailRank = ranks(tails, (a, b) -> Arrays.compareUnsigned(a.tail, 0, a.linkLength,
                b.tail, 0, b.linkLength));
        int[] start = new int[keys.size() + 1];
        for (int i = 0; i < count; i++) {
            start[keyRank[buffer[i].keyId] + 1]++;
        }
        for (int r = 0; r < keys.size(); r++) {
            start[r + 1] += start[r];
        }
        Item[] out = new Item[buffer.length];
        int[] next = Arrays.copyOf(start, keys.size());
        for (int i = 0; i < count; i++) {
            Item item = buffer[i];
            out[next[keyRank[item.keyId]]++] = item;
        }
        java.util.Comparator<Item> byLink = java.util.Comparator.comparingInt(
                item -> tailRank[item.tailId]);
        for (int r = 0; r < keys.size(); r++) {
            int from = start[r];
            int to = start[r + 1];
            for (int i = from + 1; i < to; i++) {
                if (tailRank[out[i - 1].tailId] > tailRank[out[i].tailId]) {
                    Arrays.sort(out, from, to, byLink); // stable
                    break;
                }
            }
        }
        buffer = out;
    }

    /** The rank of each value in sorted order; equal values get the same rank. */
    private static <T> int[] ranks(List<T> values, java.util.Comparator<T> order) {
        Integer[] byValue = new Integer[values.size()];
        for (int i = 0; i < byValue.length; i++) {
            byValue[i] = i;
        }
        Arrays.sort(byValue, (a, b) -> order.compare(values.get(a), values.get(b)));
        int[] rank = new int[values.size()];
        int r = -1;
        for (int i = 0; i < byValue.length; i++) {
            if (i == 0 || order.compare(values.get(byValue[i - 1]), values.get(byValue[i])) != 0) {
                r++;
            }
            rank[byValue[i]] = r;
        }
        return rank;
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
        lastTarget = null;
        rowStarts = new int[MAX_MERGED_ROWS];
        rows = 0;
        keyIds = new java.util.HashMap<>();
        keys.clear();
        tails.clear();
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
        // and the entries then share their target.
        private final byte[][] decodedTails = new byte[DECODED_TAILS][];
        private final Entry.Target[] targets = new Entry.Target[DECODED_TAILS];
        // The last key decoded: a word's entries follow each other, sharing the key's array.
        private byte @Nullable [] lastKey;
        private String lastKeyString = "";
        // Targets by tail number, for entries read from the buffer (they know their tail's).
        private final Entry.@Nullable Target[] byTailId = new Entry.Target[ExternalSorter.this.tails.size()];

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
            Entry.Target target = r.tailId >= 0 ? byTailId[r.tailId] : null;
            if (target == null) {
                target = target(r);
                if (r.tailId >= 0) {
                    byTailId[r.tailId] = target;
                }
            }
            if (r.key != lastKey && !Arrays.equals(r.key, lastKey)) {
                lastKeyString = new String(r.key, StandardCharsets.UTF_8);
                lastKey = r.key;
            }
            return new Entry(lastKeyString, target);
        }

        private Entry.Target target(Item r) {
            int slot = Arrays.hashCode(r.tail) & (DECODED_TAILS - 1);
            Entry.Target target = targets[slot];
            if (target == null || decodedTails[slot] != r.tail
                    && !Arrays.equals(decodedTails[slot], r.tail)) {
                String[] f = decodeTail(r.tail, r.linkLength);
                target = new Entry.Target(f[0], f[1], f[2], f[3].isEmpty() ? null : f[3],
                        Map.of());
                decodedTails[slot] = r.tail;
                targets[slot] = target;
            }
            return target;
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
                next = new Item(key, tail, linkLength, -1, -1);
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
