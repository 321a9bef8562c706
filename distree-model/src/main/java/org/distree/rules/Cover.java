package org.distree.rules;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import org.distree.model.Bound;
import org.distree.model.ChildRef;
import org.distree.model.Range;
import org.distree.model.Status;
import org.jspecify.annotations.Nullable;

/**
 * The size rule and the preference rule: an internal node's size is the sum of child sizes along
 * one non-overlapping cover of its range, taking the preferred child at each point, left to
 * right.
 *
 * <p>Preference, from the design: of two children where the second's range lies inside the
 * first's and its subtree is larger, the second is preferred; then a complete child over one
 * marked partial ({@link ChildRef#partial}); then status ok over not; then the fresher check; then the one that reaches further right; then the link, for a fixed order.
 */
public final class Cover {
    private Cover() {}

    /**
     * The preference order: the preferred child compares as the greater. It is not transitive
     * (rule 8 ranks nested ranges by size, the rest by status, check date and reach, so three
     * children can each be preferred to the next): pick the best by scanning, or order a list
     * with {@link #mostPreferredFirst}, never with a sort, which may throw.
     */
    public static final Comparator<ChildRef> PREFERENCE = Cover::prefer;

    /**
     * {@code children} with the most preferred first, as a tournament: each is the one a scan of
     * what is left, in the order given, ends on when it keeps whichever {@link #PREFERENCE}
     * prefers (with no total order, no child need be preferred to all the others). The same
     * input gives the same order. Quadratic in the count: for the tens to hundreds of candidates
     * a node weighs.
     */
    public static List<ChildRef> mostPreferredFirst(Collection<ChildRef> children) {
        List<ChildRef> left = new ArrayList<>(children);
        List<ChildRef> out = new ArrayList<>(left.size());
        while (!left.isEmpty()) {
            int best = 0;
            for (int i = 1; i < left.size(); i++) {
                if (PREFERENCE.compare(left.get(i), left.get(best)) > 0) {
                    best = i;
                }
            }
            out.add(left.remove(best));
        }
        return out;
    }

    /**
     * The preference rule's first clause alone (FORMAT.md rule 8): of two children where one's
     * range lies inside the other's and its subtree is larger, that one is the fuller copy.
     * Positive when {@code a} is the fuller, negative when {@code b} is, 0 when neither is (the
     * ranges do not nest, or the inner one is not larger). The search applies it too, so it
     * steers to a complete node over a wide partial one.
     */
    public static int fuller(ChildRef a, ChildRef b) {
        if (a.range().encloses(b.range()) && b.size() > a.size()) {
            return -1;
        }
        if (b.range().encloses(a.range()) && a.size() > b.size()) {
            return 1;
        }
        return 0;
    }

    private static int prefer(ChildRef a, ChildRef b) {
        int c = fuller(a, b);
        if (c != 0) {
            return c;
        }
        c = Boolean.compare(!a.partial(), !b.partial());
        if (c != 0) {
            return c;
        }
        c = Boolean.compare(a.status() == Status.OK, b.status() == Status.OK);
        if (c != 0) {
            return c;
        }
        if (a.checked() != null && b.checked() != null) {
            c = a.checked().compareTo(b.checked());
        } else {
            c = Boolean.compare(a.checked() != null, b.checked() != null);
        }
        if (c != 0) {
            return c;
        }
        c = Range.compareHighs(a.range().high(), b.range().high());
        if (c != 0) {
            return c;
        }
        return -org.distree.model.Keys.compare(a.href(), b.href());
    }

    /**
     * The cover of {@code range} by {@code children} (sorted by low): the preferred child at each
     * point, left to right. Dead children are skipped. Points no child covers are left out.
     * Weighs at each point only the children that hold it ({@link Sweep}).
     */
    public static List<ChildRef> cover(Range range, List<ChildRef> children) {
        List<ChildRef> tiled = tiling(range, children);
        if (tiled != null) {
            return tiled;
        }
        List<ChildRef> live = new ArrayList<>(children.size());
        for (ChildRef c : children) {
            if (c.status() != Status.DEAD && c.range().meets(range)) {
                live.add(c);
            }
        }
        Sweep sweep = new Sweep(live);
        List<ChildRef> out = new ArrayList<>();
        Bound point = range.low();
        while (true) {
            ChildRef best = null;
            for (int i : sweep.at(point)) {
                ChildRef c = live.get(i);
                if (best == null || PREFERENCE.compare(c, best) > 0) {
                    best = c;
                }
            }
            Bound ahead = sweep.nextLow();
            if (best != null) {
                out.add(best);
                Bound high = best.range().high();
                if (high == null || (range.high() != null && high.compareTo(range.high()) >= 0)) {
                    return out;
                }
                point = high;
            } else if (ahead != null
                    && (range.high() == null || ahead.compareTo(range.high()) < 0)) {
                point = ahead;
            } else {
                return out;
            }
        }
    }

    /**
     * The common case in linear time: live children that follow each other exactly, each low
     * equal to the previous high, with no alternates. Returns those that meet the range, or null
     * when the children are not such a tiling (then the general sweep runs).
     */
    private static @Nullable List<ChildRef> tiling(Range range, List<ChildRef> children) {
        List<ChildRef> out = new ArrayList<>(children.size());
        Bound prevHigh = null;
        boolean first = true;
        for (ChildRef c : children) {
            if (c.status() == Status.DEAD) {
                return null;
            }
            if (!first && (prevHigh == null || !prevHigh.equals(c.range().low()))) {
                return null;
            }
            first = false;
            prevHigh = c.range().high();
            if (c.range().meets(range)) {
                out.add(c);
            }
        }
        if (out.isEmpty()) {
            return out;
        }
        // The sweep starts at the range's low: the first child must hold it.
        ChildRef head = out.get(0);
        boolean holdsStart = range.low() == null
                ? head.range().low() == null
                : head.range().contains(range.low());
        return holdsStart ? out : null;
    }

    /**
     * True when some point of {@code range} is held by no live child that vouches for it: only
     * by children marked partial ({@link ChildRef#partial}), or by none. An internal node with
     * such a point is itself partial.
     */
    public static boolean partial(Range range, List<ChildRef> children) {
        List<ChildRef> complete = new ArrayList<>(children.size());
        for (ChildRef c : children) {
            if (!c.partial()) {
                complete.add(c);
            }
        }
        return firstGap(range, complete).isPresent();
    }

    /** The size an internal node should declare: the sum of sizes along its cover. */
    public static long size(Range range, List<ChildRef> children) {
        long sum = 0;
        for (ChildRef c : cover(range, children)) {
            sum += c.size();
        }
        return sum;
    }

    /** A part of a range that no live child covers: {@code [from, to)}, null for infinity. */
    public record Gap(@Nullable Bound from, @Nullable Bound to) {
        @Override
        public String toString() {
            return new Range(from, to).toString();
        }
    }

    /** The first part of {@code range} that no live child covers, or empty when none is left. */
    public static java.util.Optional<Gap> firstGap(Range range, List<ChildRef> children) {
        Bound expected = range.low();
        boolean start = true;
        for (ChildRef c : cover(range, children)) {
            boolean covers = (start && expected == null)
                    ? c.range().low() == null
                    : expected != null && c.range().contains(expected);
            if (!covers) {
                return java.util.Optional.of(new Gap(expected, c.range().low()));
            }
            expected = c.range().high();
            start = false;
            if (expected == null) {
                return java.util.Optional.empty();
            }
        }
        Bound high = range.high();
        if (!start && expected != null && high != null && expected.compareTo(high) >= 0) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new Gap(expected, range.high()));
    }
}
