package org.distree.tree;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.distree.model.Entry;
import org.jspecify.annotations.Nullable;

/**
 * {@link ExternalSorter}'s buffer once keys turn out nearly all distinct: an entry is its key's
 * array and a tail shared with the entries added just before it with the same target, about 50
 * bytes beyond the key. Put in order by merging, as the output is read, when it holds at most 64
 * rows of entries added in order (a sorted input); by sorting on all processors otherwise.
 * Slots are let go as they are read.
 */
final class ItemBuffer {
    /** Memory an item costs beyond its key's bytes: the item, the key's array header, a slot. */
    static final int ITEM_OVERHEAD = 48;
    /** Rows merged rather than sorted: up to this many. */
    private static final int MAX_MERGED_ROWS = 64;

    private @Nullable SortItem[] items = new SortItem[0];
    private int size;
    private @Nullable SortItem last;
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
        SortItem before = last;
        if (sameTarget && before != null) {
            return append(new SortItem(k, before.tail(), before.linkLength(), -1));
        }
        SortItem.Tail tail = SortItem.Tail.of(target);
        return tail.memory() + append(new SortItem(k, tail.bytes(), tail.linkLength(), -1));
    }

    /** Adds an item, noting where a new ascending row starts; returns the memory it costs. */
    long append(SortItem item) {
        if (size == items.length) {
            items = Arrays.copyOf(items, Math.max(1024, size * 2));
        }
        int[] starts = rowStarts;
        if (starts != null && (size == 0 || SortItem.compare(items[size - 1], item) > 0)) {
            starts[rows++] = size;
            if (rows == MAX_MERGED_ROWS) {
                rowStarts = null; // many rows: sorting is cheaper than merging them
            }
        }
        items[size++] = item;
        last = item;
        return (long) item.key().length + ITEM_OVERHEAD;
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
                sources.add(new Drain(items, starts[r], r + 1 < rows ? starts[r + 1] : size));
            }
            return sources.size() == 1 ? sources.get(0) : new SortMerge(sources);
        }
        Arrays.parallelSort(items, 0, size, SortItem::compare);
        return new Drain(items, 0, size);
    }

    /** Items of a stretch of the buffer, each let go of (its slot cleared) once read. */
    private static final class Drain implements Iterator<SortItem> {
        private final @Nullable SortItem[] items;
        private int next;
        private final int end;

        Drain(@Nullable SortItem[] items, int from, int to) {
            this.items = items;
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
            SortItem item = items[next];
            items[next++] = null;
            if (item == null) {
                throw new IllegalStateException("a buffer slot was read twice");
            }
            return item;
        }
    }
}
