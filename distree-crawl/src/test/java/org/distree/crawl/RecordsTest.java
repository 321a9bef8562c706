package org.distree.crawl;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.distree.crawl.TestNodes.child;
import static org.distree.crawl.TestNodes.internal;

import java.net.URI;
import java.util.List;
import java.util.Map;
import org.distree.crawl.SearcherOverNetworkTest.MapNetwork;
import org.distree.html.NodeWriter;
import org.distree.html.RecordFile;
import org.distree.model.Entry;
import org.distree.model.Node;
import org.distree.model.NodeFile;
import org.junit.jupiter.api.Test;

/**
 * Record entries (format version 2) through the real search over node files in a {@link
 * MapNetwork}: a result leads to its page through its record, read after the walk.
 */
class RecordsTest {
    static final URI ROOT = URI.create("http://a.sim/root.html");

    final MapNetwork net = new MapNetwork();

    /**
     * Two leaves whose record lists link p/1.html (a readable record of ../docs/one.html) and
     * p/2.html (missing).
     */
    void site() {
        net.files.put(
                ROOT,
                internal(
                        1,
                        null,
                        null,
                        "standard",
                        child("n/a.html", null, "m", 0, 2),
                        child("n/b.html", "m", null, 0, 1)));
        net.files.put(
                URI.create("http://a.sim/n/a.html"),
                leafWith(
                        null,
                        "m",
                        Entry.record("apple", "../p/1.html", "1"),
                        Entry.record("apple", "../p/2.html", "2")));
        net.files.put(
                URI.create("http://a.sim/n/b.html"),
                leafWith("m", null, Entry.record("zebra", "../p/1.html", "1")));
        net.files.put(
                URI.create("http://a.sim/p/1.html"),
                new String(
                        RecordFile.write(new Entry.Target(
                                "../docs/one.html",
                                "Page one",
                                "The first page.",
                                "sha256-1",
                                Map.of())),
                        UTF_8));
    }

    static String leafWith(String low, String high, Entry... entries) {
        Node leaf = Node.leaf(TestNodes.range(low, high), List.of(entries), TestNodes.WHEN);
        return NodeWriter.render(NodeFile.of(leaf));
    }

    @Test
    void aResultLeadsToItsPageThroughItsRecordAndOneRecordIsOneResult() {
        site();
        SearchResult r;
        try (Searcher s = Searcher.over(net, CrawlConfig.defaults())) {
            r = s.search(SearchRequest.words(List.of(ROOT), List.of("apple", "zebra")));
        }

        assertThat(r.hits()).hasSize(2);
        SearchResult.Hit one = r.hits().get(0);
        assertThat(one.entry().link()).isEqualTo("http://a.sim/docs/one.html");
        assertThat(one.entry().title()).isEqualTo("Page one");
        assertThat(one.entry().comment()).isEqualTo("The first page.");
        assertThat(one.entry().digest()).isEqualTo("sha256-1");
        assertThat(one.entry().isRecord()).isFalse();
        assertThat(one.record()).isEqualTo(URI.create("http://a.sim/p/1.html"));
        // Linked from two leaves, under two keys: one page.
        assertThat(one.matched()).containsExactly("apple", "zebra");
        assertThat(one.leaves()).isEqualTo(2);

        SearchResult.Hit two = r.hits().get(1);
        assertThat(two.entry().isRecord()).isTrue();
        assertThat(two.entry().link()).isEqualTo("http://a.sim/p/2.html");
        assertThat(two.entry().title()).isEqualTo("2");
        assertThat(r.skipped())
                .extracting(SearchResult.Skip::reason)
                .anyMatch(reason -> reason.startsWith("record unreadable"));
        assertThat(r.stats().records()).isEqualTo(2);
        assertThat(r.stats().fetches()).isEqualTo(5);
    }

    @Test
    void onlyTheRecordsOfTheResultsReturnedAreRead() {
        site();
        SearchResult r;
        try (Searcher s = Searcher.over(net, CrawlConfig.defaults())) {
            r = s.search(SearchRequest.words(List.of(ROOT), List.of("apple")).withLimit(1));
        }

        assertThat(r.total()).isEqualTo(2);
        assertThat(r.hits()).hasSize(1);
        assertThat(r.stats().records()).isEqualTo(1);
        assertThat(r.hits().get(0).entry().link()).isEqualTo("http://a.sim/docs/one.html");
    }
}
