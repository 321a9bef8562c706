package org.distree.model;

import org.jspecify.annotations.Nullable;

/**
 * A half-open range {@code [low, high)} of key order; a null low is minus infinity and a null high
 * is plus infinity. A range is never empty: low is below high.
 */
public record Range(@Nullable Bound low, @Nullable Bound high) {
    /** The whole key space. */
    public static final Range ALL = new Range(null, null);

    public Range {
        if (low != null && high != null && low.compareTo(high) >= 0) {
            throw new IllegalArgumentException(
                    "range low '" + low + "' is not below its high '" + high + "'");
        }
    }

    /** True when {@code point} lies in this range. */
    public boolean contains(Bound point) {
        return (low == null || low.compareTo(point) <= 0)
                && (high == null || point.compareTo(high) < 0);
    }

    /** True when this range and {@code other} share at least one point. */
    public boolean meets(Range other) {
        Bound maxLow = maxLow(low, other.low);
        Bound minHigh = minHigh(high, other.high);
        return maxLow == null || minHigh == null || maxLow.compareTo(minHigh) < 0;
    }

    /** True when every point of {@code other} lies in this range. */
    public boolean encloses(Range other) {
        boolean lowOk = low == null || (other.low != null && low.compareTo(other.low) <= 0);
        boolean highOk = high == null || (other.high != null && other.high.compareTo(high) <= 0);
        return lowOk && highOk;
    }

    /** The part this range shares with {@code other}; they must meet. */
    public Range intersect(Range other) {
        return new Range(maxLow(low, other.low), minHigh(high, other.high));
    }

    /** Compares two lows, null (minus infinity) first. */
    public static int compareLows(@Nullable Bound a, @Nullable Bound b) {
        if (a == null) {
            return b == null ? 0 : -1;
        }
        return b == null ? 1 : a.compareTo(b);
    }

    /** Compares two highs, null (plus infinity) last. */
    public static int compareHighs(@Nullable Bound a, @Nullable Bound b) {
        if (a == null) {
            return b == null ? 0 : 1;
        }
        return b == null ? -1 : a.compareTo(b);
    }

    private static @Nullable Bound maxLow(@Nullable Bound a, @Nullable Bound b) {
        return compareLows(a, b) >= 0 ? a : b;
    }

    private static @Nullable Bound minHigh(@Nullable Bound a, @Nullable Bound b) {
        return compareHighs(a, b) <= 0 ? a : b;
    }

    @Override
    public String toString() {
        return "[" + (low == null ? "-inf" : low) + ", " + (high == null ? "+inf" : high) + ")";
    }
}
