package org.distree.tree;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import org.jspecify.annotations.Nullable;

/**
 * A k-way merge of sources in entry order ({@link SortItem#compare}); on equal entries the
 * earlier source (run or row) comes first.
 */
final class SortMerge implements Iterator<SortItem> {
    private final List<Iterator<SortItem>> sources;
    private final @Nullable SortItem[] heads;
    /** Sources with a head, as a binary heap ordered by (head, source). */
    private final int[] heap;

    private int size;

    SortMerge(List<Iterator<SortItem>> sources) {
        this.sources = sources;
        heads = new SortItem[sources.size()];
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
        int c = SortItem.compare(heads[a], heads[b]);
        return c < 0 || (c == 0 && a < b);
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
    public SortItem next() {
        if (size == 0) {
            throw new NoSuchElementException();
        }
        int s = heap[0];
        SortItem out = heads[s];
        Iterator<SortItem> src = sources.get(s);
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
