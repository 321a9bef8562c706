package org.distree.crawl;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.distree.query.Query;
import org.jspecify.annotations.Nullable;

/**
 * What to search for, from where, within which budgets. Make one with {@link #words}, {@link
 * #prefix} or {@link #range}, then adjust with the {@code with…} methods.
 *
 * @param roots where walks start: http, https or file URLs of root nodes or of entry pages that
 *     point at one ({@code rel=distree-root}); each root is walked
 * @param kind words, prefix or range
 * @param terms the words (each looked up as a key after analysis), or the prefix, or the
 *     range's low and high (an empty string for an open end)
 * @param analyzer the analyzer that makes keys from the terms; null to use the one the first root
 *     declares ({@code <distree analyzer>}), or {@code none} when it declares none
 * @param limit at most this many results, best first; 0 for all. The default is 0
 * @param maxNodes node files fetched at most: 1 to 1,000,000; the default is 1,000
 * @param maxBytes bytes of node files fetched at most; the default is 64 MB
 * @param timeout the whole search's time budget; the default is 30 seconds
 */
public record SearchRequest(
        List<URI> roots,
        Kind kind,
        List<String> terms,
        @Nullable String analyzer,
        int limit,
        int maxNodes,
        long maxBytes,
        Duration timeout) {
    /** The kinds of search. */
    public enum Kind {
        /** Each term is a word, looked up as an exact key; results are ranked. */
        WORDS,
        /** Keys starting with the one term. */
        PREFIX,
        /** Keys from the first term (inclusive) to the second (exclusive). */
        RANGE
    }

    public static final int DEFAULT_MAX_NODES = 1_000;
    public static final long DEFAULT_MAX_BYTES = 64L << 20;
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    public SearchRequest {
        roots = List.copyOf(roots);
        terms = List.copyOf(terms);
        if (roots.isEmpty()) {
            throw new IllegalArgumentException("a search needs at least one root");
        }
        if (roots.size() > 64) {
            throw new IllegalArgumentException(roots.size() + " roots, over the limit of 64");
        }
        switch (kind) {
            case WORDS -> {
                if (terms.isEmpty() || terms.stream().allMatch(String::isBlank)) {
                    throw new IllegalArgumentException("the query is empty");
                }
                if (terms.size() > 32) {
                    throw new IllegalArgumentException(
                            terms.size() + " words, over the limit of 32");
                }
            }
            case PREFIX -> {
                if (terms.size() != 1 || terms.get(0).isEmpty()) {
                    throw new IllegalArgumentException("a prefix search needs one prefix");
                }
            }
            case RANGE -> {
                if (terms.size() != 2) {
                    throw new IllegalArgumentException("a range search needs a low and a high");
                }
            }
        }
        if (limit < 0) {
            throw new IllegalArgumentException("limit " + limit + " is negative");
        }
        if (maxNodes < 1 || maxNodes > 1_000_000) {
            throw new IllegalArgumentException(String.format(
                    Locale.ROOT, "node budget %,d is outside 1..1,000,000", maxNodes));
        }
        if (maxBytes < 1) {
            throw new IllegalArgumentException("byte budget " + maxBytes + " is below 1");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("time budget " + timeout + " is not positive");
        }
    }

    /** Entries whose key is one of the words (after analysis), ranked by words matched. */
    public static SearchRequest words(List<URI> roots, List<String> words) {
        return new SearchRequest(
                roots,
                Kind.WORDS,
                words,
                null,
                0,
                DEFAULT_MAX_NODES,
                DEFAULT_MAX_BYTES,
                DEFAULT_TIMEOUT);
    }

    /** Entries whose key starts with {@code prefix}. */
    public static SearchRequest prefix(List<URI> roots, String prefix) {
        return new SearchRequest(
                roots,
                Kind.PREFIX,
                List.of(prefix),
                null,
                0,
                DEFAULT_MAX_NODES,
                DEFAULT_MAX_BYTES,
                DEFAULT_TIMEOUT);
    }

    /** Entries with {@code low <= key < high}; a null or empty end is open. */
    public static SearchRequest range(
            List<URI> roots, @Nullable String low, @Nullable String high) {
        Query.range(low, high); // refuses low >= high now rather than mid-search
        return new SearchRequest(
                roots,
                Kind.RANGE,
                List.of(low == null ? "" : low, high == null ? "" : high),
                null,
                0,
                DEFAULT_MAX_NODES,
                DEFAULT_MAX_BYTES,
                DEFAULT_TIMEOUT);
    }

    /** This request with another analyzer (null: as the root declares). */
    public SearchRequest withAnalyzer(@Nullable String name) {
        return new SearchRequest(roots, kind, terms, name, limit, maxNodes, maxBytes, timeout);
    }

    /** This request returning at most {@code n} results (0 for all). */
    public SearchRequest withLimit(int n) {
        return new SearchRequest(roots, kind, terms, analyzer, n, maxNodes, maxBytes, timeout);
    }

    /** This request with other budgets. */
    public SearchRequest withBudgets(int nodes, long bytes, Duration time) {
        return new SearchRequest(roots, kind, terms, analyzer, limit, nodes, bytes, time);
    }
}
