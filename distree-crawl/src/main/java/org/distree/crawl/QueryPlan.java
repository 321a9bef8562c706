package org.distree.crawl;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.distree.analysis.KeyAnalyzer;
import org.distree.query.Query;
import org.jspecify.annotations.Nullable;

/**
 * What one search looks for ({@link Crawl}): the analyzer, and the queries it makes of the
 * request's terms, one per key (a word search: one exact query per key of every word; a prefix
 * or a range: one). Immutable.
 *
 * @param analyzer the request's analyzer if it names one, else the one the first usable root
 *     declares ({@code none} when the name is unknown, reported)
 * @param queries one per key, in the order of {@link #keys}
 * @param keys the analyzed keys, as shown to the user
 * @param wholes the keys of the words as typed (not parts of compounds), which rank first
 */
record QueryPlan(KeyAnalyzer analyzer, List<Query> queries, List<String> keys, Set<String> wholes) {
    QueryPlan {
        queries = List.copyOf(queries);
        keys = List.copyOf(keys);
        wholes = Set.copyOf(wholes);
    }

    /** Before any root is read: no queries, the default analyzer. */
    static QueryPlan none() {
        return new QueryPlan(KeyAnalyzer.forName(null), List.of(), List.of(), Set.of());
    }

    /**
     * The plan of {@code request} with the analyzer {@code declared} by the first usable root,
     * at {@code root}; an unknown analyzer or a query with no words left is reported to {@code
     * log}.
     */
    static QueryPlan of(SearchRequest request, @Nullable String declared, URI root, SearchLog log) {
        String name = request.analyzer() != null ? request.analyzer() : declared;
        KeyAnalyzer analyzer = KeyAnalyzer.forName(null);
        try {
            analyzer = KeyAnalyzer.forName(name);
        } catch (IllegalArgumentException e) {
            log.skip(root.toString(), e.getMessage() + "; the query is used as typed");
        }
        List<Query> queries = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        Set<String> wholes = new HashSet<>();
        switch (request.kind()) {
            case WORDS -> {
                Set<String> all = new LinkedHashSet<>();
                for (String term : request.terms()) {
                    all.addAll(analyzer.keys(term));
                    wholes.addAll(analyzer.wholes(term));
                }
                if (all.isEmpty()) {
                    log.skip(
                            "(query)",
                            "no words left after the '" + analyzer.name() + "' analyzer");
                }
                for (String k : all) {
                    keys.add(k);
                    queries.add(Query.exact(k));
                }
            }
            case PREFIX -> {
                String p = analyzer.bound(request.terms().get(0));
                keys.add(p);
                queries.add(Query.prefix(p));
            }
            case RANGE -> {
                String lo = analyzer.bound(request.terms().get(0));
                String hi = analyzer.bound(request.terms().get(1));
                keys.add(lo);
                keys.add(hi);
                queries.add(Query.range(lo, hi));
            }
        }
        return new QueryPlan(analyzer, queries, keys, wholes);
    }

    /**
     * The name {@code declared} stands for ({@code none} for no name), or the name itself when
     * no analyzer has it.
     */
    static String declaredName(@Nullable String declared) {
        try {
            return KeyAnalyzer.forName(declared).name();
        } catch (IllegalArgumentException e) {
            return String.valueOf(declared);
        }
    }
}
