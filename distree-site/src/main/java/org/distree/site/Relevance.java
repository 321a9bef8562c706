package org.distree.site;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.function.ToIntFunction;
import org.apache.lucene.search.CollectionStatistics;
import org.apache.lucene.search.TermStatistics;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.search.similarities.Similarity;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.SmallFloat;
import org.distree.analysis.KeyAnalyzer;
import org.distree.model.Entry;
import org.jspecify.annotations.Nullable;

/**
 * How well a page answers each of its keys: a BM25 score per field, weighted and summed (issue
 * 19), computed with Lucene's {@link BM25Similarity} ({@code k1} 1.2), written on the page's
 * record entries as {@code data-scores} (FORMAT.md).
 *
 * <pre>
 * score = bm25(body) + {@value #TITLE} x bm25(title) + {@value #HEADING} x bm25'(headings)
 *         + {@value #PATH} x bm25'(path)
 * bm25(field)  = idf x n / (n + k1 x (1 - b + b x length / mean length)),  b = 0.75
 * bm25'(field) = idf x n / (n + k1)             (not divided by its length)
 * idf = ln(1 + (pages - pagesWithKey + 0.5) / (pagesWithKey + 0.5))
 * </pre>
 *
 * where {@code n} is how many times the field makes the key: the body is the page's text
 * without its title, the headings are {@code h1} to {@code h6}, the path is the page's path
 * without its extension ({@code sql-createtable}). Each field saturates on its own, so a word in
 * the title counts whatever the body says, and a long reference page named for its word is not
 * pushed down by its body's length. The body's length is the number of tokens of the page's
 * text, the title's those of its title, each against its mean over the site (BM25F): a title
 * that is the word and little else ({@code AdamsIntegrator (Apache Commons Math API)}) scores
 * above one that holds the word in a sentence ({@code Uses of Class
 * org.apache.commons.math3.ode.nonstiff.AdamsIntegrator (Apache Commons Math API)}). Lengths are
 * as Lucene stores them (one byte, {@link SmallFloat#intToByte4}: exact to 40, within 1/8
 * above), so that a small edit seldom changes them. The score is written times 100, rounded, at least 1 and at most
 * {@link Entry#MAX_SCORE}. Headings and path add weight only to keys the text has: they add no
 * keys.
 *
 * <p>A key's <em>weight</em> on a page packs its counts, which is what the score needs before
 * the site is known: {@code body + 1024 x title + 8192 x headings + 131072 x path}, each count
 * capped (at 1,023, 7, 15 and 3). The site-wide figures (pages, mean length, pages with the key)
 * are known only once every page is read: a first build carries each entry's weight through the
 * sorter as its score, and {@link #scored} replaces it with the score as the sorted entries go
 * by, a key's entries together.
 */
final class Relevance {
    /** Weight of the title's score against the body's. */
    static final double TITLE = 2.0;
    /** Weight of the headings' score. */
    static final double HEADING = 0.5;
    /** Weight of the path's score. */
    static final double PATH = 1.0;

    private static final float K1 = 1.2f;
    private static final float B = 0.75f;
    private static final String FIELD = "text";
    /** Bits of each count in a weight, from the lowest: body, title, headings, path. */
    private static final int[] BITS = {10, 3, 4, 2};

    private final BM25Similarity field = new BM25Similarity(K1, B);
    private final BM25Similarity unnormed = new BM25Similarity(K1, 0f);
    private final CollectionStatistics collection;
    private final CollectionStatistics titles;

    /**
     * The keys of one page with their weights, and its lengths: the keys in the order {@link
     * KeyAnalyzer#keys} makes them from its text, each with its weight (see the class comment),
     * the tokens of its text and those of its title.
     */
    static final class Terms {
        private final List<String> keys;
        private final int[] weights;
        private final int length;
        private final int titleLength;

        Terms(List<String> keys, int[] weights, int length, int titleLength) {
            this.keys = List.copyOf(keys);
            this.weights = weights.clone();
            this.length = length;
            this.titleLength = titleLength;
        }

        List<String> keys() {
            return keys;
        }

        /** The weight of {@code keys().get(i)}. */
        int weight(int i) {
            return weights[i];
        }

        int length() {
            return length;
        }

        /** The tokens of the page's title. */
        int titleLength() {
            return titleLength;
        }
    }

    /**
     * Scores for a site of {@code pages} pages of {@code tokens} tokens of text in all and
     * {@code titleTokens} tokens of titles (each counted as at least one a page).
     */
    Relevance(long pages, long tokens, long titleTokens) {
        long n = Math.max(1, pages);
        this.collection = new CollectionStatistics(FIELD, n, n, Math.max(n, tokens), n);
        this.titles = new CollectionStatistics(FIELD, n, n, Math.max(n, titleTokens), n);
    }

    /** The keys of {@code page}, weighted by where they stand (see the class comment). */
    static Terms terms(Page page, KeyAnalyzer analyzer) {
        KeyAnalyzer.TermCounts text = analyzer.counts(page.text());
        KeyAnalyzer.TermCounts title = analyzer.counts(page.title());
        List<String> keys = text.keys();
        long[][] counts = new long[BITS.length][keys.size()];
        Map<String, Integer> index = new HashMap<>(keys.size() * 2);
        for (int i = 0; i < keys.size(); i++) {
            counts[0][i] = text.count(i);
            index.put(keys.get(i), i);
        }
        add(counts[1], index, title);
        // The text holds the title once: those words count for the title, not the body.
        for (int i = 0; i < keys.size(); i++) {
            counts[0][i] = Math.max(0, counts[0][i] - counts[1][i]);
        }
        if (!page.headings().isEmpty()) {
            add(counts[2], index, analyzer.counts(page.headings()));
        }
        add(counts[3], index, analyzer.counts(pathWords(page.path())));
        int[] weights = new int[keys.size()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = weight(counts[0][i], counts[1][i], counts[2][i], counts[3][i]);
        }
        return new Terms(keys, weights, text.tokens(), title.tokens());
    }

    /** A weight packed from its counts, each capped (see the class comment). */
    static int weight(long body, long title, long headings, long path) {
        long[] c = {body, title, headings, path};
        int w = 0;
        int shift = 0;
        for (int f = 0; f < BITS.length; f++) {
            w |= (int) Math.min((1 << BITS[f]) - 1, c[f]) << shift;
            shift += BITS[f];
        }
        return w;
    }

    /** The count of field {@code f} (0 body, 1 title, 2 headings, 3 path) in a weight. */
    static int count(int weight, int f) {
        int shift = 0;
        for (int i = 0; i < f; i++) {
            shift += BITS[i];
        }
        return (weight >>> shift) & ((1 << BITS[f]) - 1);
    }

    private static void add(
            long[] counts, Map<String, Integer> index, KeyAnalyzer.TermCounts field) {
        for (int i = 0; i < field.keys().size(); i++) {
            Integer at = index.get(field.keys().get(i));
            if (at != null) {
                counts[at] += field.count(i);
            }
        }
    }

    /** A page's path as words: without its extension ({@code sql-createtable}). */
    static String pathWords(String path) {
        int dot = path.lastIndexOf('.');
        return dot > path.lastIndexOf('/') ? path.substring(0, dot) : path;
    }

    /** The length as Lucene stores it: one byte, exact up to 40 and within 1/8 above. */
    static int norm(int length) {
        return SmallFloat.intToByte4(Math.max(0, length)) & 0xFF;
    }

    /** Scores a key found on {@code pagesWithKey} pages (at least 1). */
    Key key(String key, long pagesWithKey) {
        long df = Math.max(1, Math.min(collection.docCount(), pagesWithKey));
        TermStatistics term = new TermStatistics(new BytesRef(key), df, df);
        return new Key(
                field.scorer(1f, collection, term),
                field.scorer(1f, titles, term),
                unnormed.scorer(1f, collection, term));
    }

    /** The scorer of one key. */
    static final class Key {
        private final Similarity.SimScorer body;
        private final Similarity.SimScorer title;
        private final Similarity.SimScorer unnormed;

        private Key(
                Similarity.SimScorer body,
                Similarity.SimScorer title,
                Similarity.SimScorer unnormed) {
            this.body = body;
            this.title = title;
            this.unnormed = unnormed;
        }

        /**
         * The score of a page of {@code length} tokens of text and {@code titleLength} of title
         * where the key has {@code weight}.
         */
        int score(int weight, int length, int titleLength) {
            double s = body.score(count(weight, 0), norm(length))
                    + TITLE * title.score(count(weight, 1), norm(titleLength))
                    + HEADING * unnormed.score(count(weight, 2), 1L)
                    + PATH * unnormed.score(count(weight, 3), 1L);
            long scaled = Math.round(100.0 * s);
            return (int) Math.max(1, Math.min(Entry.MAX_SCORE, scaled));
        }
    }

    /**
     * The sorted record entries of a first build, each with its weight as its score, as the
     * same entries with their scores: a key's entries are together in key order, so each key's
     * are held (at most one a page) until the next key starts, and then scored.
     *
     * @param lengthOf the length of the page whose record an entry links
     * @param titleLengthOf the length of that page's title
     */
    Iterator<Entry> scored(
            Iterator<Entry> sorted,
            ToIntFunction<Entry> lengthOf,
            ToIntFunction<Entry> titleLengthOf) {
        return new Iterator<>() {
            private final List<Entry> group = new ArrayList<>();
            private int at;
            private @Nullable Entry pending = sorted.hasNext() ? sorted.next() : null;

            @Override
            public boolean hasNext() {
                return at < group.size() || pending != null;
            }

            @Override
            public Entry next() {
                if (at == group.size()) {
                    fill();
                }
                return group.get(at++);
            }

            private void fill() {
                Entry first = pending;
                if (first == null) {
                    throw new NoSuchElementException();
                }
                group.clear();
                at = 0;
                group.add(first);
                pending = null;
                while (sorted.hasNext()) {
                    Entry e = sorted.next();
                    if (!e.key().equals(first.key())) {
                        pending = e;
                        break;
                    }
                    group.add(e);
                }
                Key k = key(first.key(), group.size());
                for (int i = 0; i < group.size(); i++) {
                    Entry e = group.get(i);
                    int score = e.isRecord()
                            ? k.score(
                                    e.score(), lengthOf.applyAsInt(e), titleLengthOf.applyAsInt(e))
                            : 0;
                    group.set(i, new Entry(e.key(), e.target().withScore(score)));
                }
            }
        };
    }

    /** The figures of this site, for {@code -v}: pages and mean lengths. */
    @Override
    public String toString() {
        return String.format(
                Locale.ROOT,
                "%d pages, mean length %.1f tokens, of titles %.1f",
                collection.docCount(),
                (double) collection.sumTotalTermFreq() / collection.docCount(),
                (double) titles.sumTotalTermFreq() / titles.docCount());
    }
}
