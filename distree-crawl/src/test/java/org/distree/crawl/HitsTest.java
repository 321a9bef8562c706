package org.distree.crawl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.distree.crawl.TestNodes.child;
import static org.distree.crawl.TestNodes.internal;
import static org.distree.crawl.TestNodes.leaf;

import java.net.URI;
import java.util.List;
import org.distree.crawl.SearcherOverNetworkTest.MapNetwork;
import org.junit.jupiter.api.Test;

/**
 * How results rank, through the real search over node files in a {@link MapNetwork}: words
 * matched as typed first (a compound whole, not only its parts), then keys matched, then leaves.
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
    void withoutPartsEveryKeyIsAWordAsTyped() {
        site("standard");
        // standard keeps keypair.getpublic whole: one key, found on one page only.
        assertThat(links("KeyPair.getPublic()")).containsExactly(WHOLE);
        assertThat(links("keypair", "getpublic")).containsExactly(BOTH_PARTS, WHOLE, ONE_PART);
    }
}
