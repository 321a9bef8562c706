package org.distree.tree;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;
import org.distree.model.Entry;
import org.jspecify.annotations.Nullable;

/**
 * {@link ExternalSorter}'s buffer once most entries bring their own target or keys turn out
 * nearly all distinct: each entry's key and tail in UTF-8, packed into large byte arrays, with an entry's place in them in arrays of
 * numbers. A row of entries added one after the other with the same target shares its tail.
 *
 * <p>No object is kept per entry, so the collector has a few arrays to move rather than millions
 * of small objects (on a 1,000,000-entry build, objects per entry cost 1.4 s of collection on 2
 * cores). Put in order by merging, as the output is read, when it holds at most 64 rows of
 * entries added in order (a sorted input); otherwise by a stable merge sort of the entries'
 * numbers, which compares the keys' first 8 bytes, held as a number beside each, before their
 * arrays, on a pool of one thread per processor. The output is {@link SortItem}s made as they are read.
 */
final class ItemBuffer {
    /**
     * Memory an entry costs beyond its key's and tail's bytes as it is added: its numbers
     * (places, first key bytes, tail number: 28 bytes) and its key's length in the packed arrays
     * (2), with room for the arrays' growth. Sorting takes 24 bytes an entry more while it runs
     * (the entry numbers and first key bytes, and as much again for the merges).
     */
    static final int ITEM_OVERHEAD = 48;
    /** Rows merged rather than sorted: up to this many. */
    private static final int MAX_MERGED_ROWS = 64;
    /** The packed arrays' size: 4 MiB (an entry never spans two). */
    private static final int CHUNK_BYTES = 1 << 22;
    /** Entries sorted by insertion rather than merging: up to this many. */
    private static final int INSERTION_SORT = 24;
    /** A stretch sorted on one thread: up to this many entries. */
    private static final int SORT_ALONE = 1 << 15;

    private byte[][] chunks = new byte[0][];
    private int chunkCount;
    private byte[] chunk = new byte[0];
    private int chunkUsed;

    /** Where each entry's key is: the packed array's number, high; the offset, low. */
    private long[] keyAt = new long[0];
    /** Where each entry's tail is, the same way; entries of a row share one. */
    private long[] tailAt = new long[0];
    /** The first 8 bytes of each key, big-endian, zeros after a short key's end. */
    private long[] prefix = new long[0];
    /** Each entry's tail number in a numbered buffer, or -1. */
    private int[] tailIds = new int[0];

    private int size;
    private long lastTailAt = -1;
    /** The tail array of the last item appended, to tell a row of one target. */
    private byte @Nullable [] lastAppendedTail;

    /** Where each ascending row starts, while there are few rows; else null. */
    private int @Nullable [] rowStarts = new int[MAX_MERGED_ROWS];

    private int rows;

    /**
     * Adds an entry and returns the memory it costs.
     *
     * @param sameTarget the last entry added had this target: they share its tail
     */
    long add(String key, Entry.Target target, boolean sameTarget) {
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        long cost = 0;
        if (!sameTarget || lastTailAt < 0) {
            SortItem.Tail tail = SortItem.Tail.of(target);
            lastTailAt = put(tail.bytes(), tail.linkLength());
            cost = tail.memory();
        }
        lastAppendedTail = null;
        return cost + appendAt(k, lastTailAt, -1);
    }

    /** Adds an item, noting where a new ascending row starts; returns the memory it costs. */
    long append(SortItem item) {
        long cost = 0;
        if (item.tail() != lastAppendedTail || lastTailAt < 0) {
            lastTailAt = put(item.tail(), item.linkLength());
            lastAppendedTail = item.tail();
            cost = (long) item.tail().length + SortItem.TAIL_OVERHEAD;
        }
        return cost + appendAt(item.key(), lastTailAt, item.tailId());
    }

    private long appendAt(byte[] key, long tail, int tailId) {
        if (size == keyAt.length) {
            int n = Math.max(1024, size * 2);
            keyAt = Arrays.copyOf(keyAt, n);
            tailAt = Arrays.copyOf(tailAt, n);
            prefix = Arrays.copyOf(prefix, n);
            tailIds = Arrays.copyOf(tailIds, n);
        }
        keyAt[size] = put(key, -1);
        tailAt[size] = tail;
        prefix[size] = SortItem.keyPrefix(key);
        tailIds[size] = tailId;
        int[] starts = rowStarts;
        if (starts != null && (size == 0 || compare(size - 1, size) > 0)) {
            starts[rows++] = size;
            if (rows == MAX_MERGED_ROWS) {
                rowStarts = null; // many rows: sorting is cheaper than merging them
            }
        }
        size++;
        return (long) key.length + ITEM_OVERHEAD;
    }

    /**
     * Packs bytes: a key as its length (2 bytes) and its bytes, a tail ({@code linkLength} not
     * negative) as its length and link length (4 bytes each) and its bytes. Returns where.
     */
    private long put(byte[] bytes, int linkLength) {
        if (linkLength < 0 && bytes.length > 0xFFFF) {
            throw new IllegalArgumentException("a key of " + bytes.length + " bytes");
        }
        int head = linkLength < 0 ? 2 : 8;
        int need = head + bytes.length;
        if (chunkUsed + need > chunk.length) {
            chunk = new byte[Math.max(CHUNK_BYTES, need)];
            if (chunkCount == chunks.length) {
                chunks = Arrays.copyOf(chunks, Math.max(8, 2 * chunkCount));
            }
            chunks[chunkCount++] = chunk;
            chunkUsed = 0;
        }
        int at = chunkUsed;
        byte[] c = chunk;
        if (linkLength < 0) {
            c[at] = (byte) (bytes.length >>> 8);
            c[at + 1] = (byte) bytes.length;
        } else {
            putInt(c, at, bytes.length);
            putInt(c, at + 4, linkLength);
        }
        System.arraycopy(bytes, 0, c, at + head, bytes.length);
        chunkUsed += need;
        return ((long) (chunkCount - 1) << 32) | at;
    }

    private static void putInt(byte[] c, int at, int v) {
        c[at] = (byte) (v >>> 24);
        c[at + 1] = (byte) (v >>> 16);
        c[at + 2] = (byte) (v >>> 8);
        c[at + 3] = (byte) v;
    }

    private static int getInt(byte[] c, int at) {
        return (c[at] & 0xFF) << 24
                | (c[at + 1] & 0xFF) << 16
                | (c[at + 2] & 0xFF) << 8
                | (c[at + 3] & 0xFF);
    }

    private byte[] chunkOf(long at) {
        return chunks[(int) (at >>> 32)];
    }

    /**
     * Entry order of entries {@code a} and {@code b} ({@link SortItem#compare}): the keys' first
     * bytes ({@link SortItem#keyPrefix}), then the keys, then the links.
     */
    private int compare(int a, int b) {
        int c = Long.compareUnsigned(prefix[a], prefix[b]);
        return c != 0 ? c : compareWhole(a, b);
    }

    /** {@link #compare} of two entries whose keys' first 8 bytes are the same. */
    private int compareWhole(int a, int b) {
        int c;
        long ka = keyAt[a];
        long kb = keyAt[b];
        byte[] ca = chunkOf(ka);
        byte[] cb = chunkOf(kb);
        int oa = (int) ka;
        int ob = (int) kb;
        int la = (ca[oa] & 0xFF) << 8 | (ca[oa + 1] & 0xFF);
        int lb = (cb[ob] & 0xFF) << 8 | (cb[ob + 1] & 0xFF);
        c = SortItem.compareKeys(ca, oa + 2, oa + 2 + la, cb, ob + 2, ob + 2 + lb);
        long ta = tailAt[a];
        long tb = tailAt[b];
        if (c != 0 || ta == tb) {
            return c;
        }
        byte[] da = chunkOf(ta);
        byte[] db = chunkOf(tb);
        int pa = (int) ta;
        int pb = (int) tb;
        return SortItem.compareLinks(
                da, pa + 8, getInt(da, pa + 4), db, pb + 8, getInt(db, pb + 4));
    }

    int size() {
        return size;
    }

    /** True when {@link #ordered} merges rows rather than sorting. */
    boolean merges() {
        return rowStarts != null;
    }

    /** The items in entry order, stable; call once. */
    Iterator<SortItem> ordered() {
        int[] starts = rowStarts;
        if (starts != null) {
            List<Iterator<SortItem>> sources = new ArrayList<>(rows);
            for (int r = 0; r < rows; r++) {
                int to = r + 1 < rows ? starts[r + 1] : size;
                sources.add(new Out(null, starts[r], to));
            }
            return sources.size() == 1 ? sources.get(0) : new SortMerge(sources);
        }
        int[] order = new int[size];
        Arrays.setAll(order, i -> i);
        long[] first = Arrays.copyOf(prefix, size);
        Sort sort = new Sort(first, order, new long[size], new int[size], 0, size);
        if (size <= SORT_ALONE) {
            sort.compute();
        } else {
            // A pool of its own: the common pool has one thread fewer than the processors.
            ForkJoinPool pool = new ForkJoinPool(Runtime.getRuntime().availableProcessors());
            try {
                pool.invoke(sort);
            } finally {
                pool.shutdown();
            }
        }
        return new Out(order, 0, size);
    }

    /**
     * A stable merge sort of entry numbers {@code order[from, to)} by entry order, halves in
     * parallel above {@link #SORT_ALONE} entries. Each number moves with its key's first bytes
     * ({@code first}, in the same places), so most comparisons read the two arrays in order
     * rather than the packed arrays at random; {@code spareFirst} and {@code spareOrder} are as
     * long, for the merges.
     */
    private final class Sort extends RecursiveAction {
        private static final long serialVersionUID = 1L;
        private final long[] first;
        private final int[] order;
        private final long[] spareFirst;
        private final int[] spareOrder;
        private final int from;
        private final int to;

        Sort(long[] first, int[] order, long[] spareFirst, int[] spareOrder, int from, int to) {
            this.first = first;
            this.order = order;
            this.spareFirst = spareFirst;
            this.spareOrder = spareOrder;
            this.from = from;
            this.to = to;
        }

        /** Entry order of the entries at places {@code i} of {@code fa, oa} and {@code j} of {@code fb, ob}. */
        private int compareAt(long[] fa, int[] oa, int i, long[] fb, int[] ob, int j) {
            int c = Long.compareUnsigned(fa[i], fb[j]);
            return c != 0 ? c : compareWhole(oa[i], ob[j]);
        }

        @Override
        protected void compute() {
            if (to - from <= INSERTION_SORT) {
                insertionSort();
                return;
            }
            int mid = (from + to) >>> 1;
            Sort low = new Sort(first, order, spareFirst, spareOrder, from, mid);
            Sort high = new Sort(first, order, spareFirst, spareOrder, mid, to);
            if (to - from > SORT_ALONE) {
                invokeAll(low, high);
            } else {
                low.compute();
                high.compute();
            }
            if (compareAt(first, order, mid - 1, first, order, mid) <= 0) {
                return; // already in order
            }
            System.arraycopy(first, from, spareFirst, from, to - from);
            System.arraycopy(order, from, spareOrder, from, to - from);
            int i = from;
            int j = mid;
            int k = from;
            while (i < mid && j < to) {
                // Ties take the lower half first: stable.
                if (compareAt(spareFirst, spareOrder, j, spareFirst, spareOrder, i) < 0) {
                    first[k] = spareFirst[j];
                    order[k++] = spareOrder[j++];
                } else {
                    first[k] = spareFirst[i];
                    order[k++] = spareOrder[i++];
                }
            }
            int rest = mid - i;
            System.arraycopy(spareFirst, i, first, k, rest);
            System.arraycopy(spareOrder, i, order, k, rest);
            System.arraycopy(spareFirst, j, first, k + rest, to - j);
            System.arraycopy(spareOrder, j, order, k + rest, to - j);
        }

        private void insertionSort() {
            for (int i = from + 1; i < to; i++) {
                long f = first[i];
                int v = order[i];
                int j = i - 1;
                while (j >= from && compareWith(j, f, v) > 0) {
                    first[j + 1] = first[j];
                    order[j + 1] = order[j];
                    j--;
                }
                first[j + 1] = f;
                order[j + 1] = v;
            }
        }

        /** Entry order of the entry at place {@code j} against entry {@code v}, first bytes {@code f}. */
        private int compareWith(int j, long f, int v) {
            int c = Long.compareUnsigned(first[j], f);
            return c != 0 ? c : compareWhole(order[j], v);
        }
    }

    /**
     * Items made from the packed arrays: entries {@code order[from, to)}, or entries {@code from}
     * to {@code to} when {@code order} is null. Items of one tail share its array.
     */
    private final class Out implements Iterator<SortItem> {
        private final int @Nullable [] order;
        private int next;
        private final int end;
        private long tailAt = -1;
        private byte[] tail = new byte[0];
        private int linkLength;

        Out(int @Nullable [] order, int from, int to) {
            this.order = order;
            this.next = from;
            this.end = to;
        }

        @Override
        public boolean hasNext() {
            return next < end;
        }

        @Override
        public SortItem next() {
            if (next >= end) {
                throw new NoSuchElementException();
            }
            int[] o = order;
            int i = o == null ? next : o[next];
            next++;
            long k = keyAt[i];
            byte[] c = chunkOf(k);
            int at = (int) k;
            int len = (c[at] & 0xFF) << 8 | (c[at + 1] & 0xFF);
            byte[] key = Arrays.copyOfRange(c, at + 2, at + 2 + len);
            long t = ItemBuffer.this.tailAt[i];
            if (t != tailAt) {
                byte[] d = chunkOf(t);
                int p = (int) t;
                tail = Arrays.copyOfRange(d, p + 8, p + 8 + getInt(d, p));
                linkLength = getInt(d, p + 4);
                tailAt = t;
            }
            return new SortItem(key, tail, linkLength, tailIds[i]);
        }
    }
}
