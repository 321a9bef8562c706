package org.distree.query;

import java.util.Locale;
import org.distree.model.Bound;
import org.distree.model.Entry;
import org.distree.model.Keys;
import org.distree.model.Range;
import org.jspecify.annotations.Nullable;

/**
 * What a search looks for, as a range of key order: an exact key, a prefix, or a key range {@code
 * [low, high)}. A walk follows only children whose range {@link #meets} the query's, and keeps
 * the entries it {@link #matches}.
 */
public record Query(Kind kind, String text, Range range) {
    /** The kinds of query. */
    public enum Kind {
        EXACT,
        PREFIX,
        RANGE
    }

    /** Entries whose key is exactly {@code key}. */
    public static Query exact(String key) {
        requireText(key);
        String end = key + "\u0000";
        return new Query(Kind.EXACT, key, new Range(Bound.of(key), Bound.of(end)));
    }

    /** Entries whose key starts with {@code prefix}. */
    public static Query prefix(String prefix) {
        requireText(prefix);
        String end = Keys.prefixEnd(prefix);
        return new Query(
                Kind.PREFIX,
                prefix,
                new Range(Bound.of(prefix), end == null ? null : Bound.of(end)));
    }

    /**
     * Entries with {@code low <= key < high}; a null or empty end is open.
     *
     * @throws IllegalArgumentException when low is not below high
     */
    public static Query range(@Nullable String low, @Nullable String high) {
        Bound lo = low == null || low.isEmpty() ? null : Bound.of(low);
        Bound hi = high == null || high.isEmpty() ? null : Bound.of(high);
        return new Query(
                Kind.RANGE,
                (lo == null ? "" : low) + ".." + (hi == null ? "" : high),
                new Range(lo, hi));
    }

    /**
     * Parses {@code LOW..HIGH} as given on a command line: either end may be empty.
     *
     * @throws IllegalArgumentException when there is no {@code ..}
     */
    public static Query parseRange(String spec) {
        int i = spec.indexOf("..");
        if (i < 0) {
            throw new IllegalArgumentException(
                    "range '" + spec + "' is not of the form LOW..HIGH (either end may be empty)");
        }
        return range(spec.substring(0, i), spec.substring(i + 2));
    }

    private static void requireText(String s) {
        if (s.isEmpty()) {
            throw new IllegalArgumentException("the query is empty");
        }
    }

    /** True when a node with this range may hold matching entries. */
    public boolean meets(Range nodeRange) {
        return range.meets(nodeRange);
    }

    /** True when the entry matches. */
    public boolean matches(Entry e) {
        return range.contains(e.position());
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(Locale.ROOT) + " '" + text + "'";
    }
}
