package org.distree.tree;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.distree.model.Entry;
import org.jspecify.annotations.Nullable;

/**
 * {@link ExternalSorter}'s buffer while keys are few for the entries (the words of many pages: a
 * site's 307,000 entries have 27,000 words and 1,200 pages): each distinct key and each distinct
 * tail is held once, and an entry is two numbers, 8 bytes.
 *
 * <p>Put in order by ranking: the distinct keys are sorted, and the distinct tails by link
 * (equal links get one rank); a counting sort on the keys' ranks places the entries, keeping the
 * order they were added, and a key's entries are then sorted by their links' ranks unless
 * already in that order (a site's pages are added in path order). Time linear in the entries,
 * plus sorting the distinct values.
 */
final class NumberedBuffer {
    /** Ranking pays at the end while distinct keys and tails are at most 1 in this many. */
    private static final int RANK_RATIO = 4;
    /**
     * Entries the buffer takes before it first weighs itself against items; it does again each
     * time its size doubles.
     */
    private static final int RANK_CHECK_AFTER = 1 << 16;
    /** Memory a distinct key costs in the table of keys beyond its bytes. */
    private static final int KEY_OVERHEAD = 96;
    /** Memory an entry costs here: its key's and its tail's numbers. */
    private static final int ENTRY_MEMORY = 8;

    /** The number of each distinct key; null once no more entries come. */
    private @Nullable Map<String, Integer> keyIds = new HashMap<>();

    private final List<byte[]> keys = new ArrayList<>();
    private final List<SortItem.Tail> tails = new ArrayList<>();
    private final Ints entryKey = new Ints();
    private final Ints entryTail = new Ints();
    private int size;
    /** The bytes of every entry's key, counted once an entry: what items would hold. */
    private long entryKeyBytes;
    /** The bytes of the distinct keys. */
    private long distinctKeyBytes;
    /** The size at which {@link #itemsSuitBetter} weighs the buffer next. */
    private int nextCheck = RANK_CHECK_AFTER;

    /**
     * Adds an entry and returns the memory it costs.
     *
     * @param sameTarget the last entry added had this target: they share its tail
     */
    long add(String key, Entry.Target target, boolean sameTarget) {
        Map<String, Integer> ids = keyIds;
        if (ids == null) {
            throw new IllegalStateException("the buffer takes no more entries");
        }
        long memory = ENTRY_MEMORY;
        Integer id = ids.get(key);
        if (id == null) {
            byte[] k = key.getBytes(StandardCharsets.UTF_8);
            id = keys.size();
            ids.put(key, id);
            keys.add(k);
            memory += k.length + KEY_OVERHEAD;
            distinctKeyBytes += k.length;
        }
        entryKeyBytes += keys.get(id).length;
        if (!sameTarget || tails.isEmpty()) {
            SortItem.Tail tail = SortItem.Tail.of(target);
            tails.add(tail);
            memory += tail.memory();
        }
        entryKey.add(id);
        entryTail.add(tails.size() - 1);
        size++;
        return memory;
    }

    int size() {
        return size;
    }

    /** The number of distinct tails. */
    int tails() {
        return tails.size();
    }

    /** The memory the tails cost, as {@link #add} counted it. */
    long tailMemory() {
        long sum = 0;
        for (SortItem.Tail t : tails) {
            sum += t.memory();
        }
        return sum;
    }

    /**
     * True once {@link ItemBuffer} suits the entries better: when most entries bring a target of
     * their own (a file of entries, each with its link: ranking cannot pay, and a distinct tail
     * costs an object here, where items pack it with the others; at 1,000,000 entries the
     * collector spent 1.4 s on 2 cores moving such objects), or when the keys turn out so nearly
     * all distinct that the buffer costs more memory than items would for the same entries: an
     * entry here costs 8 bytes and each distinct key its bytes and 96 more, an item its key's
     * bytes and 48 more; with keys of about 10 bytes, items pay once more than about half the
     * keys are distinct. Weighed when the
     * buffer holds 2^16 entries and each time it doubles (between checks it returns false): a
     * site whose first pages hold many distinct words (an API reference's indexes of every name,
     * in the 26 pages that sort first) keeps its numbers once later pages repeat the words; the
     * first check alone, with 1 key in 4 distinct as the limit, turned the JDK's API reference
     * into items at 66,000 of its 2.5 million entries, and its sort into 2.5 million items of
     * about 60 bytes.
     */
    boolean itemsSuitBetter() {
        if (size < nextCheck) {
            return false;
        }
        nextCheck = size >= Integer.MAX_VALUE / 2 ? Integer.MAX_VALUE : size * 2;
        if ((long) tails.size() * 2 > size) {
            return true;
        }
        long numbers =
                (long) size * ENTRY_MEMORY + distinctKeyBytes + (long) keys.size() * KEY_OVERHEAD;
        long asItems = entryKeyBytes + (long) size * ItemBuffer.ITEM_OVERHEAD;
        return numbers > asItems;
    }

    /** True when ranking pays for the entries held: few distinct keys and tails for them. */
    boolean worthRanking() {
        return (long) keys.size() + tails.size() <= size / RANK_RATIO;
    }

    /** Lets the table of keys go: no more entries come. */
    void close() {
        keyIds = null;
    }

    /** The entries in the order they were added, as items with no tail number. */
    Iterator<SortItem> inAddedOrder() {
        return items(null);
    }

    /** The entries in entry order, by ranking (see the class comment); stable. */
    Iterator<SortItem> ranked() {
        int[] keyRank = ranks(keys, SortItem::compareKeys);
        int[] tailRank = ranks(
                tails,
                (a, b) -> SortItem.compareLinks(
                        a.bytes(), a.linkLength(), b.bytes(), b.linkLength()));
        int[] start = new int[keys.size() + 1];
        for (int i = 0; i < size; i++) {
            start[keyRank[entryKey.get(i)] + 1]++;
        }
        for (int r = 0; r < keys.size(); r++) {
            start[r + 1] += start[r];
        }
        int[] order = new int[size];
        int[] next = Arrays.copyOf(start, keys.size());
        for (int i = 0; i < size; i++) {
            order[next[keyRank[entryKey.get(i)]]++] = i;
        }
        for (int r = 0; r < keys.size(); r++) {
            int from = start[r];
            int to = start[r + 1];
            for (int j = from + 1; j < to; j++) {
                if (tailRank[entryTail.get(order[j - 1])] > tailRank[entryTail.get(order[j])]) {
                    // By link rank, then by the order added (entries were placed in it).
                    long[] byLink = new long[to - from];
                    for (int m = from; m < to; m++) {
                        byLink[m - from] =
                                (long) tailRank[entryTail.get(order[m])] << 32 | order[m];
                    }
                    Arrays.sort(byLink);
                    for (int m = from; m < to; m++) {
                        order[m] = (int) byLink[m - from];
                    }
                    break;
                }
            }
        }
        return items(order);
    }

    /**
     * The entries as items, made as they are read: in {@code order} with their tail numbers, or
     * in the order added (order null) without them.
     */
    private Iterator<SortItem> items(int @Nullable [] order) {
        return new Iterator<>() {
            private int j;

            @Override
            public boolean hasNext() {
                return j < size;
            }

            @Override
            public SortItem next() {
                if (j >= size) {
                    throw new NoSuchElementException();
                }
                int i = order == null ? j : order[j];
                j++;
                SortItem.Tail tail = tails.get(entryTail.get(i));
                return new SortItem(
                        keys.get(entryKey.get(i)),
                        tail.bytes(),
                        tail.linkLength(),
                        order == null ? -1 : entryTail.get(i));
            }
        };
    }

    /** The rank of each value in sorted order; equal values get the same rank. */
    private static <T> int[] ranks(List<T> values, Comparator<T> order) {
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
}
