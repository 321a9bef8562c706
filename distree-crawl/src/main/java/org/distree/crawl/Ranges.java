package org.distree.crawl;

import java.util.ArrayList;
import java.util.List;
import org.distree.model.Bound;
import org.distree.model.Range;
import org.jspecify.annotations.Nullable;

/**
 * Range arithmetic the walk needs and the model does not: subtraction, point tests, and a range
 * described for people.
 */
final class Ranges {
    private Ranges() {}

    /** The parts of {@code a} outside {@code b}: none, one or two ranges. */
    static List<Range> minus(Range a, Range b) {
        List<Range> out = new ArrayList<>(2);
        if (!a.meets(b)) {
            out.add(a);
            return out;
        }
        // Left of b: [a.low, b.low) when a starts before b.
        if (b.low() != null && Range.compareLows(a.low(), b.low()) < 0) {
            out.add(new Range(a.low(), b.low()));
        }
        // Right of b: [b.high, a.high) when a ends after b.
        if (b.high() != null && Range.compareHighs(a.high(), b.high()) > 0) {
            out.add(new Range(b.high(), a.high()));
        }
        return out;
    }

    /** The parts of {@code a} outside every range of {@code bs}, in order. */
    static List<Range> minusAll(Range a, List<Range> bs) {
        List<Range> out = List.of(a);
        for (Range b : bs) {
            List<Range> next = new ArrayList<>(out.size() + 1);
            for (Range r : out) {
                next.addAll(minus(r, b));
            }
            out = next;
        }
        return out;
    }

    /** True when the point {@code p} (null: minus infinity) lies in {@code r}. */
    static boolean containsLow(Range r, @Nullable Bound p) {
        if (p == null) {
            return r.low() == null;
        }
        return r.contains(p);
    }

    /** True when {@code p} (a low; null is minus infinity) is below {@code high} (null: +inf). */
    static boolean below(@Nullable Bound p, @Nullable Bound high) {
        return high == null || p == null || p.compareTo(high) < 0;
    }

    /** A range for people: an exact key's range shows as the key. */
    static String describe(Range r) {
        Bound lo = r.low();
        Bound hi = r.high();
        if (lo != null
                && hi != null
                && lo.link().isEmpty()
                && hi.link().isEmpty()
                && hi.key().equals(lo.key() + "\u0000")) {
            return "'" + lo.key() + "'";
        }
        return r.toString().replace("\u0000", "\\0");
    }
}
