package org.distree.tree;

import java.util.ArrayList;
import java.util.List;
import java.util.function.ToIntFunction;
import java.util.function.ToLongFunction;
import org.distree.rules.Rules;
import org.jspecify.annotations.Nullable;

/**
 * Cuts an ordered list of items into contiguous groups that each fit a byte budget, balancing
 * the groups by subtree size (not by count), so that each group keeps the 16x rule whenever it
 * can.
 */
final class Packer {
    private Packer() {}

    /**
     * The bytes an item takes in a group right after {@code prev}, or as the group's first
     * ({@code prev} null): a leaf's record entries of one key share one item ({@link
     * org.distree.html.NodeWriter#itemBytes(org.distree.model.Entry,
     * org.distree.model.Entry)}).
     */
    interface ItemBytes<T> {
        int bytes(@Nullable T prev, T item);

        /** A measure that does not depend on the item before. */
        static <T> ItemBytes<T> alone(ToIntFunction<T> bytes) {
            return (prev, item) -> bytes.applyAsInt(item);
        }
    }

    /**
     * Cuts {@code items} into at least {@code groups} groups, each at most {@code capacity} bytes
     * (an item larger than the capacity gets a group of its own), with sizes as even as the bytes
     * allow.
     */
    static <T> List<List<T>> pack(
            List<T> items, ItemBytes<T> bytes, ToLongFunction<T> size, int capacity, int groups) {
        long total = 0;
        for (T t : items) {
            total += size.applyAsLong(t);
        }
        List<List<T>> out = new ArrayList<>();
        List<T> cur = new ArrayList<>();
        long curBytes = 0;
        double cum = 0;
        int remainingItems = items.size();
        T prev = null;
        for (T t : items) {
            int b = bytes.bytes(cur.isEmpty() ? null : prev, t);
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
                b = bytes.bytes(null, t); // the first of its group
            }
            cur.add(t);
            curBytes += b;
            cum += s;
            remainingItems--;
            prev = t;
        }
        if (!cur.isEmpty() || out.isEmpty()) {
            out.add(cur);
        }
        return out;
    }

    /**
     * Cuts {@code items} into contiguous groups with the 16x rule in mind, for when the even cut
     * of {@link #pack} leaves a group that breaks it. A group that obeys the rule (its size is at
     * least 16 times its largest item's) becomes one node, one link in the parent; a group that
     * does not is spliced (16x rule: the parent links its items instead), so each of its items
     * costs the parent a link. This finds the cut with the fewest links in the parent, each group
     * at most {@code capacity} bytes (an item larger than that gets a group of its own), and among
     * those the one whose fullest group has the fewest bytes. A group of one item counts as
     * spliced. Two or more items always give two or more groups.
     */
    static <T> List<List<T>> packSixteenX(
            List<T> items, ToIntFunction<T> bytes, ToLongFunction<T> size, int capacity) {
        int n = items.size();
        if (n < 2) {
            return List.of(List.copyOf(items));
        }
        long[] links = new long[n + 1];
        long[] fullest = new long[n + 1];
        int[] from = new int[n + 1];
        for (int i = 1; i <= n; i++) {
            links[i] = Long.MAX_VALUE;
            long groupBytes = 0;
            long sum = 0;
            long largest = 0;
            for (int j = i - 1; j >= 0; j--) {
                T t = items.get(j);
                groupBytes += bytes.applyAsInt(t);
                sum += size.applyAsLong(t);
                largest = Math.max(largest, size.applyAsLong(t));
                int count = i - j;
                if (count > 1 && groupBytes > capacity) {
                    break;
                }
                if (j == 0 && i == n) {
                    break;
                }
                boolean node = count > 1 && Rules.obeysSixteenX(sum, largest);
                long l = links[j] + (node ? 1 : count);
                long f = Math.max(fullest[j], groupBytes);
                if (l < links[i] || (l == links[i] && f < fullest[i])) {
                    links[i] = l;
                    fullest[i] = f;
                    from[i] = j;
                }
            }
        }
        List<List<T>> out = new ArrayList<>();
        for (int i = n; i > 0; i = from[i]) {
            out.add(0, List.copyOf(items.subList(from[i], i)));
        }
        return out;
    }

    /**
     * The links a parent holds for these groups: one for a group that obeys the 16x rule, one
     * per item for a group that does not (it is spliced).
     */
    static <T> long parentLinks(List<List<T>> groups, ToLongFunction<T> size) {
        long links = 0;
        for (List<T> g : groups) {
            long sum = 0;
            long largest = 0;
            for (T t : g) {
                sum += size.applyAsLong(t);
                largest = Math.max(largest, size.applyAsLong(t));
            }
            links += g.size() > 1 && Rules.obeysSixteenX(sum, largest) ? 1 : g.size();
        }
        return links;
    }

    /** The number of groups of {@code fill} times {@code capacity} that {@code total} bytes need. */
    static int groupsFor(long totalBytes, int capacity, double fill) {
        return (int) Math.max(1, Math.ceil(totalBytes / (capacity * fill)));
    }
}
