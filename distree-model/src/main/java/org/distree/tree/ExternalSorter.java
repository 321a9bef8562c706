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
 * <p>Keys and tails ({@code link 0 title 0 comment 0 digest}) are held in UTF-8. Since no field
 * holds a NUL and UTF-8 byte order is code point order, comparing keys and then links as
 * unsigned bytes is exactly entry order. The buffer holds entries one of two ways:
 *
 * <ul>
 *   <li><b>numbered</b>, while keys are few for the entries (the words of many pages: a site's
 *       307,000 entries have 27,000 words and 1,200 pages): each distinct key and each distinct
 *       tail is held once, and an entry is two numbers, 8 bytes. The buffer is put in order by
 *       ranking: the distinct keys are sorted, and the distinct tails by link; a counting sort on
 *       the keys' ranks places the entries, then a key's entries are sorted by their links' ranks
 *       unless already in that order (a site's pages are added in path order). Time linear in
 *       the entries, plus sorting the distinct values.
 *   <li><b>items</b>, once the keys turn out nearly all distinct (more than one a {@value
 *       #RANK_RATIO} entries after {@value #RANK_CHECK_AFTER}), or, at the end, when keys and
 *       tails together are over a {@value #RANK_RATIO}th of the entries: an entry is its key's
 *       array and a shared tail, about 50 bytes beyond the key. At most 64 rows of entries added
 *       in order (a sorted input) are merged as the output is read, on the reader's thread;
 *       anything else is sorted, on all processors.
 * </ul>
 *
 * Every way keeps equal entries in the order they were added.
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
    /** A numbered buffer holds at most one distinct key (at the end, key or tail) in this many. */
    private static final int RANK_RATIO = 4;
    /** Entries a buffer takes before its share of distinct keys is checked. */
    private static final int RANK_CHECK_AFTER = 1 << 16;
    /** Memory a distinct key costs in the table of keys beyond its bytes. */
    private static final int KEY_OVERHEAD = 96;
    /** Decoded tails kept for reuse while reading the output (a power of two). */
    private static final int DECODED_TAILS = 2048;

    /**
     * One entry: an item of the buffer, or an entry on its way out.
     *
     * @param key the key in UTF-8 (one array for all the entries of a numbered buffer with that
     *     key)
     * @param tail {@code link 0 title 0 comment 0 digest}, one array for a row of entries added
     *     one after the other with the same target
     * @param linkLength the bytes of the link at the start of the tail
     * @param tailId the tail's number in a numbered buffer, or -1
     */
    private record Item(byte[] key, byte[] tail, int linkLength, int tailId) {}

    /** A distinct tail of a numbered buffer. */
    private record Tail(byte[] bytes, int linkLength) {}

    private final Path tmpDir;
    private final long bufferBytes;
    private final List<Path> runs = new ArrayList<>();
    private long used;
    private long added;
    private long duplicates;
    private int count;
    private Entry.@Nullable Target lastTarget;
    // The buffer is held one of two ways. Numbered, while keys are few for the entries (the
    // words of many pages): entry i is entryKey.get(i) and entryTail.get(i), numbers into keys and
    // tails, 8 bytes an entry. As items otherwise: entry i is buffer[i].
    private boolean numbered = true;
    /** The number of each distinct key of a numbered buffer. */
    private @Nullable Map<String, Integer> keyIds = new java.util.HashMap<>();
    private List<byte[]> keys = new ArrayList<>();
    private List<Tail> tails = new ArrayList<>();
    private Ints entryKey = new Ints();
    private Ints entryTail = new Ints();
    private @Nullable Item[] buffer = new Item[0];
    private @Nullable Item lastItem;
    /** Where each ascending row of an item buffer starts, while there are few rows; else null. */
    private int @Nullable [] rowStarts = new int[MAX_MERGED_ROWS];
    private int rows;
    /** How the buffer was last put in order: "merged", "ranked" or "sorted" (for tests). */
    private String lastOrder = "";
    /** True once {@link #sorted} was called: no more adds. */
    private boolean drained;

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
        if (drained) {
            throw new IllegalStateException("entries added after sorted()");
        }
        boolean sameTarget = lastTarget != null
                && (lastTarget == target || lastTarget.equals(target));
        lastTarget = target;
        Map<String, Integer> ids = keyIds;
        if (numbered && ids != null) {
            Integer id = ids.get(key);
            if (id == null) {
                byte[] k = key.getBytes(StandardCharsets.UTF_8);
                id = keys.size();
                ids.put(key, id);
                keys.add(k);
                used += k.length + KEY_OVERHEAD;
            }
            if (!sameTarget || tails.isEmpty()) {
                Tail tail = encode(target);
                tails.add(tail);
                used += tail.bytes.length + TAIL_OVERHEAD;
            }
            entryKey.add(id);
            entryTail.add(tails.size() - 1);
            count++;
            used += 8;
            if (count >= RANK_CHECK_AFTER && keys.size() > count / RANK_RATIO) {
                toItems(); // keys nearly all distinct: ranking would not pay
            }
        } else {
            Item last = lastItem;
            Item item;
            if (sameTarget && last != null) {
                item = new Item(key.getBytes(StandardCharsets.UTF_8), last.tail, last.linkLength,
                        -1);
            } else {
                Tail tail = encode(target);
                item = new Item(key.getBytes(StandardCharsets.UTF_8), tail.bytes,
                        tail.linkLength, -1);
                used += tail.bytes.length + TAIL_OVERHEAD;
            }
            append(item);
        }
        added++;
        if (used >= bufferBytes) {
            spill();
        }
    }

    private static Tail encode(Entry.Target target) {
        byte[] link = target.link().getBytes(StandardCharsets.UTF_8);
        String rest = target.title() + '\0' + target.comment() + '\0'
                + (target.digest() == null ? "" : target.digest());
        byte[] restBytes = rest.getBytes(StandardCharsets.UTF_8);
        byte[] tail = Arrays.copyOf(link, link.length + 1 + restBytes.length);
        System.arraycopy(restBytes, 0, tail, link.length + 1, restBytes.length);
        return new Tail(tail, link.length);
    }

    /** Adds an item to an item buffer, noting where a new ascending row starts. */
    private void append(Item item) {
        if (count == buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(1024, count * 2));
        }
        int[] starts = rowStarts;
        if (starts != null && (count == 0 || compare(buffer[count - 1], item) > 0)) {
            if (rows == starts.length) {
                starts = Arrays.copyOf(starts, rows * 2);
                rowStarts = starts;
            }
            starts[rows++] = count;
            if (rows == MAX_MERGED_ROWS) {
                rowStarts = null; // many rows: sorting is cheaper than merging them
            }
        }
        buffer[count++] = item;
        used += item.key.length + ITEM_OVERHEAD;
        lastItem = item;
    }

    /** Turns a numbered buffer into items. */
    private void toItems() {
        int n = count;
        Ints k = entryKey;
        Ints t = entryTail;
        List<byte[]> keyList = keys;
        List<Tail> tailList = tails;
        numbered = false;
        keyIds = null;
        keys = new ArrayList<>();
        tails = new ArrayList<>();
        entryKey = new Ints();
        entryTail = new Ints();
        buffer = new Item[Math.max(1024, n)];
        count = 0;
        used = 0;
        for (Tail tail : tailList) {
            used += tail.bytes.length + TAIL_OVERHEAD;
        }
        for (int i = 0; i < n; i++) {
            Tail tail = tailList.get(t.get(i));
            append(new Item(keyList.get(k.get(i)), tail.bytes, tail.linkLength, -1));
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

    /** The buffer in entry order (see the class comment for how). */
    private Iterator<Item> ordered() {
        if (numbered) {
            if ((long) keys.size() + tails.size() <= count / RANK_RATIO) {
                lastOrder = "ranked";
                return ranked();
            }
            toItems();
        }
        int[] starts = rowStarts;
        if (starts != null) {
            List<Iterator<Item>> sources = new ArrayList<>(rows);
            for (int r = 0; r < rows; r++) {
                sources.add(new Drain(buffer, starts[r], r + 1 < rows ? starts[r + 1] : count));
            }
            lastOrder = "merged";
            return sources.size() == 1 ? sources.get(0) : new Merge(sources);
        }
        Arrays.parallelSort(buffer, 0, count, ExternalSorter::compare);
        lastOrder = "sorted";
        return new Drain(buffer, 0, count);
    }

    /**
     * A numbered buffer in entry order, by ranking: the distinct keys are sorted, and the
     * distinct tails by link (equal links get one rank); a counting sort on the keys' ranks
     * places the entries, keeping the order they were added, and a key's entries are then sorted
     * by their links' ranks unless already in that order. Stable, like the other ways. Items
     * are made as they are read.
     */
    private Iterator<Item> ranked() {
        List<byte[]> keyList = keys;
        List<Tail> tailList = tails;
        Ints k = entryKey;
        Ints t = entryTail;
        int n = count;
        int[] keyRank = ranks(keyList, Arrays::compareUnsigned);
        int[] tailRank = ranks(tailList, (a, b) -> Arrays.compareUnsigned(a.bytes, 0,
                a.linkLength, b.bytes, 0, b.linkLength));
        int[] start = new int[keyList.size() + 1];
        for (int i = 0; i < n; i++) {
            start[keyRank[k.get(i)] + 1]++;
        }
        for (int r = 0; r < keyList.size(); r++) {
            start[r + 1] += start[r];
        }
        int[] order = new int[n];
        int[] next = Arrays.copyOf(start, keyList.size());
        for (int i = 0; i < n; i++) {
            order[next[keyRank[k.get(i)]]++] = i;
        }
        for (int r = 0; r < keyList.size(); r++) {
            int from = start[r];
            int to = start[r + 1];
            for (int j = from + 1; j < to; j++) {
                if (tailRank[t.get(order[j - 1])] > tailRank[t.get(order[j])]) {
                    // By link rank, then by the order added (entries were placed in it).
                    long[] byLink = new long[to - from];
                    for (int m = from; m < to; m++) {
                        byLink[m - from] = (long) tailRank[t.get(order[m])] << 32 | order[m];
                    }
                    Arrays.sort(byLink);
                    for (int m = from; m < to; m++) {
                        order[m] = (int) byLink[m - from];
                    }
                    break;
                }
            }
        }
        return new Iterator<>() {
            private int j;

            @Override
            public boolean hasNext() {
                return j < n;
            }

            @Override
            public Item next() {
                if (j >= n) {
                    throw new NoSuchElementException();
                }
                int i = order[j++];
                Tail tail = tailList.get(t.get(i));
                return new Item(keyList.get(k.get(i)), tail.bytes, tail.linkLength, t.get(i));
            }
        };
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
        if (!numbered) {
            Arrays.fill(buffer, 0, count, null);
        }
        count = 0;
        used = 0;
        lastItem = null; // a tail is counted once per run
        lastTarget = null;
        rowStarts = new int[MAX_MERGED_ROWS];
        rows = 0;
        numbered = true;
        keyIds = new java.util.HashMap<>();
        keys = new ArrayList<>();
        tails = new ArrayList<>();
        entryKey = new Ints();
        entryTail = new Ints();
    }

    /**
     * The sorted entries without duplicates. Call once, after the last {@link #add} (later calls
     * of either throw {@link IllegalStateException}). The iterator throws {@link
     * UncheckedIOException} if a run cannot be read.
     */
    public Iterator<Entry> sorted() throws IOException {
        if (drained) {
            throw new IllegalStateException("sorted() called twice");
        }
        List<Iterator<Item>> sources = new ArrayList<>();
        if (!runs.isEmpty() && count > 0) {
            spill();
        }
        drained = true;
        keyIds = null; // no more adds: the table of keys can go before the buffer is ordered
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
        private final Entry.@Nullable Target[] byTailId = new Entry.Target[
                ExternalSorter.this.tails.size()];

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

    /**
     * A growing list of ints in chunks of 16,384: no copy as it grows, and no room held beyond
     * the last chunk.
     */
    private static final class Ints {
        private static final int SHIFT = 14;
        private static final int MASK = (1 << SHIFT) - 1;
        private int[][] chunks = new int[8][];
        private int size;

        void add(int v) {
            int c = size >>> SHIFT;
            if (c == chunks.length) {
                chunks = Arrays.copyOf(chunks, 2 * c);
            }
            if (chunks[c] == null) {
                chunks[c] = new int[1 << SHIFT];
            }
            chunks[c][size & MASK] = v;
            size++;
        }

        int get(int i) {
            return chunks[i >>> SHIFT][i & MASK];
        }
    }

    /** Items of a stretch of the buffer, each let go of (its slot cleared) once read. */
    private static final class Drain implements Iterator<Item> {
        private final @Nullable Item[] items;
        private int next;
        private final int end;

        Drain(@Nullable Item[] items, int from, int to) {
            this.items = items;
            this.next = from;
            this.end = to;
        }

        @Override
        public boolean hasNext() {
            return next < end;
        }

        @Override
        public Item next() {
            if (next >= end) {
                throw new NoSuchElementException();
            }
            Item item = items[next];
            items[next++] = null;
            if (item == null) {
                throw new IllegalStateException("a buffer slot was read twice");
            }
            return item;
        }
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
                next = new Item(key, tail, linkLength, -1);
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
