package org.distree.tree;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;

/**
 * Cuts an ordered list of items into contiguous groups that each fit a byte budget, balancing
 * the groups by subtree size (not by count), so that each group keeps the 16x rule whenever it
 * can.
 */
final class Packer {
    private Packer() {}

    /**
     * Cuts {@code items} into at least {@code groups} groups, each at most {@code capacity} bytes
     * (an item larger than the capacity gets a group of its own), with sizes as even as the bytes
     * allow.
     */
    static <T> List<List<T>> pack(
            List<T> items, ToIntFunction<T> bytes, ToLongFunction<T> size, int capacity,
            int groups) {
        long total = 0;
        for (T t : items) {
            total += size.applyAsLong(t);
        }
        List<List<T>> out = new ArrayList<>();
        List<T> cur = new ArrayList<>();
        long curBytes = 0;
        double cum = 0;
        int remainingItems = items.size();
        for (T t : items) {
            int b = bytes.applyAsInt(t);
            long s = size.applyAsLong(t);
            int g = out.size();
            double target = total == 0
                    ? (double) (g + 1) * items.size() / groups
                    : (double) (g + 1) * total / groups;
            double mid = total == 0 ? (items.size() - remainingItems) + 0.5 : cum + s / 2.0;
            boolean overBytes = curBytes + b > capacity;
            boolean pastTarget = g < groups - 1 && mid > target;
            if (!cur.isEmpty() && (overBytes || pastTarget)) {
                out.add(cur);
                cur = new ArrayList<>();
                curBytes = 0;
            }
            cur.add(t);
            curBytes += b;
            cum += s;
            remainingItems--;
        }
        if (!cur.isEmpty() || out.isEmpty()) {
            out.add(cur);
        }
        return out;
    }

    /** The number of groups of {@code fill} times {@code capacity} that {@code total} bytes need. */
    static int groupsFor(long totalBytes, int capacity, double fill) {
        return (int) Math.max(1, Math.ceil(totalBytes / (capacity * fill)));
    }
}
