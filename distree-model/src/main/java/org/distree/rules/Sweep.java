package org.distree.rules;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.distree.model.Bound;
import org.distree.model.ChildRef;
import org.distree.model.Range;
import org.jspecify.annotations.Nullable;

/**
 * A point moving up the key space over links, and the links that hold it: what a cover or a
 * chain weighs at each step. A scan of every link at each step costs steps times links (at a ring
 * of 1,000 machines, thousands of each, every run); the sweep takes each link once as the point
 * passes its low and lets it go once the point passes its high, so a step costs the links that
 * overlap the point. The links that hold the point are given in the order of the list, as a scan
 * would meet them, so that choices by a preference that is not transitive ({@link
 * Cover#PREFERENCE}) come out the same. Not thread-safe; one sweep per walk.
 */
public final class Sweep {
    private final List<ChildRef> links;
    /** Indexes of {@link #links} by low, unbounded first; equal lows in list order. */
    private final int[] byLow;
    /** Indexes taken (low at or below the point) and not yet passed, ascending. */
    private final List<Integer> open = new ArrayList<>();

    private int next;
    private @Nullable Bound point;
    private boolean started;

    /** A sweep over {@code links}, in any order; the point starts below every key. */
    public Sweep(List<ChildRef> links) {
        this.links = links;
        Integer[] order = new Integer[links.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(
                order,
                (a, b) -> Range.compareLows(
                        links.get(a).range().low(), links.get(b).range().low()));
        this.byLow = new int[order.length];
        for (int i = 0; i < order.length; i++) {
            byLow[i] = order[i];
        }
    }

    /**
     * The indexes (into the list given) of the links that hold {@code p}, in list order: for the
     * first call with null, the start of the key space (the links unbounded below); otherwise
     * the key {@code p}, which must not be below the point of the last call.
     *
     * @throws IllegalArgumentException when {@code p} moves back, or is null after the start
     */
    public List<Integer> at(@Nullable Bound p) {
        if (started && (p == null || (point != null && p.compareTo(point) < 0))) {
            throw new IllegalArgumentException("the point moves up only: " + point + " to " + p);
        }
        started = true;
        point = p;
        while (next < byLow.length && startsBy(links.get(byLow[next]), p)) {
            int i = byLow[next++];
            int at = java.util.Collections.binarySearch(open, i);
            open.add(-at - 1, i);
        }
        if (p != null) {
            open.removeIf(i -> {
                Bound high = links.get(i).range().high();
                return high != null && high.compareTo(p) <= 0;
            });
        }
        return List.copyOf(open);
    }

    /**
     * The lowest low above the point among the links not yet taken, or null when none is left:
     * where the next link starts once no link holds the point.
     */
    public @Nullable Bound nextLow() {
        return next < byLow.length ? links.get(byLow[next]).range().low() : null;
    }

    private static boolean startsBy(ChildRef c, @Nullable Bound p) {
        Bound low = c.range().low();
        return low == null || (p != null && low.compareTo(p) <= 0);
    }
}
