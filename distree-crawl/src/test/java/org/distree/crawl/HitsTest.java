package org.distree.crawl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.distree.crawl.TestNodes.child;
import static org.distree.crawl.TestNodes.internal;
import static org.distree.crawl.TestNodes.leaf;

import java.net.URI;
import java.util.List;
import org.distree.crawl.SearcherOverNetworkTest.MapNetwork;
import org.distree.model.Entry;
import org.junit.jupiter.api.Test;

/**
 * How results rank, through the real search over node files in a {@link MapNetwork}: words
 * matched as typed first (a compound whole, not only its parts), then keys matched, then the sum
 * of the record entries' scores, then leaves, then link.
 */
class HitsTest {
    static final URI ROOT = URI.create("http://a.sim/root.html");
    static final String WHOLE = "https://e.org/whole";
    static final String BOTH_PARTS = "https://e.org/both-parts";
    static final String ONE_PART = "https://e.org/one-part";

    final MapNetwork net = new MapNetwork();

    /**
     * A site keyed by {@code analyzer}: one page holds {@code KeyPair.getPublic} (its whole and
     * its parts), one holds {@code keypair} and {@code getpublic} apart, one only {@code
     * getpublic}.
     */
    void site(String analyzer) {
        net.files.put(
                ROOT, internal(1, null, null, analyzer, child("n/leaf.html", null, null, 0, 6)));
        net.files.put(
                URI.create("http://a.sim/n/leaf.html"),
                leaf(
                        null,
                        null,
                        // Link names sort against the ranking, so that order comes from it.
                        "keypair.getpublic",
                        WHOLE,
                        "keypair",
                        WHOLE,
                        "getpublic",
                        WHOLE,
                        "keypair",
                        BOTH_PARTS,
                        "getpublic",
                        BOTH_PARTS,
                        "getpublic",
                        ONE_PART));
    }

    List<String> links(String... words) {
        try (Searcher s = Searcher.over(net, CrawlConfig.defaults())) {
            SearchResult r = s.search(SearchRequest.words(List.of(ROOT), List.of(words)));
            return r.hits().stream().map(h -> h.entry().link()).toList();
        }
    }

    @Test
    void aPageWithTheWholeCompoundRanksAbovePagesWithOnlyItsParts() {
        site("standard-parts");
        assertThat(links("KeyPair.getPublic()")).containsExactly(WHOLE, BOTH_PARTS, ONE_PART);
        // A part typed alone is a whole word: every page holding it, by leaves, then entry.
        assertThat(links("getPublic")).containsExactly(BOTH_PARTS, ONE_PART, WHOLE);
    }

    @Test
    void aPageWithMoreWordsAsTypedRanksFirstEvenWithFewerKeys() {
        String words = "https://e.org/z-one-word";
        String parts = "https://e.org/a-two-parts";
        net.files.put(
                ROOT,
                internal(1, null, null, "standard-parts", child("n/leaf.html", null, null, 0, 3)));
        net.files.put(
                URI.create("http://a.sim/n/leaf.html"),
                leaf(null, null, "keypair", words, "get", parts, "public", parts));
        // keys keypair, get-public, get, public: one word as typed against two parts.
        assertThat(links("keypair get-public")).containsExactly(words, parts);
    }

    @Test
    void recordEntriesRankByTheSumOfTheirScoresOnceAllWordsAreMatched() {
        net.files.put(
                ROOT,
                internal(1, null, null, "standard-parts", child("n/leaf.html", null, null, 0, 7)));
        net.files.put(
                URI.create("http://a.sim/n/leaf.html"),
                RecordsTest.leafWith(
                        null,
                        null,
                        // Page 1 has both words, low scores; page 2 only one, the highest score;
                        // pages 3 and 4 both words, 4 scoring more; page 5 both, no scores.
                        Entry.record("apple", "../p/1.html", "1", 10),
                        Entry.record("apple", "../p/2.html", "2", 900),
                        Entry.record("apple", "../p/3.html", "3", 200),
                        Entry.record("apple", "../p/4.html", "4", 150),
                        Entry.record("apple", "../p/5.html", "5"),
                        Entry.record("pie", "../p/1.html", "1", 10),
                        Entry.record("pie", "../p/3.html", "3", 100),
                        Entry.record("pie", "../p/4.html", "4", 300),
                        Entry.record("pie", "../p/5.html", "5")));
        SearchResult r;
        try (Searcher s = Searcher.over(net, CrawlConfig.defaults())) {
            r = s.search(SearchRequest.words(List.of(ROOT), List.of("apple", "pie")));
        }
        // Records cannot be read here: each result stays its record link.
        assertThat(r.hits())
                .extracting(h -> h.record() + " " + h.score())
                .containsExactly(
                        "http://a.sim/p/4.html 450",
                        "http://a.sim/p/3.html 300",
                        "http://a.sim/p/1.html 20",
                        "http://a.sim/p/5.html 0",
                        "http://a.sim/p/2.html 900");
        // One word: by score alone, then link.
        try (Searcher s = Searcher.over(net, CrawlConfig.defaults())) {
            r = s.search(SearchRequest.words(List.of(ROOT), List.of("apple")));
        }
        assertThat(r.hits())
                .extracting(SearchResult.Hit::score)
                .containsExactly(900L, 200L, 150L, 10L, 0L);
    }

    @Test
    void withoutPartsEveryKeyIsAWordAsTyped() {
        site("standard");
        // standard keeps keypair.getpublic whole: one key, found on one page only.
        assertThat(links("KeyPair.getPublic()")).containsExactly(WHOLE);
        assertThat(links("keypair", "getpublic")).containsExactly(BOTH_PARTS, WHOLE, ONE_PART);
    }
}
