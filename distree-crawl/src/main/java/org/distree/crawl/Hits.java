package org.distree.crawl;

import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.distree.model.Entry;
import org.distree.model.Keys;
import org.distree.model.Links;
import org.distree.model.Node;
import org.distree.query.Query;

/**
 * The matches a crawl collects, per query, and their ranking: for words, results merge by link
 * and rank by words matched as typed (a compound whole, not only its parts: {@link
 * org.distree.analysis.KeyAnalyzer#wholes}), then by keys matched, then by the sum of their
 * scores for the matched keys (record entries' {@code data-score}, FORMAT.md), then by how
 * many distinct leaves list the link, then by link in code point order; for a prefix or range they come in entry order. The search page ranks the
 * same way (distree-search.js), so both list the same first results.
 */
final class Hits {
    private final List<Map<String, HitAcc>> perQuery = new ArrayList<>();

    /** Starts collecting for one more query (numbered in order from 0). */
    void addQuery() {
        perQuery.add(new LinkedHashMap<>());
    }

    /**
     * Keeps the leaf's entries that match query {@code q} and lie in the leaf's own range. A
     * record entry's link is resolved against the leaf's URL, {@code base}, so that the same
     * page record met in several leaves (or trees) is one result, and can be fetched.
     */
    void collect(int q, String leafUrl, URI base, Node leaf, Query query) {
        Map<String, HitAcc> mine = perQuery.get(q);
        for (Entry e : leaf.entries()) {
            if (query.matches(e) && leaf.range().contains(e.position())) {
                Entry hit = e;
                if (e.isRecord()) {
                    try {
                        hit = Entry.record(
                                e.key(),
                                Links.resolve(base, e.link()).toString(),
                                e.title(),
                                e.score());
                    } catch (IllegalArgumentException x) {
                        continue; // a link that does not resolve leads nowhere
                    }
                }
                Entry found = hit;
                HitAcc acc =
                        mine.computeIfAbsent(hit.key() + "\n" + hit.link(), k -> new HitAcc(found));
                acc.leaves.add(leafUrl);
                acc.score = Math.max(acc.score, hit.score());
            }
        }
    }

    /**
     * Every result, best first; {@code keys} names query {@code q} as {@code keys.get(q)}, and
     * {@code wholes} holds the keys of words as typed (those not in it are parts of compounds).
     */
    List<SearchResult.Hit> ranked(boolean words, List<String> keys, Set<String> wholes) {
        List<SearchResult.Hit> out = new ArrayList<>();
        if (words) {
            Map<String, Agg> byLink = new LinkedHashMap<>();
            for (int q = 0; q < perQuery.size(); q++) {
                for (HitAcc h : perQuery.get(q).values()) {
                    Agg a = byLink.computeIfAbsent(h.entry.link(), k -> new Agg(h.entry));
                    if (!a.matched.contains(keys.get(q))) {
                        a.matched.add(keys.get(q));
                        a.wholes += wholes.contains(keys.get(q)) ? 1 : 0;
                        a.score += h.score;
                    }
                    a.leaves.addAll(h.leaves);
                }
            }
            List<Agg> all = new ArrayList<>(byLink.values());
            all.sort(Comparator.<Agg>comparingInt(a -> -a.wholes)
                    .thenComparingInt(a -> -a.matched.size())
                    .thenComparingLong(a -> -a.score)
                    .thenComparingInt(a -> -a.leaves.size())
                    .thenComparing((a, b) -> Keys.compare(a.entry.link(), b.entry.link())));
            for (Agg a : all) {
                out.add(new SearchResult.Hit(a.entry, a.matched, a.leaves.size(), a.score));
            }
        } else {
            for (Map<String, HitAcc> m : perQuery) {
                for (HitAcc h : m.values()) {
                    out.add(new SearchResult.Hit(
                            h.entry, List.of(h.entry.key()), h.leaves.size(), h.score));
                }
            }
            out.sort(Comparator.comparing(SearchResult.Hit::entry));
        }
        return out;
    }

    private static final class HitAcc {
        final Entry entry;
        final Set<String> leaves = new HashSet<>();
        int score;

        HitAcc(Entry entry) {
            this.entry = entry;
        }
    }

    private static final class Agg {
        final Entry entry;
        final List<String> matched = new ArrayList<>();
        final Set<String> leaves = new HashSet<>();
        int wholes;
        long score;

        Agg(Entry entry) {
            this.entry = entry;
        }
    }
}
